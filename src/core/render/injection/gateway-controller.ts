// The `kube-gateway` and `waypoint` templates. Not pod templates: istiod's Gateway API deployment controller
// renders them for every Gateway of class `istio` / `istio-waypoint` (docs/design/injection.md §1.12) and
// server-side applies each `---` document.
// Data: the Gateway itself (embedded: `.Name`, `.Namespace`, `.UID`, `.Labels`, `.Annotations`, `.Spec`) plus
// `.DeploymentName`, `.ServiceAccount`, `.Ports` (service ports: status-port 15021 + one per listener port),
// `.ServiceType`, `.ClusterID`, `.Revision`, `.ProxyUID`/`.ProxyGID`, `.CompliancePolicy`,
// `.InfrastructureLabels`/`.InfrastructureAnnotations`, `.GatewayNameLabel`, `.ProxyImage`, `.ProxyConfig`,
// `.MeshConfig`, `.Values`.
// The controller keeps a HorizontalPodAutoscaler or PodDisruptionBudget document only when the class or
// Gateway parameters ConfigMap carries an overlay for it, so both are always emitted here as skeletons; the
// PDB names no budget of its own (the overlay picks minAvailable or maxUnavailable, never both).
// The proxy is written out in full (the pod is labelled not to be injected): the Service selects the pod by
// the gateway-name label, and istiod binds the Gateway's configuration to proxies behind that Service.
import {
  agentStateMounts,
  at,
  controllerProbes,
  domainArgs,
  downwardEnv,
  envoyPromPort,
  gatewayPodHead,
  gatewayPodTail,
  istiodCaCertVolume,
  istiodTokenVolume,
  jsonLogArg,
  logLevelArgs,
  podImagePullSecrets,
  podInfoVolume,
  proxyArgsTail,
  proxyEnvHead,
  proxyEnvMesh,
  proxyEnvRuntime,
  proxyEnvWorkload,
  proxyImage,
  proxyMetadataEnv,
  resourcesField,
  restrictedSecurityContext,
  valuesPrelude,
} from "./fragments.js";

/** Annotations of the Gateway that the controller does not copy onto the objects it creates (`$annotations`). */
export const copiedAnnotations = String.raw`{{- $annotations := omit .InfrastructureAnnotations "kubectl.kubernetes.io/last-applied-configuration" "gateway.istio.io/controller-version" "gateway.istio.io/name-override" "gateway.istio.io/service-account" }}`;

interface OwnedMetadataOptions {
  /** Map expression for the labels (default `$labels`). */
  labels?: string;
  /** Map expression for the annotations (default `$annotations`). */
  annotations?: string;
  /** Condition guarding the owner reference (the charts set one on ServiceAccounts only from Kubernetes 1.28). */
  ownedWhen?: string;
}

/**
 * `metadata` of an object the controller creates for a Gateway, named by the template field `name`, owned by the
 * Gateway (needs `$labels` and `$annotations` unless the options name other expressions).
 */
export function ownedMetadata(name: string, options: OwnedMetadataOptions = {}): string {
  const owner = String.raw`ownerReferences:
- apiVersion: gateway.networking.k8s.io/v1
  kind: Gateway
  name: {{ .Name | quote }}
  uid: {{ .UID | quote }}`;
  const guarded = options.ownedWhen
    ? `{{- if ${options.ownedWhen} }}
${owner}
{{- end }}`
    : owner;
  return String.raw`metadata:
  name: {{ ${name} | quote }}
  namespace: {{ .Namespace | quote }}
  labels: {{ toJsonMap ${options.labels ?? "$labels"} }}
  annotations: {{ toJsonMap ${options.annotations ?? "$annotations"} }}
${at(2, guarded)}`;
}

/**
 * The label sets of the controller's objects: `$selector` (the pod selector), `$labels` (every object: the Gateway's
 * infrastructure labels, its name and class) and `$managedLabels` (the Deployment and its pods, plus the
 * `gateway.istio.io/managed` label by which istiod's controller watches the Deployments it owns; `managedBy` is a
 * template expression).
 */
export function controllerLabels(managedBy: string): string {
  return String.raw`{{- $selector := strdict .GatewayNameLabel .Name }}
{{- $labels := mergeMaps .InfrastructureLabels (strdict "gateway.networking.k8s.io/gateway-name" .Name "gateway.networking.k8s.io/gateway-class-name" .GatewayClass) }}
{{- $managedLabels := mergeMaps $labels (strdict "gateway.istio.io/managed" ${managedBy}) }}`;
}

interface ControllerDocumentsShape {
  /** Extra pod labels, as `strdict` arguments (each with a leading space). */
  podLabels: string;
  /** The pod's prometheus scrape annotations, as `strdict` arguments in the order the chart writes them. */
  podPrometheusAnnotations: string;
  /** The pod's spec fields, at column 6. */
  podSpec: string;
  /** Template expression for the Service type. */
  serviceType: string;
  /** Annotations of the Service, a map expression. */
  serviceAnnotations: string;
  /** Map expression for the PodDisruptionBudget's pod selector. */
  disruptionSelector: string;
}

/**
 * The Deployment, Service, HorizontalPodAutoscaler and PodDisruptionBudget every controller template renders after
 * its ServiceAccount (needs `controllerLabels` and `copiedAnnotations` above it).
 */
export function controllerDocuments(shape: ControllerDocumentsShape): string {
  return String.raw`---
apiVersion: apps/v1
kind: Deployment
${ownedMetadata(".DeploymentName", { labels: "$managedLabels" })}
spec:
  selector:
    matchLabels: {{ toJsonMap $selector }}
  template:
    metadata:
      {{- /* the Gateway's infrastructure labels may override the defaults, never the controller's own */}}
      labels: {{ toJsonMap (strdict "sidecar.istio.io/inject" "false" "service.istio.io/canonical-name" .DeploymentName "service.istio.io/canonical-revision" "latest"${shape.podLabels}) $managedLabels }}
      annotations: {{ toJsonMap $annotations (strdict "istio.io/rev" (.Revision | default "default") ${shape.podPrometheusAnnotations}) }}
    spec:
${shape.podSpec}
---
apiVersion: v1
kind: Service
${ownedMetadata(".DeploymentName", { annotations: shape.serviceAnnotations })}
spec:
  type: {{ ${shape.serviceType} | quote }}
  ipFamilyPolicy: PreferDualStack
  selector: {{ toJsonMap $selector }}
  ports:
  {{- range .Ports }}
  - name: {{ .Name | quote }}
    port: {{ .Port }}
    protocol: TCP
    {{- with .AppProtocol }}
    appProtocol: {{ . }}
    {{- end }}
  {{- end }}
  {{- if and .Spec.Addresses (eq .ServiceType "LoadBalancer") }}
  loadBalancerIP: {{ (index .Spec.Addresses 0).Value | quote }}
  {{- end }}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
${ownedMetadata(".DeploymentName")}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ .DeploymentName | quote }}
  maxReplicas: 1
---
apiVersion: policy/v1
kind: PodDisruptionBudget
${ownedMetadata(".DeploymentName")}
spec:
  selector:
    matchLabels: {{ toJsonMap ${shape.disruptionSelector} }}
`;
}

/** The controller proxy's metrics and health ports (agent or agentgateway), for a container's `ports`. */
export const controllerPorts = String.raw`- name: metrics
  containerPort: 15020
  protocol: TCP
- name: status-port
  containerPort: 15021
  protocol: TCP`;

/** The controller proxy's restricted security context, with the gateways' seccomp profile when the values set one. */
const controllerSecurityContext = String.raw`securityContext:
${at(2, restrictedSecurityContext)}
  {{- with $gateways.seccompProfile }}
  seccompProfile:
    {{- toYaml . | trim | nindent 12 }}
  {{- end }}`;

interface ControllerTemplateShape {
  /** Template name, for the header comment. */
  name: string;
  /** Service type when the controller hands none (it always does; this guards an empty value). */
  defaultServiceType: string;
  /** Extra pod labels, as `strdict` arguments. */
  podLabels: string;
  /** Value of the `gateway.istio.io/managed` label, a template expression. */
  managedBy: string;
  /** Annotations of the Service, a map expression. */
  serviceAnnotations: string;
  /** The pod's spec fields, at column 6. */
  podSpec: string;
}

function controllerTemplate(shape: ControllerTemplateShape): string {
  return String.raw`{{- /* mesh ${shape.name} template (istio 1.30 Gateway API deployment controller) */ -}}
${valuesPrelude}
{{- $gateways := .Values.gateways | default (dict) }}
${controllerLabels(shape.managedBy)}
${copiedAnnotations}
apiVersion: v1
kind: ServiceAccount
${ownedMetadata(".ServiceAccount", { ownedWhen: "ge .KubeVersion 128" })}
${controllerDocuments({
  podLabels: shape.podLabels,
  podPrometheusAnnotations: '"prometheus.io/scrape" "true" "prometheus.io/port" "15020" "prometheus.io/path" "/stats/prometheus"',
  podSpec: shape.podSpec,
  serviceType: `.ServiceType | default "${shape.defaultServiceType}"`,
  serviceAnnotations: shape.serviceAnnotations,
  disruptionSelector: "$selector",
})}`;
}

const workloadEnv = proxyEnvWorkload({
  podPorts: String.raw`"[]"`,
  appContainers: String.raw`""`,
  clusterId: String.raw`.ClusterID`,
  interceptionMode: String.raw`{{ .ProxyConfig.InterceptionMode | toString | quote }}`,
  // a Gateway labelled with a network (an east-west gateway) belongs to it, whatever the cluster's default
  network: String.raw`(index .InfrastructureLabels "topology.istio.io/network" | default $g.network)`,
});

/** The network whose endpoints a gateway labelled with one asks istiod for. */
const requestedNetworkView = String.raw`{{- with index .InfrastructureLabels "topology.istio.io/network" }}
- name: ISTIO_META_REQUESTED_NETWORK_VIEW
  value: {{ . | quote }}
{{- end }}`;

/**
 * kube-gateway's pod: a router Envoy with its agent. Scheduling is left to the class's or the Gateway's parameters
 * overlay, which istiod applies on top (the chart reads no scheduling values here).
 */
const routerPodSpec = String.raw`{{- $resources := omitNil $p.resources | default (dict) }}
      serviceAccountName: {{ .ServiceAccount | quote }}
${gatewayPodHead(6)}
${at(8, controllerPorts)}
${at(8, envoyPromPort)}
        args:
        - proxy
        - router
${at(8, proxyArgsTail)}
        {{- with $p.lifecycle }}
        lifecycle:
          {{- toYaml . | trim | nindent 10 }}
        {{- end }}
${at(8, controllerSecurityContext)}
${resourcesField(8)}
        env:
${at(8, proxyEnvHead)}
${at(8, workloadEnv)}
        - name: ISTIO_META_WORKLOAD_NAME
          value: {{ .DeploymentName | quote }}
        - name: ISTIO_META_OWNER
          value: {{ printf "kubernetes://apis/apps/v1/namespaces/%s/deployments/%s" .Namespace .DeploymentName | quote }}
${gatewayPodTail(6, controllerProbes, requestedNetworkView)}`;

export const kubeGatewayTemplate = controllerTemplate({
  name: "kube-gateway",
  defaultServiceType: "LoadBalancer",
  podLabels: "",
  managedBy: '"istio.io-gateway-controller"',
  serviceAnnotations: "$annotations",
  podSpec: routerPodSpec,
});

/**
 * A waypoint's pod: an Envoy in waypoint mode with its agent, scheduled and sized by values.global.waypoint. Its
 * service cluster is the waypoint's account; its cluster id comes from the values (the chart ignores the
 * controller's); only an east-west gateway asks for its network's view. No pod security context: it binds no low port.
 */
const waypointPodSpec = String.raw`{{- $waypoint := $g.waypoint | default (dict) }}
{{- $resources := omitNil $waypoint.resources | default (dict) }}
{{- $network := index .InfrastructureLabels "topology.istio.io/network" | default $g.network }}
      {{- range $field := list "affinity" "topologySpreadConstraints" "nodeSelector" "tolerations" }}
      {{- with index $waypoint $field }}
      {{ $field }}:
        {{- toYaml . | trim | nindent 8 }}
      {{- end }}
      {{- end }}
      serviceAccountName: {{ .ServiceAccount | quote }}
      containers:
      - name: istio-proxy
        ports:
${at(8, controllerPorts)}
${at(8, envoyPromPort)}
${at(8, proxyImage)}
        args:
        - proxy
        - waypoint
${at(8, domainArgs)}
        - --serviceCluster
        - {{ printf "%s.$(POD_NAMESPACE)" .ServiceAccount | quote }}
${at(8, logLevelArgs)}
${at(8, jsonLogArg)}
        {{- with $p.outlierLogPath }}
        - {{ printf "--outlierLogPath=%s" . | quote }}
        {{- end }}
        env:
${at(8, downwardEnv("ISTIO_META_SERVICE_ACCOUNT", "spec.serviceAccountName"))}
${at(8, downwardEnv("ISTIO_META_NODE_NAME", "spec.nodeName"))}
${at(8, proxyEnvHead)}
${at(8, proxyMetadataEnv)}
${at(8, proxyEnvRuntime)}
        - name: ISTIO_META_CLUSTER_ID
          value: {{ $g.multiCluster.clusterName | default "Kubernetes" | quote }}
        {{- with $network }}
        - name: ISTIO_META_NETWORK
          value: {{ . | quote }}
        {{- if eq $.ControllerLabel "istio.io-eastwest-controller" }}
        - name: ISTIO_META_REQUESTED_NETWORK_VIEW
          value: {{ . | quote }}
        {{- end }}
        {{- end }}
        - name: ISTIO_META_INTERCEPTION_MODE
          value: REDIRECT
        - name: ISTIO_META_WORKLOAD_NAME
          value: {{ .DeploymentName | quote }}
        - name: ISTIO_META_OWNER
          value: {{ printf "kubernetes://apis/apps/v1/namespaces/%s/deployments/%s" .Namespace .DeploymentName | quote }}
${at(8, proxyEnvMesh)}
${resourcesField(8)}
${at(8, controllerProbes)}
${at(8, controllerSecurityContext)}
        volumeMounts:
        - name: workload-socket
          mountPath: /var/run/secrets/workload-spiffe-uds
        {{- if eq $pilotCertProvider "istiod" }}
        - name: istiod-ca-cert
          mountPath: /var/run/secrets/istio
        {{- end }}
${at(8, agentStateMounts)}
      volumes:
      - name: workload-socket
        emptyDir: {}
      - name: istio-envoy
        emptyDir:
          medium: Memory
      {{- /* declared, unmounted, as istiod's chart declares them, so the applied pod is the same */}}
      - name: go-proxy-envoy
        emptyDir:
          medium: Memory
      - name: istio-data
        emptyDir: {}
      - name: go-proxy-data
        emptyDir: {}
${at(6, podInfoVolume)}
${at(6, istiodTokenVolume("istio-token"))}
${at(6, istiodCaCertVolume)}
${at(6, podImagePullSecrets)}`;

// Ambient waypoints: the same objects, an Envoy in waypoint mode receiving HBONE (15008) from ztunnel. The
// pod opts out of ambient capture itself (`istio.io/dataplane-mode: none`): ztunnel must not redirect the
// waypoint's own traffic back into a waypoint.
export const waypointTemplate = controllerTemplate({
  name: "waypoint",
  defaultServiceType: "ClusterIP",
  podLabels: ' "istio.io/dataplane-mode" "none"',
  // the controller hands each class its own label value
  managedBy: ".ControllerLabel",
  // ztunnel and sidecars prefer a waypoint in their own zone
  serviceAnnotations: '(mergeMaps (strdict "networking.istio.io/traffic-distribution" "PreferClose") $annotations)',
  podSpec: waypointPodSpec,
});
