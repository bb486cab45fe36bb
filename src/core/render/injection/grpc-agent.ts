// The `grpc-agent` injection template (opt-in: `inject.istio.io/templates: grpc-agent`), for proxyless gRPC
// (docs/design/injection.md §1.12). The istio agent runs without Envoy (`DISABLE_ENVOY`): it fetches and rotates
// the workload certificate, writes it to `OUTPUT_CERTS`, proxies XDS on the `XDS` socket in
// /etc/istio/proxy and writes a gRPC xDS bootstrap there. Application containers get `GRPC_XDS_BOOTSTRAP`
// and the two volumes, so the gRPC library talks xDS and mTLS itself. No traffic capture, no Envoy probes.
import {
  at,
  defaultContainerAnnotations,
  injectedProxyHead,
  podImagePullSecrets,
  podWorkloadEnv,
  proxyArgsTail,
  proxyEnvHead,
  proxyEnvMesh,
  proxyEnvOwner,
  proxyMetadataEnv,
  proxyResources,
  proxyVolumeMounts,
  proxyVolumes,
  resourcesField,
  restrictedSecurityContext,
  valuesPrelude,
} from "./fragments.js";

const bootstrapPath = "/etc/istio/proxy/grpc-bootstrap.json";
const certificateDir = "/var/lib/istio/data";

const workloadEnv = podWorkloadEnv(String.raw`"NONE"`);

export const grpcAgentTemplate = String.raw`{{- /* mesh grpc-agent template (istio 1.30 data context) */ -}}
{{- $a := .ObjectMeta.Annotations }}
{{- $l := .ObjectMeta.Labels }}
${valuesPrelude}
{{- $native := .NativeSidecars }}
{{- if eq (index $a "sidecar.istio.io/nativeSidecar") "false" }}{{ $native = false }}{{ end }}
{{- if eq (index $a "sidecar.istio.io/nativeSidecar") "true" }}{{ $native = true }}{{ end }}
{{- $appNames := list }}
{{- range .Spec.Containers }}{{ if ne .Name "istio-proxy" }}{{ $appNames = append $appNames .Name }}{{ end }}{{ end }}
{{- $podPorts := list }}
{{- range .Spec.Containers }}{{ range .Ports }}{{ $podPorts = append $podPorts (structToJSON .) }}{{ end }}{{ end }}
${proxyResources}
metadata:
  labels:
    security.istio.io/tlsMode: {{ index $l "security.istio.io/tlsMode" | default "istio" | quote }}
    service.istio.io/canonical-name: {{ coalesce (index $l "service.istio.io/canonical-name") (index $l "app.kubernetes.io/name") (index $l "app") .DeploymentMeta.Name | default "" | trunc 63 | trimSuffix "-" | quote }}
    service.istio.io/canonical-revision: {{ coalesce (index $l "service.istio.io/canonical-revision") (index $l "app.kubernetes.io/version") (index $l "version") "latest" | quote }}
  annotations:
    istio.io/rev: {{ .Revision | default "default" | quote }}
    {{- /* without Envoy there are no proxy stats for istiod's metrics merge to expose */}}
    prometheus.istio.io/merge-metrics: "false"
    {{- /* nothing captures kubelet's probes, so they need no rewriting through the agent */}}
    sidecar.istio.io/rewriteAppHTTPProbers: "false"
${at(4, defaultContainerAnnotations)}
spec:
  {{- if $native }}
  initContainers:
  {{- else }}
  containers:
  {{- end }}
${at(2, injectedProxyHead)}
    args:
    - proxy
    - sidecar
${at(4, proxyArgsTail)}
    env:
${at(4, proxyEnvHead)}
${at(4, workloadEnv)}
    {{- with index $l "service.istio.io/workload-name" | default .DeploymentMeta.Name }}
    - name: ISTIO_META_WORKLOAD_NAME
      value: {{ . | quote }}
    {{- end }}
${at(4, proxyEnvOwner)}
${at(4, proxyEnvMesh)}
    - name: DISABLE_ENVOY
      value: "true"
    - name: GRPC_XDS_BOOTSTRAP
      value: ${bootstrapPath}
    - name: OUTPUT_CERTS
      value: ${certificateDir}
${at(4, proxyMetadataEnv)}
${resourcesField(4)}
    securityContext:
${at(6, restrictedSecurityContext)}
    volumeMounts:
${at(4, proxyVolumeMounts({ crl: true }))}
  {{- if and $native $appNames }}
  containers:
  {{- end }}
  {{- range $appNames }}
  - name: {{ . | quote }}
    env:
    - name: GRPC_XDS_BOOTSTRAP
      value: ${bootstrapPath}
    volumeMounts:
    - name: istio-envoy
      mountPath: /etc/istio/proxy
    - name: istio-data
      mountPath: ${certificateDir}
  {{- end }}
  volumes:
${at(2, proxyVolumes({ crl: true }))}
${at(2, podImagePullSecrets)}
`;
