// The `gateway` injection template (docs/design/injection.md §4): for users' gateway Deployments shaped like the
// upstream `gateway` Helm chart (`inject.istio.io/templates: gateway`, one `istio-proxy` container with
// `image: auto`). No traffic capture: the proxy runs as a router and the pod keeps the user's container
// settings, which istiod re-applies on top of this output.
import {
  at,
  defaultContainerAnnotations,
  envoyPromPort,
  gatewayPodHead,
  gatewayPodTail,
  podWorkloadEnv,
  proxyArgsTail,
  proxyEnvHead,
  proxyEnvOwner,
  valuesPrelude,
} from "./fragments.js";

const workloadEnv = podWorkloadEnv(String.raw`{{ .ProxyConfig.InterceptionMode | toString | quote }}`);

export const gatewayTemplate = String.raw`{{- /* mesh gateway template (istio 1.30 data context) */ -}}
{{- $a := .ObjectMeta.Annotations }}
{{- $l := .ObjectMeta.Labels }}
${valuesPrelude}
{{- $gateways := .Values.gateways | default (dict) }}
{{- $appNames := list }}
{{- range .Spec.Containers }}{{ if ne .Name "istio-proxy" }}{{ $appNames = append $appNames .Name }}{{ end }}{{ end }}
{{- $podPorts := list }}
{{- range .Spec.Containers }}{{ range .Ports }}{{ $podPorts = append $podPorts (structToJSON .) }}{{ end }}{{ end }}
metadata:
  labels:
    service.istio.io/canonical-name: {{ coalesce (index $l "service.istio.io/canonical-name") (index $l "app.kubernetes.io/name") (index $l "app") .DeploymentMeta.Name | default "" | quote }}
    service.istio.io/canonical-revision: {{ coalesce (index $l "service.istio.io/canonical-revision") (index $l "app.kubernetes.io/version") (index $l "version") "latest" | quote }}
  annotations:
    istio.io/rev: {{ .Revision | default "default" | quote }}
${at(4, defaultContainerAnnotations)}
spec:
${gatewayPodHead(2)}
${at(4, envoyPromPort)}
    args:
    - proxy
    - router
${at(4, proxyArgsTail)}
    {{- with $p.lifecycle }}
    lifecycle:
      {{- toYaml . | trim | nindent 6 }}
    {{- end }}
    securityContext:
      runAsUser: {{ .ProxyUID }}
      runAsGroup: {{ .ProxyGID }}
      {{- with $gateways.seccompProfile }}
      seccompProfile:
        {{- toYaml . | trim | nindent 8 }}
      {{- end }}
    env:
${at(4, proxyEnvHead)}
${at(4, workloadEnv)}
    {{- with .DeploymentMeta.Name }}
    - name: ISTIO_META_WORKLOAD_NAME
      value: {{ . | quote }}
    {{- end }}
${at(4, proxyEnvOwner)}
${gatewayPodTail(2)}
`;
