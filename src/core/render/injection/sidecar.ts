// The `sidecar` injection template: mesh's own text, written from the facts in docs/design/injection.md §3 and §5.
// istiod renders it (Go text/template + sprig + istiod's functions) for every pod it injects and applies the
// output to the pod with a strategic merge patch. Rules this text keeps:
// - every value a user or the values tree controls is passed through `quote` (labels, annotations and env
//   values must be strings; a stray `:` or `#` must not change the YAML);
// - every `.Values` read is defaulted, so a values tree without that key renders a sane default instead of
//   the literal `<no value>`/`<nil>`;
// - no list key is ever emitted without items (a bare `containers:` deletes the application's containers).
import {
  at,
  defaultContainerAnnotations,
  injectedProxyHead,
  envoyPromPort,
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
  readinessProbe,
  resourcesField,
  restrictedSecurityContext,
  valuesPrelude,
} from "./fragments.js";

const workloadEnv = podWorkloadEnv(String.raw`{{ $mode | quote }}`);

/** List items from an annotation holding a JSON map of name → fields (user volumes and mounts), at `column`. */
function annotationEntries(annotation: string, map: string, entry: string, column: number): string {
  return at(
    column,
    String.raw`{{- with index $a "${annotation}" }}
{{- ${map} := fromJSON . }}
{{- if kindIs "map" ${map} }}
{{- range $name, ${entry} := ${map} }}
- name: {{ $name | quote }}
  {{- toYaml ${entry} | trim | nindent ${column + 2} }}
{{- end }}
{{- end }}
{{- end }}`,
  );
}

export const sidecarTemplate = String.raw`{{- /* mesh sidecar template (istio 1.30 data context) */ -}}
{{- $a := .ObjectMeta.Annotations }}
{{- $l := .ObjectMeta.Labels }}
${valuesPrelude}
{{- $cni := false }}
{{- $cniProvider := "" }}
{{- with .Values.pilot }}{{ with .cni }}{{ if .enabled }}{{ $cni = true }}{{ $cniProvider = .provider | default "" }}{{ end }}{{ end }}{{ end }}
{{- $mode := annotation .ObjectMeta "sidecar.istio.io/interceptionMode" .ProxyConfig.InterceptionMode }}
{{- $tproxy := eq $mode "TPROXY" }}
{{- $native := .NativeSidecars }}
{{- if eq (index $a "sidecar.istio.io/nativeSidecar") "false" }}{{ $native = false }}{{ end }}
{{- if eq (index $a "sidecar.istio.io/nativeSidecar") "true" }}{{ $native = true }}{{ end }}
{{- $needsInit := ne $mode "NONE" }}
{{- $statusPort := annotation .ObjectMeta "status.sidecar.istio.io/port" (valueOrDefault $p.statusPort 15020) }}
{{- $hold := or .ProxyConfig.HoldApplicationUntilProxyStarts.GetValue $p.holdApplicationUntilProxyStarts }}
{{- $privileged := $p.privileged | default false }}
{{- $netBind := eq (annotation .ObjectMeta "sidecar.istio.io/capNetBindService" ($p.capNetBindService | default false)) "true" }}
{{- $traceLogging := eq (index .ProxyConfig.ProxyMetadata "IPTABLES_TRACE_LOGGING") "true" }}
{{- $proxyAsRoot := or $tproxy $netBind $traceLogging }}
{{- /* istio-init runs the proxy image; unlike upstream it follows a full proxy image reference from values
       instead of gluing that reference into hub/<ref>:tag (.ProxyImage) when proxy_init.image is short */ -}}
{{- $initImage := $proxyImage }}
{{- $initImageSetting := annotation .ObjectMeta "sidecar.istio.io/proxyImage" ($pi.image | default "") }}
{{- if contains "/" $initImageSetting }}{{ $initImage = $initImageSetting }}{{ end }}
{{- /* traffic capture settings: annotation first, then the values tree; "" is a meaningful value for the
       include lists (capture nothing), so those defaults apply only when the key is absent */ -}}
{{- $includeIPs := "*" }}{{ if hasKey $p "includeIPRanges" }}{{ $includeIPs = $p.includeIPRanges | toString }}{{ end }}
{{- $includeIPs = annotation .ObjectMeta "traffic.sidecar.istio.io/includeOutboundIPRanges" $includeIPs }}
{{- $excludeIPs := annotation .ObjectMeta "traffic.sidecar.istio.io/excludeOutboundIPRanges" ($p.excludeIPRanges | default "") }}
{{- $includeInbound := "*" }}{{ if hasKey $p "includeInboundPorts" }}{{ $includeInbound = $p.includeInboundPorts | toString }}{{ end }}
{{- $includeInbound = annotation .ObjectMeta "traffic.sidecar.istio.io/includeInboundPorts" $includeInbound }}
{{- $excludeInbound := excludeInboundPort $statusPort (annotation .ObjectMeta "traffic.sidecar.istio.io/excludeInboundPorts" ($p.excludeInboundPorts | default "")) }}
{{- $includeOutboundPorts := annotation .ObjectMeta "traffic.sidecar.istio.io/includeOutboundPorts" ($p.includeOutboundPorts | default "") }}
{{- $excludeOutboundPorts := annotation .ObjectMeta "traffic.sidecar.istio.io/excludeOutboundPorts" ($p.excludeOutboundPorts | default "") }}
{{- $rerouteInterfaces := index $a "istio.io/reroute-virtual-interfaces" | default (index $a "traffic.sidecar.istio.io/kubevirtInterfaces") }}
{{- $excludeInterfaces := index $a "traffic.sidecar.istio.io/excludeInterfaces" }}
{{- $appNames := list }}
{{- range .Spec.Containers }}{{ if ne .Name "istio-proxy" }}{{ $appNames = append $appNames .Name }}{{ end }}{{ end }}
{{- $podPorts := list }}
{{- range .Spec.Containers }}{{ range .Ports }}{{ $podPorts = append $podPorts (structToJSON .) }}{{ end }}{{ end }}
{{- $canonicalName := coalesce (index $l "service.istio.io/canonical-name") (index $l "app.kubernetes.io/name") (index $l "app") .DeploymentMeta.Name | default "" | trunc 63 | trimSuffix "-" }}
{{- $canonicalRevision := coalesce (index $l "service.istio.io/canonical-revision") (index $l "app.kubernetes.io/version") (index $l "version") "latest" }}
{{- $workloadName := index $l "service.istio.io/workload-name" | default .DeploymentMeta.Name }}
${proxyResources}
metadata:
  labels:
    security.istio.io/tlsMode: {{ index $l "security.istio.io/tlsMode" | default "istio" | quote }}
    service.istio.io/canonical-name: {{ $canonicalName | quote }}
    service.istio.io/canonical-revision: {{ $canonicalRevision | quote }}
    {{- if eq (index .ProxyConfig.ProxyMetadata "ISTIO_META_ENABLE_HBONE") "true" }}
    networking.istio.io/tunnel: {{ index $l "networking.istio.io/tunnel" | default "http" | quote }}
    {{- end }}
  annotations:
    istio.io/rev: {{ .Revision | default "default" | quote }}
${at(4, defaultContainerAnnotations)}
    {{- if $cni }}
    {{- /* the CNI plugin configures capture from these annotations instead of istio-init's args */}}
    sidecar.istio.io/interceptionMode: {{ $mode | quote }}
    traffic.sidecar.istio.io/includeOutboundIPRanges: {{ $includeIPs | quote }}
    traffic.sidecar.istio.io/excludeOutboundIPRanges: {{ $excludeIPs | quote }}
    traffic.sidecar.istio.io/includeInboundPorts: {{ $includeInbound | quote }}
    traffic.sidecar.istio.io/excludeInboundPorts: {{ $excludeInbound | quote }}
    {{- if $includeOutboundPorts }}
    traffic.sidecar.istio.io/includeOutboundPorts: {{ $includeOutboundPorts | quote }}
    {{- end }}
    {{- if $excludeOutboundPorts }}
    traffic.sidecar.istio.io/excludeOutboundPorts: {{ $excludeOutboundPorts | quote }}
    {{- end }}
    {{- with $rerouteInterfaces }}
    traffic.sidecar.istio.io/kubevirtInterfaces: {{ kubevirtInterfaces . | quote }}
    istio.io/reroute-virtual-interfaces: {{ kubevirtInterfaces . | quote }}
    {{- end }}
    {{- with $excludeInterfaces }}
    traffic.sidecar.istio.io/excludeInterfaces: {{ excludeInterfaces . | quote }}
    {{- end }}
    {{- if eq $cniProvider "multus" }}
    k8s.v1.cni.cncf.io/networks: {{ appendMultusNetwork (index $a "k8s.v1.cni.cncf.io/networks") "default/istio-cni" | quote }}
    {{- end }}
    {{- end }}
spec:
  {{- if or $needsInit $native }}
  initContainers:
  {{- end }}
  {{- if $needsInit }}
  - name: {{ if $cni }}istio-validation{{ else }}istio-init{{ end }}
    image: {{ $initImage | quote }}
    {{- with $pullPolicy }}
    imagePullPolicy: {{ . | quote }}
    {{- end }}
    args:
    - istio-iptables
    - "-p"
    - {{ .MeshConfig.ProxyListenPort | default 15001 | quote }}
    - "-z"
    - {{ .MeshConfig.ProxyInboundListenPort | default 15006 | quote }}
    - "-u"
    - {{ if $tproxy }}"1337"{{ else }}{{ .ProxyUID | quote }}{{ end }}
    - "-m"
    - {{ $mode | quote }}
    - "-i"
    - {{ $includeIPs | quote }}
    - "-x"
    - {{ $excludeIPs | quote }}
    - "-b"
    - {{ $includeInbound | quote }}
    - "-d"
    - {{ if $excludeInbound }}{{ printf "15090,15021,%s" $excludeInbound | quote }}{{ else }}"15090,15021"{{ end }}
    {{- if $includeOutboundPorts }}
    - "-q"
    - {{ $includeOutboundPorts | quote }}
    {{- end }}
    {{- if $excludeOutboundPorts }}
    - "-o"
    - {{ $excludeOutboundPorts | quote }}
    {{- end }}
    {{- with $rerouteInterfaces }}
    - "-k"
    - {{ kubevirtInterfaces . | quote }}
    {{- end }}
    {{- with $excludeInterfaces }}
    - "-c"
    - {{ excludeInterfaces . | quote }}
    {{- end }}
    - {{ printf "--log_output_level=%s" $agentLogLevel | quote }}
    {{- if $g.logAsJson }}
    - --log_as_json
    {{- end }}
    {{- if and (not $cni) $pi.forceApplyIptables }}
    - --force-apply
    {{- end }}
    {{- if $g.nativeNftables }}
    - --native-nftables
    {{- end }}
    {{- if $cni }}
    - --run-validation
    - --skip-rule-apply
    {{- end }}
    {{- with .ProxyConfig.ProxyMetadata }}
    env:
    {{- range $name, $value := . }}
    - name: {{ $name | quote }}
      value: {{ $value | quote }}
    {{- end }}
    {{- end }}
${resourcesField(4)}
    securityContext:
      {{- if $cni }}
${at(6, restrictedSecurityContext)}
      {{- else }}
      allowPrivilegeEscalation: {{ if $privileged }}true{{ else }}false{{ end }}
      capabilities:
        add:
        - NET_ADMIN
        - NET_RAW
        drop:
        - ALL
      privileged: {{ if $privileged }}true{{ else }}false{{ end }}
      readOnlyRootFilesystem: false
      runAsGroup: 0
      runAsNonRoot: false
      runAsUser: 0
      {{- end }}
      {{- with $p.seccompProfile }}
      seccompProfile:
        {{- toYaml . | trim | nindent 8 }}
      {{- end }}
  {{- end }}
  {{- if not $native }}
  containers:
  {{- end }}
${at(2, injectedProxyHead)}
    ports:
${at(4, envoyPromPort)}
    args:
    - proxy
    - sidecar
${at(4, proxyArgsTail)}
    {{- with $p.outlierLogPath }}
    - {{ printf "--outlierLogPath=%v" . | quote }}
    {{- end }}
    {{- if $p.lifecycle }}
    lifecycle:
      {{- toYaml $p.lifecycle | trim | nindent 6 }}
    {{- else if and $hold (not $native) }}
    lifecycle:
      postStart:
        exec:
          command:
          - pilot-agent
          - wait
    {{- else if $native }}
    lifecycle:
      preStop:
        exec:
          command:
          - pilot-agent
          - request
          - {{ printf "--debug-port=%s" $statusPort | quote }}
          - POST
          - drain
    {{- end }}
    env:
    {{- if eq .InboundTrafficPolicyMode "localhost" }}
    - name: REWRITE_PROBE_LEGACY_LOCALHOST_DESTINATION
      value: "true"
    {{- end }}
${at(4, proxyEnvHead)}
${at(4, workloadEnv)}
    {{- with $workloadName }}
    - name: ISTIO_META_WORKLOAD_NAME
      value: {{ . | quote }}
    {{- end }}
${at(4, proxyEnvOwner)}
    {{- if isset $a "sidecar.istio.io/bootstrapOverride" }}
    - name: ISTIO_BOOTSTRAP_OVERRIDE
      value: /etc/istio/custom-bootstrap/custom_bootstrap.json
    {{- end }}
${at(4, proxyEnvMesh)}
    {{- if eq ($p.tracer | default "") "datadog" }}
    {{- with index $a "apm.datadoghq.com/env" }}
    {{- $datadog := fromJSON . }}
    {{- if kindIs "map" $datadog }}
    {{- range $name, $value := $datadog }}
    - name: {{ $name | quote }}
      value: {{ $value | toString | quote }}
    {{- end }}
    {{- end }}
    {{- end }}
    {{- end }}
${at(4, proxyMetadataEnv)}
    {{- if ne $statusPort "0" }}
${at(
  4,
  readinessProbe({
    initialDelay: String.raw`{{ annotation .ObjectMeta "readiness.status.sidecar.istio.io/initialDelaySeconds" (valueOrDefault $p.readinessInitialDelaySeconds 0) }}`,
    period: String.raw`{{ annotation .ObjectMeta "readiness.status.sidecar.istio.io/periodSeconds" (valueOrDefault $p.readinessPeriodSeconds 15) }}`,
    failureThreshold: String.raw`{{ annotation .ObjectMeta "readiness.status.sidecar.istio.io/failureThreshold" (valueOrDefault $p.readinessFailureThreshold 4) }}`,
  }),
)}
    {{- $startup := true }}
    {{- if kindIs "map" $p.startupProbe }}{{ if hasKey $p.startupProbe "enabled" }}{{ $startup = $p.startupProbe.enabled }}{{ end }}{{ end }}
    {{- if $startup }}
    startupProbe:
      httpGet:
        path: /healthz/ready
        port: 15021
      initialDelaySeconds: 0
      periodSeconds: 1
      timeoutSeconds: 3
      failureThreshold: {{ valueOrDefault $p.startupProbe.failureThreshold 600 }}
    {{- end }}
    {{- end }}
${resourcesField(4)}
    securityContext:
      allowPrivilegeEscalation: {{ if or $privileged $traceLogging }}true{{ else }}false{{ end }}
      capabilities:
        {{- if $proxyAsRoot }}
        add:
        {{- if or $tproxy $traceLogging }}
        - NET_ADMIN
        {{- end }}
        {{- if $netBind }}
        - NET_BIND_SERVICE
        {{- end }}
        {{- end }}
        drop:
        - ALL
      privileged: {{ if or $privileged $traceLogging }}true{{ else }}false{{ end }}
      readOnlyRootFilesystem: true
      {{- if $proxyAsRoot }}
      runAsGroup: {{ .ProxyGID }}
      runAsNonRoot: false
      runAsUser: 0
      {{- else }}
      runAsGroup: {{ .ProxyGID }}
      runAsNonRoot: true
      runAsUser: {{ .ProxyUID }}
      {{- end }}
      {{- with $p.seccompProfile }}
      seccompProfile:
        {{- toYaml . | trim | nindent 8 }}
      {{- end }}
    volumeMounts:
${at(4, proxyVolumeMounts({ crl: true }))}
    {{- if isset $a "sidecar.istio.io/bootstrapOverride" }}
    - name: custom-bootstrap-volume
      mountPath: /etc/istio/custom-bootstrap
    {{- end }}
    {{- if $g.mountMtlsCerts }}
    - name: istio-certs
      mountPath: /etc/certs/
      readOnly: true
    {{- end }}
${annotationEntries("sidecar.istio.io/userVolumeMount", "$mounts", "$mount", 4)}
  volumes:
${at(2, proxyVolumes({ crl: true }))}
  {{- with index $a "sidecar.istio.io/bootstrapOverride" }}
  - name: custom-bootstrap-volume
    configMap:
      name: {{ . | quote }}
  {{- end }}
  {{- if $g.mountMtlsCerts }}
  - name: istio-certs
    secret:
      optional: true
      secretName: {{ printf "istio.%s" (.Spec.ServiceAccountName | default "default") | quote }}
  {{- end }}
${annotationEntries("sidecar.istio.io/userVolume", "$userVolumes", "$source", 2)}
${at(2, podImagePullSecrets)}
`;
