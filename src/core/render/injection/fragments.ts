// Template text shared by the proxy-carrying templates (sidecar, gateway, kube-gateway). Each block is
// written once at column 0 and shifted to where it is used, so the three templates cannot drift apart on
// the agent's contract (env, mounts, volumes). Blocks rely on the variables set by `valuesPrelude`.

/** Shifts every non-empty line of a block right by `spaces`. */
export function at(spaces: number, block: string): string {
  const pad = " ".repeat(spaces);
  return block
    .split("\n")
    .map((line) => (line.trim() === "" ? line : pad + line))
    .join("\n");
}

/**
 * Variables read from the values tree and the mesh config. Every `.Values` read is defaulted so that a
 * values tree without the key renders the chart default rather than `<no value>`.
 */
export const valuesPrelude = String.raw`{{- $g := .Values.global | default (dict) }}
{{- $p := $g.proxy | default (dict) }}
{{- $pi := $g.proxy_init | default (dict) }}
{{- $trustDomain := .MeshConfig.TrustDomain | default $g.trustDomain | default "cluster.local" }}
{{- $clusterDomain := $p.clusterDomain | default "cluster.local" }}
{{- $pullPolicy := $g.imagePullPolicy | default "" }}
{{- $agentLogLevel := annotation .ObjectMeta "sidecar.istio.io/agentLogLevel" ($g.logging.level | default "default:info") }}
{{- $istiodName := "istiod" }}{{ with .Values.revision }}{{ $istiodName = printf "istiod-%v" . }}{{ end }}
{{- $pilotCertProvider := $g.pilotCertProvider | default "istiod" }}
{{- $proxyImage := .ProxyImage }}
{{- $proxyImageSetting := annotation .ObjectMeta "sidecar.istio.io/proxyImage" ($p.image | default "") }}
{{- if contains "/" $proxyImageSetting }}{{ $proxyImage = $proxyImageSetting }}{{ end }}`;

/** Pod annotations naming the first application container as the default for kubectl (needs `$appNames`, `$a`). */
export const defaultContainerAnnotations = String.raw`{{- if and $appNames (not (isset $a "kubectl.kubernetes.io/default-container")) }}
kubectl.kubernetes.io/default-container: {{ first $appNames | quote }}
{{- end }}
{{- if and $appNames (not (isset $a "kubectl.kubernetes.io/default-logs-container")) }}
kubectl.kubernetes.io/default-logs-container: {{ first $appNames | quote }}
{{- end }}`;

/** The proxy container's `resources` when `$resources` has any, for container fields at `column`. */
export function resourcesField(column: number): string {
  return at(
    column,
    String.raw`{{- if $resources }}
resources:
  {{- toYaml $resources | trim | nindent ${column + 2} }}
{{- end }}`,
  );
}

/** An env entry read from the pod's own fields through the downward API. */
export function downwardEnv(name: string, fieldPath: string): string {
  return `- name: ${name}
  valueFrom:
    fieldRef:
      fieldPath: ${fieldPath}`;
}

/** The proxy container's image and pull policy. */
export const proxyImage = String.raw`image: {{ $proxyImage | quote }}
{{- with $pullPolicy }}
imagePullPolicy: {{ . | quote }}
{{- end }}`;

/**
 * The start of a pod-injected istio-proxy container: a native sidecar (`$native`, in initContainers) restarts
 * always, so it outlives the init phase and runs beside the application.
 */
export const injectedProxyHead = String.raw`- name: istio-proxy
${at(2, proxyImage)}
  {{- if $native }}
  restartPolicy: Always
  {{- end }}`;

/** The proxy container's security context when it needs no privileges: no escalation, no capabilities, read-only root. */
export const restrictedSecurityContext = String.raw`allowPrivilegeEscalation: false
capabilities:
  drop:
  - ALL
privileged: false
readOnlyRootFilesystem: true
runAsGroup: {{ .ProxyGID }}
runAsNonRoot: true
runAsUser: {{ .ProxyUID }}`;

/**
 * A gateway pod's security context (unprivileged low ports unless the values set one) and the head of its proxy
 * container, up to `ports:`, for a pod spec whose fields start at `column` (needs `$gateways`).
 */
export function gatewayPodHead(column: number): string {
  return at(
    column,
    String.raw`securityContext:
  {{- if $gateways.securityContext }}
  {{- toYaml $gateways.securityContext | trim | nindent ${column + 2} }}
  {{- else }}
  sysctls:
  - name: net.ipv4.ip_unprivileged_port_start
    value: "0"
  {{- end }}
containers:
- name: istio-proxy
${at(2, proxyImage)}
  ports:`,
  );
}

/** Sets `$resources` for the injected containers (needs `$a`, the pod annotations). */
export const proxyResources = String.raw`{{- /* resources: the four annotations replace the values' resources entirely when any is present */ -}}
{{- $resources := dict }}
{{- if or (isset $a "sidecar.istio.io/proxyCPU") (isset $a "sidecar.istio.io/proxyMemory") (isset $a "sidecar.istio.io/proxyCPULimit") (isset $a "sidecar.istio.io/proxyMemoryLimit") }}
{{- $requests := dict }}{{ $limits := dict }}
{{- if isset $a "sidecar.istio.io/proxyCPU" }}{{ $_ := set $requests "cpu" (index $a "sidecar.istio.io/proxyCPU") }}{{ end }}
{{- if isset $a "sidecar.istio.io/proxyMemory" }}{{ $_ := set $requests "memory" (index $a "sidecar.istio.io/proxyMemory") }}{{ end }}
{{- if isset $a "sidecar.istio.io/proxyCPULimit" }}{{ $_ := set $limits "cpu" (index $a "sidecar.istio.io/proxyCPULimit") }}{{ end }}
{{- if isset $a "sidecar.istio.io/proxyMemoryLimit" }}{{ $_ := set $limits "memory" (index $a "sidecar.istio.io/proxyMemoryLimit") }}{{ end }}
{{- if $requests }}{{ $_ := set $resources "requests" $requests }}{{ end }}
{{- if $limits }}{{ $_ := set $resources "limits" $limits }}{{ end }}
{{- else }}
{{- $resources = omitNil $p.resources | default (dict) }}
{{- end }}`;

/** Agent arguments after `proxy <type>`. */
/** The agent's DNS domain argument pair. */
export const domainArgs = String.raw`- --domain
- {{ printf "$(POD_NAMESPACE).svc.%s" $clusterDomain | quote }}`;

/** Envoy's and the agent's log levels: pod annotations over the values. */
export const logLevelArgs = String.raw`- {{ printf "--proxyLogLevel=%s" (annotation .ObjectMeta "sidecar.istio.io/logLevel" ($p.logLevel | default "warning")) | quote }}
- {{ printf "--proxyComponentLogLevel=%s" (annotation .ObjectMeta "sidecar.istio.io/componentLogLevel" ($p.componentLogLevel | default "misc:error")) | quote }}
- {{ printf "--log_output_level=%s" $agentLogLevel | quote }}`;

/** JSON logs when the values ask for them. */
export const jsonLogArg = String.raw`{{- if $g.logAsJson }}
- --log_as_json
{{- end }}`;

/** Agent arguments after `proxy <type>`. */
export const proxyArgsTail = String.raw`${domainArgs}
${logLevelArgs}
{{- with $g.sts }}{{ if .servicePort }}
- {{ printf "--stsPort=%v" .servicePort | quote }}
{{- end }}{{ end }}
${jsonLogArg}`;

/** The first env entries of istio-proxy: CA, pod identity from the downward API, ProxyConfig. */
export const proxyEnvHead = String.raw`- name: PILOT_CERT_PROVIDER
  value: {{ $pilotCertProvider | quote }}
- name: CA_ADDR
  value: {{ $g.caAddress | default (printf "%s.%s.svc:15012" $istiodName ($g.istioNamespace | default "istio-system")) | quote }}
- name: POD_NAME
  valueFrom:
    fieldRef:
      fieldPath: metadata.name
- name: POD_NAMESPACE
  valueFrom:
    fieldRef:
      fieldPath: metadata.namespace
- name: INSTANCE_IP
  valueFrom:
    fieldRef:
      fieldPath: status.podIP
- name: SERVICE_ACCOUNT
  valueFrom:
    fieldRef:
      fieldPath: spec.serviceAccountName
- name: HOST_IP
  valueFrom:
    fieldRef:
      fieldPath: status.hostIP
- name: ISTIO_CPU_LIMIT
  valueFrom:
    resourceFieldRef:
      resource: limits.cpu
      divisor: "1"
- name: PROXY_CONFIG
  value: {{ protoToJSON .ProxyConfig | quote }}`;

/** Go runtime limits follow the container's limits; the compliance policy when istiod has one. */
export const proxyEnvRuntime = String.raw`- name: GOMEMLIMIT
  valueFrom:
    resourceFieldRef:
      resource: limits.memory
      divisor: "1"
- name: GOMAXPROCS
  valueFrom:
    resourceFieldRef:
      resource: limits.cpu
      divisor: "1"
{{- with .CompliancePolicy }}
- name: COMPLIANCE_POLICY
  value: {{ . | quote }}
{{- end }}`;

/** Where a template takes the workload-describing env values from; each is template text. */
export interface WorkloadEnvSources {
  podPorts: string;
  appContainers: string;
  clusterId: string;
  interceptionMode: string;
  /** The proxy's network, a template expression (empty: none). */
  network: string;
}

/** istio-proxy env after {@link proxyEnvHead}: the workload's ports and containers, runtime limits, cluster, node, capture mode, network. */
export function proxyEnvWorkload(sources: WorkloadEnvSources): string {
  return String.raw`- name: ISTIO_META_POD_PORTS
  value: ${sources.podPorts}
- name: ISTIO_META_APP_CONTAINERS
  value: ${sources.appContainers}
${proxyEnvRuntime}
- name: ISTIO_META_CLUSTER_ID
  value: {{ ${sources.clusterId} | default "Kubernetes" | quote }}
- name: ISTIO_META_NODE_NAME
  valueFrom:
    fieldRef:
      fieldPath: spec.nodeName
- name: ISTIO_META_INTERCEPTION_MODE
  value: ${sources.interceptionMode}
{{- with ${sources.network} }}
- name: ISTIO_META_NETWORK
  value: {{ . | quote }}
{{- end }}`;
}

/** The workload env of a pod-injection template (sidecar, gateway, grpc-agent): ports and app containers of the pod. */
export function podWorkloadEnv(interceptionMode: string): string {
  return proxyEnvWorkload({
    podPorts: String.raw`{{ printf "[%s]" (join "," $podPorts) | quote }}`,
    appContainers: String.raw`{{ join "," $appNames | quote }}`,
    clusterId: String.raw`$g.multiCluster.clusterName`,
    interceptionMode,
    network: "$g.network",
  });
}

/** The workload's owner reference for the agent, from the pod's controller (Deployment, StatefulSet, …). */
export const proxyEnvOwner = String.raw`{{- if and .TypeMeta.APIVersion .DeploymentMeta.Name }}
- name: ISTIO_META_OWNER
  value: {{ printf "kubernetes://apis/%s/namespaces/%s/%ss/%s" .TypeMeta.APIVersion (.DeploymentMeta.Namespace | default "default") (toLower .TypeMeta.Kind) .DeploymentMeta.Name | quote }}
{{- end }}`;

/** Mesh identity env entries at the end of istio-proxy's env. */
export const proxyEnvMesh = String.raw`- name: ISTIO_META_MESH_ID
  value: {{ $g.meshID | default $trustDomain | quote }}
- name: TRUST_DOMAIN
  value: {{ $trustDomain | quote }}`;

export const proxyMetadataEnv = String.raw`{{- range $name, $value := .ProxyConfig.ProxyMetadata }}
- name: {{ $name | quote }}
  value: {{ $value | quote }}
{{- end }}`;

export const envoyPromPort = String.raw`- name: http-envoy-prom
  containerPort: 15090
  protocol: TCP`;

/** The istio agent's own mounts: its data and Envoy's config dirs, istiod's token and the pod's labels/annotations. */
export const agentStateMounts = String.raw`- name: istio-data
  mountPath: /var/lib/istio/data
- name: istio-envoy
  mountPath: /etc/istio/proxy
- name: istio-token
  mountPath: /var/run/secrets/tokens
- name: istio-podinfo
  mountPath: /etc/istio/pod`;

/** The pod's labels and annotations as files, for the agent (mounted as `istio-podinfo`). */
export const podInfoVolume = String.raw`- name: istio-podinfo
  downwardAPI:
    items:
    - path: labels
      fieldRef:
        fieldPath: metadata.labels
    - path: annotations
      fieldRef:
        fieldPath: metadata.annotations`;

/** Mounts of istio-proxy; `crl` adds the optional CRL of a plugged-in CA. */
export function proxyVolumeMounts(options: { crl: boolean }): string {
  return String.raw`- name: workload-socket
  mountPath: /var/run/secrets/workload-spiffe-uds
- name: credential-socket
  mountPath: /var/run/secrets/credential-uds
- name: workload-certs
  mountPath: /var/run/secrets/workload-spiffe-credentials
{{- if eq $pilotCertProvider "istiod" }}
- name: istiod-ca-cert
  mountPath: /var/run/secrets/istio
{{- end }}
${options.crl ? "- name: istio-ca-crl\n  mountPath: /var/run/secrets/istio/crl\n  readOnly: true\n" : ""}${agentStateMounts}`;
}

/**
 * The volume with istiod's root certificate, when istiod is the CA: a ClusterTrustBundle projection when
 * pilot's ENABLE_CLUSTER_TRUST_BUNDLE_API is on, otherwise the root-cert ConfigMap istiod writes in every namespace.
 */
export const istiodCaCertVolume = String.raw`{{- if eq $pilotCertProvider "istiod" }}
{{- $trustBundleApi := false }}
{{- with .Values.pilot }}{{ with .env }}{{ if eq (.ENABLE_CLUSTER_TRUST_BUNDLE_API | toString) "true" }}{{ $trustBundleApi = true }}{{ end }}{{ end }}{{ end }}
- name: istiod-ca-cert
  {{- if $trustBundleApi }}
  projected:
    sources:
    - clusterTrustBundle:
        name: {{ printf "istio.io:istiod-ca:%s" ($g.trustBundleName | default "root-cert") | quote }}
        path: root-cert.pem
  {{- else }}
  configMap:
    name: {{ $g.trustBundleName | default "istio-ca-root-cert" | quote }}
  {{- end }}
{{- end }}`;

/** A projected service-account token for istiod's audience, mounted by the agent as `path`. */
export function istiodTokenVolume(name: string): string {
  return String.raw`- name: ${name}
  projected:
    sources:
    - serviceAccountToken:
        path: ${name}
        expirationSeconds: 43200
        audience: {{ $g.sds.token.aud | default "istio-ca" | quote }}`;
}

/** Volumes behind `proxyVolumeMounts`, in the same order as upstream's status annotation lists them. */
export function proxyVolumes(options: { crl: boolean }): string {
  return String.raw`- name: workload-socket
  emptyDir: {}
- name: credential-socket
  emptyDir: {}
- name: workload-certs
  emptyDir: {}
- name: istio-envoy
  emptyDir:
    medium: Memory
- name: istio-data
  emptyDir: {}
${podInfoVolume}
${istiodTokenVolume("istio-token")}
${istiodCaCertVolume}${options.crl ? "\n- name: istio-ca-crl\n  configMap:\n    name: istio-ca-crl\n    optional: true" : ""}`;
}

/** The proxy's readiness probe on Envoy's health listener. */
export function readinessProbe(tunables: { initialDelay: string; period: string; failureThreshold: string }): string {
  return String.raw`readinessProbe:
  httpGet:
    path: /healthz/ready
    port: 15021
  initialDelaySeconds: ${tunables.initialDelay}
  periodSeconds: ${tunables.period}
  timeoutSeconds: 3
  failureThreshold: ${tunables.failureThreshold}`;
}

/** An HTTP probe on the proxy's health endpoint (15021) with the given timings. */
function healthProbe(kind: string, failureThreshold: number, initialDelay: number, period: number): string {
  return `${kind}:
  httpGet:
    path: /healthz/ready
    port: 15021
    scheme: HTTP
  failureThreshold: ${failureThreshold}
  initialDelaySeconds: ${initialDelay}
  periodSeconds: ${period}
  successThreshold: 1
  timeoutSeconds: 1`;
}

/**
 * Probes of a proxy the Gateway API controller deploys: a fast startup probe (up to 30 s), then readiness every
 * 15 s. Nothing rewrites them, so they are fixed rather than read from the values.
 */
export const controllerProbes = `${healthProbe("startupProbe", 30, 1, 1)}
${healthProbe("readinessProbe", 4, 0, 15)}`;

/** Readiness of a gateway's proxy: the values' timings, without the per-pod annotations sidecars honour. */
export const gatewayReadinessProbe = readinessProbe({
  initialDelay: String.raw`{{ valueOrDefault $p.readinessInitialDelaySeconds 0 }}`,
  period: String.raw`{{ valueOrDefault $p.readinessPeriodSeconds 15 }}`,
  failureThreshold: String.raw`{{ valueOrDefault $p.readinessFailureThreshold 4 }}`,
});

/** `imagePullSecrets` of the pod from the values (names or `{name: …}` maps). */
export const podImagePullSecrets = String.raw`{{- with $g.imagePullSecrets }}
imagePullSecrets:
{{- range . }}
- name: {{ if kindIs "map" . }}{{ .name | quote }}{{ else }}{{ . | quote }}{{ end }}
{{- end }}
{{- end }}`;

/**
 * The end of a gateway pod: the proxy container's mesh env, metadata env, probes (`probes`, the gateway template's
 * readiness probe unless given) and mounts, then the pod's volumes and image pull secrets, for a pod spec whose
 * fields start at `column`. `lastEnv` is appended to the container's env.
 */
export function gatewayPodTail(column: number, probes = gatewayReadinessProbe, lastEnv = ""): string {
  const container = column + 2;
  return `${at(container, proxyEnvMesh)}
${at(container, proxyMetadataEnv)}${lastEnv ? `\n${at(container, lastEnv)}` : ""}
${at(container, probes)}
${at(container, "volumeMounts:")}
${at(container, proxyVolumeMounts({ crl: false }))}
${at(column, "volumes:")}
${at(column, proxyVolumes({ crl: false }))}
${at(column, podImagePullSecrets)}`;
}
