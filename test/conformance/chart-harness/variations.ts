// Value variations generated from the reference charts' values.yaml: every scalar knob changed, every empty map
// and list given one entry (a plausible one where the field has a shape), each as its own IstioOperator overlay.
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { referenceRoot } from "./istioctl-inputs.js";

type Json = Record<string, unknown>;
const isMap = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

export interface Variation {
  id: string;
  group: string;
  overlay: Json;
  /**
   * The same configuration without the varied setting. A variation is judged on the differences it adds to its
   * baseline's, so one difference shared by every render (a missing template, say) does not hide the others.
   */
  baseline?: Json;
}

/** Keys of the IstioOperator's `values` that are not istiod's own (istiod's own go under `values.pilot`). */
const sharedTopLevel = new Set([
  "global",
  "meshConfig",
  "sidecarInjectorWebhook",
  "istiodRemote",
  "telemetry",
  "revision",
  "revisionTags",
  "ownerName",
  "experimental",
  "base",
  "gateways",
  "gatewayClasses",
  "profile",
  "compatibilityVersion",
  "defaultRevision",
  "cni",
  "ztunnel",
]);

interface ChartSource {
  group: string;
  chart: string;
  /** Where the chart's own (non-shared) keys live in the IstioOperator's values. */
  ownRoot?: string;
  profile?: string;
  /** Extra overlay content that enables the component. */
  enable?: Json;
  /** Only keys under these prefixes come from this chart. */
  only?: string[];
}

const sources: ChartSource[] = [
  { group: "base", chart: "base", only: ["base."] },
  { group: "global", chart: "istio-control/istio-discovery", only: ["global."] },
  { group: "istiod", chart: "istio-control/istio-discovery", ownRoot: "pilot" },
  {
    group: "istiod-shared",
    chart: "istio-control/istio-discovery",
    only: ["sidecarInjectorWebhook.", "telemetry.", "istiodRemote.", "experimental.", "meshConfig.", "revision", "ownerName"],
  },
  { group: "ingress", chart: "gateways/istio-ingress", only: ["gateways.", "global."] },
  {
    group: "egress",
    chart: "gateways/istio-egress",
    only: ["gateways.", "global."],
    enable: { spec: { components: { egressGateways: [{ name: "istio-egressgateway", enabled: true }] } } },
  },
  { group: "cni", chart: "istio-cni", ownRoot: "cni", profile: "ambient" },
  { group: "ztunnel", chart: "ztunnel", ownRoot: "ztunnel", profile: "ambient" },
];

/** Plausible one-entry content for empty maps and lists, by the field's last path segment(s). */
const shapedEntries: Record<string, unknown> = {
  affinity: {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [{ matchExpressions: [{ key: "disktype", operator: "In", values: ["ssd"] }] }],
      },
    },
  },
  seccompProfile: { type: "RuntimeDefault" },
  autoscaleBehavior: { scaleDown: { stabilizationWindowSeconds: 60 } },
  memory: { targetAverageUtilization: 80 },
  securityContext: { runAsUser: 1337 },
  seLinuxOptions: { type: "spc_t" },
  dnsConfig: { options: [{ name: "ndots", value: "2" }] },
  "sidecarInjectorWebhook.templates": { custom: 'metadata:\n  labels:\n    custom: "true"\n' },
  meshNetworks: { network1: { endpoints: [{ fromRegistry: "Kubernetes" }], gateways: [{ address: "192.0.2.1", port: 15443 }] } },
  arch: { amd64: 2 },
  tolerations: [{ key: "example", operator: "Exists", effect: "NoSchedule" }],
  imagePullSecrets: ["regcred"],
  ipFamilies: ["IPv4"],
  volumes: [{ name: "extra", emptyDir: {} }],
  volumeMounts: [{ name: "extra", mountPath: "/extra" }],
  initContainers: [{ name: "extra", image: "busybox" }],
  additionalContainers: [{ name: "extra", image: "busybox" }],
  topologySpreadConstraints: [{ maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway" }],
  extraContainerArgs: ["--log_output_level=default:debug"],
  envVarFrom: [{ name: "EXTRA", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } }],
  neverInjectSelector: [{ matchExpressions: [{ key: "openshift.io/build.name", operator: "Exists" }] }],
  alwaysInjectSelector: [{ matchExpressions: [{ key: "inject", operator: "Exists" }] }],
  defaultTemplates: ["sidecar"],
  certSigners: ["clusterissuers.cert-manager.io/istio-ca"],
  loadBalancerSourceRanges: ["10.0.0.0/8"],
  configVolumes: [{ name: "extra-config", configMapName: "extra-config", mountPath: "/etc/extra-config" }],
  secretVolumes: [{ name: "extra-certs", secretName: "extra-certs", mountPath: "/etc/extra-certs" }],
  podAntiAffinityLabelSelector: [{ key: "app", operator: "In", values: "istio-ingressgateway", topologyKey: "kubernetes.io/hostname" }],
  podAntiAffinityTermLabelSelector: [{ key: "app", operator: "In", values: "istio-ingressgateway", topologyKey: "kubernetes.io/hostname" }],
  ports: [{ port: 8080, targetPort: 8080, name: "http-alt", protocol: "TCP" }],
  ingressPorts: [{ port: 8080, name: "http-alt" }],
  excludedCRDs: ["wasmplugins.extensions.istio.io"],
  excludeNamespaces: ["kube-system"],
  enablementSelectors: [{ podSelector: { matchLabels: { "istio.io/dataplane-mode": "ambient" } } }],
};

/** Replacement values for scalars whose type alone does not give a meaningful change. */
const scalarChoices: Record<string, unknown> = {
  imagePullPolicy: "Always",
  ipFamilyPolicy: "SingleStack",
  variant: "distroless",
  type: "NodePort",
  hub: "example.com/istio",
  tag: "1.30.4",
  image: "example.com/istio/custom:1.30.4",
  rollingMaxSurge: "50%",
  rollingMaxUnavailable: "50%",
  logLevel: "debug",
  level: "debug",
  cpu: "200m",
  logAsJson: true,
  externalTrafficPolicy: "Local",
  priorityClassName: "system-cluster-critical",
  keepaliveMaxServerConnectionAge: "10m",
  clusterDomain: "example.local",
  network: "network1",
  pilotCertProvider: "istiod",
  caAddress: "ca.example:15012",
  ipFamilyPolicyRequireDualStack: "RequireDualStack",
};

function changedScalar(key: string, value: unknown): unknown {
  if (key in scalarChoices && scalarChoices[key] !== value) return scalarChoices[key];
  if (typeof value === "boolean") return !value;
  if (typeof value === "number") return Number.isInteger(value) ? value + 1 : value / 2;
  if (value === null) return "example";
  if (typeof value === "string") return value === "" ? "example" : `${value}-example`;
  return undefined;
}

function shapedEntry(dotted: string): unknown {
  const segments = dotted.split(".");
  const lastTwo = segments.slice(-2).join(".");
  if (lastTwo in shapedEntries) return shapedEntries[lastTwo];
  return shapedEntries[segments.at(-1)!];
}

function setIn(root: Json, segments: string[], value: unknown): void {
  let current = root;
  for (const segment of segments.slice(0, -1)) {
    if (!isMap(current[segment])) current[segment] = {};
    current = current[segment] as Json;
  }
  current[segments.at(-1)!] = value;
}

function chartDefaults(chart: string): Json {
  const all = parse(readFileSync(path.join(referenceRoot, "charts", chart, "values.yaml"), "utf8"), { version: "1.1" }) as Json;
  return isMap(all._internal_defaults_do_not_set) ? all._internal_defaults_do_not_set : all;
}

export function valueVariations(): Variation[] {
  const seen = new Set<string>();
  const out: Variation[] = [];
  for (const source of sources) {
    const leaves: [string[], unknown][] = [];
    const walk = (value: unknown, at: string[]) => {
      if (isMap(value) && Object.keys(value).length > 0) {
        for (const [key, inner] of Object.entries(value)) walk(inner, [...at, key]);
        return;
      }
      leaves.push([at, value]);
    };
    walk(chartDefaults(source.chart), []);
    for (const [at, value] of leaves) {
      const dotted = at.join(".");
      if (source.only && !source.only.some((prefix) => dotted.startsWith(prefix))) continue;
      if (!source.only && sharedTopLevel.has(at[0]!)) continue;
      const iopPath = source.ownRoot && !sharedTopLevel.has(at[0]!) ? [source.ownRoot, ...at] : at;
      const key = iopPath.join(".");
      if (seen.has(key)) continue;
      let changed: unknown;
      if (isMap(value) || Array.isArray(value)) {
        changed = shapedEntry(dotted);
        if (changed === undefined) changed = isMap(value) ? { example: "value" } : undefined;
        if (Array.isArray(value) && value.length === 1 && Array.isArray(changed)) continue;
      } else changed = changedScalar(at.at(-1)!, value);
      if (changed === undefined) continue;
      seen.add(key);
      const overlay: Json = { apiVersion: "install.istio.io/v1alpha1", kind: "IstioOperator", spec: {} };
      if (source.profile) setIn(overlay, ["spec", "profile"], source.profile);
      if (source.enable) Object.assign(overlay.spec as Json, structuredClone(source.enable.spec as Json));
      const baseline = structuredClone(overlay);
      setIn(overlay, ["spec", "values", ...iopPath], changed);
      out.push({ id: `${source.group}:${key}`, group: source.group, overlay, baseline });
    }
  }
  return out;
}

/** Component-level gateway settings istioctl passes to the chart as values (name, label, a second instance). */
export function gatewayComponentVariations(): Variation[] {
  const overlay = (spec: Json): Json => ({ apiVersion: "install.istio.io/v1alpha1", kind: "IstioOperator", spec });
  const variations: Variation[] = [
    {
      id: "gateway:label",
      group: "gateway-components",
      overlay: overlay({ components: { ingressGateways: [{ name: "istio-ingressgateway", enabled: true, label: { team: "edge" } }] } }),
    },
    {
      id: "gateway:name",
      group: "gateway-components",
      overlay: overlay({ components: { ingressGateways: [{ name: "edge-gateway", enabled: true }] } }),
    },
    {
      id: "gateway:namespace",
      group: "gateway-components",
      overlay: overlay({ components: { ingressGateways: [{ name: "istio-ingressgateway", enabled: true, namespace: "edge" }] } }),
    },
    {
      id: "gateway:two-instances",
      group: "gateway-components",
      overlay: overlay({
        components: {
          ingressGateways: [
            { name: "istio-ingressgateway", enabled: true },
            { name: "internal-gateway", enabled: true, label: { istio: "internal" } },
          ],
        },
      }),
    },
    {
      id: "gateway:values-labels",
      group: "gateway-components",
      overlay: overlay({ values: { gateways: { "istio-ingressgateway": { labels: { team: "edge" } } } } }),
    },
    { id: "gateway:tag-number", group: "gateway-components", overlay: overlay({ tag: 1.29 }) },
    { id: "gateway:hub", group: "gateway-components", overlay: overlay({ hub: "example.com/istio" }) },
    { id: "gateway:revision", group: "gateway-components", overlay: overlay({ revision: "canary" }) },
    {
      id: "gateway:egress-demo",
      group: "gateway-components",
      overlay: overlay({ profile: "demo", values: { gateways: { "istio-egressgateway": { autoscaleEnabled: true } } } }),
    },
  ];
  return variations.map((variation) => ({
    ...variation,
    baseline: overlay(variation.id === "gateway:egress-demo" ? { profile: "demo" } : {}),
  }));
}
