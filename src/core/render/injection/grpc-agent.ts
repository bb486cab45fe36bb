// The `grpc-agent` injection template (opt-in: `inject.istio.io/templates: grpc-agent`), for proxyless gRPC
// (docs/design/injection.md §1.12). The istio agent runs without Envoy (`DISABLE_ENVOY`): it fetches and rotates
// the workload certificate, writes it to `OUTPUT_CERTS`, proxies XDS on the `XDS` socket in
// /etc/istio/proxy and writes a gRPC xDS bootstrap there. Application containers get `GRPC_XDS_BOOTSTRAP`
// and the two volumes, so the gRPC library talks xDS and mTLS itself. No traffic capture, no Envoy probes.
import {
  at,
  podImagePullSecrets,
  proxyArgsTail,
  proxyEnvHead,
  proxyEnvMesh,
  proxyEnvOwner,
  proxyEnvWorkload,
  proxyMetadataEnv,
  proxyResources,
  proxyVolumeMounts,
  proxyVolumes,
  valuesPrelude,
} from "./fragments.js";

const bootstrapPath = "/etc/istio/proxy/grpc-bootstrap.json";
const certificateDir = "/var/lib/istio/data";

const workloadEnv = proxyEnvWorkload({
  podPorts: String.raw`{{ printf "[%s]" (join "," $podPorts) | quote }}`,
  appContainers: String.raw`{{ join "," $appNames | quote }}`,
  clusterId: String.raw`$g.multiCluster.clusterName`,
  interceptionMode: String.raw`"NONE"`,
});

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
    {{- if and $appNames (not (isset $a "kubectl.kubernetes.io/default-container")) }}
    kubectl.kubernetes.io/default-container: {{ first $appNames | quote }}
    {{- end }}
    {{- if and $appNames (not (isset $a "kubectl.kubernetes.io/default-logs-container")) }}
    kubectl.kubernetes.io/default-logs-container: {{ first $appNames | quote }}
    {{- end }}
spec:
  {{- if $native }}
  initContainers:
  {{- else }}
  containers:
  {{- end }}
  - name: istio-proxy
    image: {{ $proxyImage | quote }}
    {{- with $pullPolicy }}
    imagePullPolicy: {{ . | quote }}
    {{- end }}
    {{- if $native }}
    restartPolicy: Always
    {{- end }}
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
    {{- if $resources }}
    resources:
      {{- toYaml $resources | trim | nindent 6 }}
    {{- end }}
    securityContext:
      allowPrivilegeEscalation: false
      capabilities:
        drop:
        - ALL
      privileged: false
      readOnlyRootFilesystem: true
      runAsGroup: {{ .ProxyGID }}
      runAsNonRoot: true
      runAsUser: {{ .ProxyUID }}
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
