// The `gateway` injection template (docs/design/injection.md §4): for users' gateway Deployments shaped like the
// upstream `gateway` Helm chart (`inject.istio.io/templates: gateway`, one `istio-proxy` container with
// `image: auto`). No traffic capture: the proxy runs as a router and the pod keeps the user's container
// settings, which istiod re-applies on top of this output.
import {
  at,
  envoyPromPort,
  gatewayReadinessProbe,
  podImagePullSecrets,
  proxyArgsTail,
  proxyEnvHead,
  proxyEnvMesh,
  proxyEnvOwner,
  proxyEnvWorkload,
  proxyMetadataEnv,
  proxyVolumeMounts,
  proxyVolumes,
  valuesPrelude,
} from "./fragments.js";

const workloadEnv = proxyEnvWorkload({
  podPorts: String.raw`{{ printf "[%s]" (join "," $podPorts) | quote }}`,
  appContainers: String.raw`{{ join "," $appNames | quote }}`,
  clusterId: String.raw`$g.multiCluster.clusterName`,
  interceptionMode: String.raw`{{ .ProxyConfig.InterceptionMode | toString | quote }}`,
});

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
    {{- if and $appNames (not (isset $a "kubectl.kubernetes.io/default-container")) }}
    kubectl.kubernetes.io/default-container: {{ first $appNames | quote }}
    {{- end }}
    {{- if and $appNames (not (isset $a "kubectl.kubernetes.io/default-logs-container")) }}
    kubectl.kubernetes.io/default-logs-container: {{ first $appNames | quote }}
    {{- end }}
spec:
  securityContext:
    {{- if $gateways.securityContext }}
    {{- toYaml $gateways.securityContext | trim | nindent 4 }}
    {{- else }}
    sysctls:
    - name: net.ipv4.ip_unprivileged_port_start
      value: "0"
    {{- end }}
  containers:
  - name: istio-proxy
    image: {{ $proxyImage | quote }}
    {{- with $pullPolicy }}
    imagePullPolicy: {{ . | quote }}
    {{- end }}
    ports:
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
${at(4, proxyEnvMesh)}
${at(4, proxyMetadataEnv)}
${at(4, gatewayReadinessProbe)}
    volumeMounts:
${at(4, proxyVolumeMounts({ crl: false }))}
  volumes:
${at(2, proxyVolumes({ crl: false }))}
${at(2, podImagePullSecrets)}
`;
