// The `agentgateway` template: what istiod's Gateway API deployment controller renders, behind its experimental
// agentgateway feature flag, for a Gateway of class `istio-agentgateway` (docs/design/injection.md §1.12).
// Same objects as `kube-gateway`, but the pod runs the agentgateway proxy (Rust, no Envoy, no istio agent):
// it fetches its configuration from istiod's XDS_ADDRESS with an `xds-token`, its certificates from CA_ADDRESS
// with an `istio-token`, and trusts istiod's root certificate mounted for both. Metrics on 15020, health on 15021.
// Data: as kube-gateway (gateway-controller.ts), plus `.GatewayClass`, `.AgentgatewayImage` and the Gateway's
// `.Spec.Addresses`.
import {
  at,
  controllerProbes,
  downwardEnv,
  istiodCaCertVolume,
  istiodTokenVolume,
  podImagePullSecrets,
  proxyMetadataEnv,
  valuesPrelude,
} from "./fragments.js";
import { controllerDocuments, controllerLabels, controllerPorts, copiedAnnotations, ownedMetadata } from "./gateway-controller.js";

/** The controller label value by which istiod finds the Deployments it manages for this class. */
const managedBy = "istio.io-agentgateway-controller";

/** The proxy container, for a container list at `column` (nindent widths follow it). */
const container = (column: number) => String.raw`- name: agentgateway
  image: {{ $agentgatewayImage | quote }}
  {{- with $pullPolicy }}
  imagePullPolicy: {{ . | quote }}
  {{- end }}
  {{- with omitNil $p.resources }}
  resources:
    {{- toYaml . | trim | nindent ${column + 4} }}
  {{- end }}
  securityContext:
    allowPrivilegeEscalation: false
    capabilities:
      drop:
      - ALL
    privileged: false
    readOnlyRootFilesystem: true
    runAsNonRoot: true
    runAsUser: {{ .ProxyUID | default 10101 }}
    runAsGroup: {{ .ProxyGID | default 10101 }}
  ports:
${at(2, controllerPorts)}
  args:
  - --config
  - "{}"
  {{- with $p.lifecycle }}
  lifecycle:
    {{- toYaml . | trim | nindent ${column + 4} }}
  {{- end }}
  env:
${at(2, downwardEnv("POD_NAME", "metadata.name"))}
${at(2, downwardEnv("POD_NAMESPACE", "metadata.namespace"))}
${at(2, downwardEnv("NAMESPACE", "metadata.namespace"))}
${at(2, downwardEnv("INSTANCE_IP", "status.podIP"))}
${at(2, downwardEnv("SERVICE_ACCOUNT", "spec.serviceAccountName"))}
  - name: CPU_LIMIT
    valueFrom:
      resourceFieldRef:
        resource: limits.cpu
        divisor: "1"
  - name: GATEWAY
    value: {{ .Name | quote }}
  - name: RUST_BACKTRACE
    value: "1"
  - name: CLUSTER_ID
    value: {{ $g.multiCluster.clusterName | default .ClusterID | quote }}
  {{- with index .InfrastructureLabels "topology.istio.io/network" | default $g.network }}
  - name: NETWORK
    value: {{ . | quote }}
  {{- end }}
  {{- with .MeshConfig.TrustDomain | default $g.trustDomain }}
  - name: TRUST_DOMAIN
    value: {{ . | quote }}
  {{- end }}
${at(2, proxyMetadataEnv)}
  - name: XDS_ADDRESS
    value: {{ .ProxyConfig.DiscoveryAddress | quote }}
  - name: CA_ADDRESS
    value: {{ $g.caAddress | default (printf "%s.%s.svc:15012" $istiodName ($g.istioNamespace | default "istio-system")) | quote }}
${at(2, controllerProbes)}
  volumeMounts:
  {{- /* the root certificate only when the pod has its volume: another CA provider brings its own trust */}}
  {{- if eq $pilotCertProvider "istiod" }}
  - name: istiod-ca-cert
    mountPath: /var/run/secrets/xds
  {{- end }}
  - name: xds-token
    mountPath: /var/run/secrets/xds-tokens
  - name: tmp
    mountPath: /tmp
  {{- if eq $pilotCertProvider "istiod" }}
  - name: istiod-ca-cert
    mountPath: /var/run/secrets/istio
  {{- end }}
  - name: istio-token
    mountPath: /var/run/secrets/tokens`;

/** The pod's spec fields, at column 6. */
const podSpec = String.raw`      securityContext:
        {{- if $gateways.securityContext }}
        {{- toYaml $gateways.securityContext | trim | nindent 8 }}
        {{- else }}
        sysctls:
        - name: net.ipv4.ip_unprivileged_port_start
          value: "0"
        {{- with $gateways.seccompProfile }}
        seccompProfile:
          {{- toYaml . | trim | nindent 10 }}
        {{- end }}
        {{- end }}
      serviceAccountName: {{ .ServiceAccount | quote }}
      containers:
${at(6, container(6))}
      volumes:
      - name: tmp
        emptyDir: {}
${at(6, istiodTokenVolume("xds-token"))}
${at(6, istiodTokenVolume("istio-token"))}
${at(6, istiodCaCertVolume)}
${at(6, podImagePullSecrets)}`;

export const agentgatewayTemplate = String.raw`{{- /* mesh agentgateway template (istio 1.30 Gateway API deployment controller) */ -}}
${valuesPrelude}
{{- $gateways := .Values.gateways | default (dict) }}
{{- $agentgateway := $g.agentgateway | default (dict) }}
{{- $agentgatewayImage := .AgentgatewayImage }}
{{- $agentgatewayImageSetting := annotation .ObjectMeta "gateway.istio.io/agentgatewayImage" ($agentgateway.image | default "") }}
{{- if contains "/" $agentgatewayImageSetting }}{{ $agentgatewayImage = $agentgatewayImageSetting }}{{ end }}
${controllerLabels(`"${managedBy}"`)}
${copiedAnnotations}
apiVersion: v1
kind: ServiceAccount
${ownedMetadata(".ServiceAccount")}
${controllerDocuments({
  podLabels: "",
  podPrometheusAnnotations: '"prometheus.io/path" "/stats/prometheus" "prometheus.io/port" "15020" "prometheus.io/scrape" "true"',
  podSpec,
  serviceType: ".ServiceType",
  serviceAnnotations: "$annotations",
  // by the gateway-name label itself, not `.GatewayNameLabel`
  disruptionSelector: '(strdict "gateway.networking.k8s.io/gateway-name" .Name)',
})}`;
