// A model of istiod 1.30's injection webhook around the templates (docs/design/injection.md §1.4–§1.10, §2.1): decide,
// strip a previous injection, build the template data, render (through the Go harness), merge, re-apply
// user containers, post-process and reorder. Test code: it lets the conformance test assert the final pod.
import { parse as parseYaml } from "yaml";
import type { HarnessCase, HarnessResult } from "./harness.js";
import { clone, isObject, strategicMerge } from "./pod-merge.js";

type JsonObject = Record<string, unknown>;
export interface Container extends JsonObject {
  name: string;
}
export interface Pod {
  metadata: {
    name?: string;
    generateName?: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: JsonObject[];
  };
  spec: { containers: Container[]; initContainers?: Container[]; volumes?: JsonObject[]; hostNetwork?: boolean; [key: string]: unknown };
}

export interface InjectorConfig {
  policy: string;
  defaultTemplates: string[];
  templates: Record<string, string>;
  aliases?: Record<string, string[]>;
  neverInjectSelector?: unknown[];
  alwaysInjectSelector?: unknown[];
  injectedAnnotations?: Record<string, string>;
}

export interface InjectorEnvironment {
  values: JsonObject;
  meshConfig: JsonObject;
  revision: string;
  nativeSidecars: boolean;
  compliancePolicy?: string;
}

export type InjectionOutcome =
  | { kind: "skipped"; reason: string }
  | { kind: "rejected"; message: string }
  | { kind: "injected"; pod: Pod; templatePod: Pod; texts: string[] };

const ignoredNamespaces = new Set(["kube-system", "kube-public", "kube-node-lease", "local-path-storage"]);
const proxyConfigDefaults = {
  configPath: "./etc/istio/proxy",
  binaryPath: "/usr/local/bin/envoy",
  serviceCluster: "istio-proxy",
  drainDuration: "45s",
  terminationDrainDuration: "5s",
  discoveryAddress: "istiod.istio-system.svc:15012",
  proxyAdminPort: 15000,
  statNameLength: 189,
  statusPort: 15020,
};
const meshDefaults = { proxyListenPort: 15001, proxyInboundListenPort: 15006, trustDomain: "cluster.local" };

interface Prepared {
  pod: Pod;
  stripped: Pod;
  userContainers: { containers: Container[]; initContainers: Container[] };
  previousProbers: Record<string, unknown>;
  /** The user's own prometheus.io/* values recorded by a previous injection (the strip drops the annotations). */
  previousPrometheus: string | undefined;
  templateNames: string[];
  data: JsonObject;
}

/** Injects every pod; all renders go through one harness run. */
export async function injectPods(
  run: (cases: HarnessCase[]) => Promise<Map<string, HarnessResult>>,
  config: InjectorConfig,
  env: InjectorEnvironment,
  pods: Pod[],
): Promise<InjectionOutcome[]> {
  const prepared = pods.map((pod) => prepare(config, env, pod));
  const cases: HarnessCase[] = [];
  prepared.forEach((p, i) => {
    if ("kind" in p) return;
    p.templateNames.forEach((name, j) =>
      cases.push({ id: `${i}/${j}`, template: config.templates[name] ?? "", context: "pod", data: p.data }),
    );
  });
  const results = await run(cases);
  return prepared.map((p, i) => {
    if ("kind" in p) return p;
    const rendered = p.templateNames.map((_, j) => results.get(`${i}/${j}`));
    const failure = rendered.find((r) => r === undefined || r.stage !== "ok");
    if (failure) return { kind: "rejected", message: `render ${failure?.stage}: ${failure?.error}` };
    return finish(config, env, p, rendered as HarnessResult[]);
  });
}

function prepare(config: InjectorConfig, env: InjectorEnvironment, original: Pod): Prepared | InjectionOutcome {
  const pod = clone(original);
  const labels = pod.metadata.labels ?? {};
  const annotations = pod.metadata.annotations ?? {};
  if (pod.spec.hostNetwork) return { kind: "skipped", reason: "hostNetwork" };
  if (ignoredNamespaces.has(pod.metadata.namespace ?? "")) return { kind: "skipped", reason: "namespace" };
  const explicit = labels["sidecar.istio.io/inject"] ?? annotations["sidecar.istio.io/inject"];
  let inject: boolean | undefined = explicit === "true" ? true : explicit === "false" ? false : undefined;
  if (inject === undefined && (config.neverInjectSelector ?? []).some((s) => selects(s, labels))) inject = false;
  if (inject === undefined && (config.alwaysInjectSelector ?? []).some((s) => selects(s, labels))) inject = true;
  if (inject === undefined) {
    if (config.policy !== "enabled" && config.policy !== "disabled") return { kind: "skipped", reason: "bad policy" };
    inject = config.policy === "enabled";
  }
  if (!inject) return { kind: "skipped", reason: "not selected" };

  const invalid = validateAnnotations(annotations);
  if (invalid) return { kind: "rejected", message: invalid };

  const previousProbersText = previousProxyEnv(pod, "ISTIO_KUBE_APP_PROBERS");
  const previousProbers = previousProbersText ? (JSON.parse(previousProbersText) as Record<string, unknown>) : {};
  const previousPrometheus = previousProxyEnv(pod, "ISTIO_PROMETHEUS_ANNOTATIONS");
  const stripped = stripPreviousInjection(pod);
  const overrides = stripped.metadata.annotations?.["proxy.istio.io/overrides"];
  if (overrides) {
    const recorded = JSON.parse(overrides) as { containers?: Container[]; initContainers?: Container[] };
    stripped.spec.containers = [...stripped.spec.containers, ...(recorded.containers ?? [])];
    if (recorded.initContainers?.length)
      stripped.spec.initContainers = [...(stripped.spec.initContainers ?? []), ...recorded.initContainers];
  }

  const requested = annotations["inject.istio.io/templates"];
  const names = (
    requested !== undefined
      ? requested.split(",").map((s) => s.trim())
      : config.defaultTemplates.length
        ? config.defaultTemplates
        : ["sidecar"]
  ).flatMap((n) => config.aliases?.[n] ?? [n]);
  for (const name of names) {
    if (!(name in config.templates))
      return {
        kind: "rejected",
        message: `requested template "${name}" not found; have ${Object.keys(config.templates).sort().join(", ")}`,
      };
  }
  const userContainers = {
    containers: stripped.spec.containers.filter((c) => c.name === "istio-proxy" || c.name === "istio-init"),
    initContainers: (stripped.spec.initContainers ?? []).filter((c) => ["istio-proxy", "istio-init", "istio-validation"].includes(c.name)),
  };
  return { pod, stripped, userContainers, previousProbers, previousPrometheus, templateNames: names, data: templateData(env, stripped) };
}

function selects(selector: unknown, labels: Record<string, string>): boolean {
  const entries = Object.entries((selector as { matchLabels?: Record<string, string> }).matchLabels ?? {});
  return entries.length > 0 && entries.every(([k, v]) => labels[k] === v);
}

function validateAnnotations(annotations: Record<string, string>): string | undefined {
  const cidrList = (v: string) => v.split(",").every((c) => c.trim() === "" || isCidr(c.trim()));
  const checks: [string, (v: string) => boolean][] = [
    ["sidecar.istio.io/interceptionMode", (v) => ["REDIRECT", "TPROXY", "NONE"].includes(v)],
    ["status.sidecar.istio.io/port", (v) => /^\d+$/.test(v) && Number(v) <= 65535],
    ["traffic.sidecar.istio.io/includeOutboundIPRanges", (v) => v === "*" || cidrList(v)],
    ["traffic.sidecar.istio.io/excludeOutboundIPRanges", cidrList],
    ["traffic.sidecar.istio.io/includeInboundPorts", (v) => v === "*" || /^[\d, ]*$/.test(v)],
    ["traffic.sidecar.istio.io/excludeInboundPorts", (v) => /^[\d, ]*$/.test(v)],
    ["traffic.sidecar.istio.io/excludeOutboundPorts", (v) => /^[\d, ]*$/.test(v)],
  ];
  for (const suffix of ["initialDelaySeconds", "periodSeconds", "failureThreshold"])
    checks.push([`readiness.status.sidecar.istio.io/${suffix}`, (v) => /^\d+$/.test(v)]);
  for (const [key, ok] of checks) {
    const value = annotations[key];
    if (value !== undefined && !ok(value)) return `invalid annotation ${key}: ${value}`;
  }
  return undefined;
}

function isCidr(text: string): boolean {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(text);
  if (m) return m.slice(1, 5).every((o) => Number(o) <= 255) && Number(m[5]) <= 32;
  const v6 = /^[0-9a-fA-F:]+\/(\d+)$/.exec(text);
  return v6 !== null && Number(v6[1]) <= 128;
}

/** An env value istiod wrote on a previously injected istio-proxy, read before the strip removes it. */
function previousProxyEnv(pod: Pod, name: string): string | undefined {
  if (pod.metadata.annotations?.["sidecar.istio.io/status"] === undefined) return undefined;
  const proxy = [...pod.spec.containers, ...(pod.spec.initContainers ?? [])].find((c) => c.name === "istio-proxy");
  const env = (proxy?.env as { name: string; value?: string }[] | undefined) ?? [];
  return env.find((e) => e.name === name)?.value;
}

function stripPreviousInjection(pod: Pod): Pod {
  const out = clone(pod);
  const status = out.metadata.annotations?.["sidecar.istio.io/status"];
  if (status === undefined) return out;
  const parsed = JSON.parse(status) as { containers: string[] | null; initContainers: string[] | null; volumes: string[] | null };
  const drop = (names: string[] | null) => (c: { name?: unknown }) => !(names ?? []).includes(String(c.name));
  out.spec.containers = out.spec.containers.filter(drop(parsed.containers));
  if (out.spec.initContainers) out.spec.initContainers = out.spec.initContainers.filter(drop(parsed.initContainers));
  if (out.spec.volumes) out.spec.volumes = out.spec.volumes.filter(drop(parsed.volumes));
  const annotations = out.metadata.annotations!;
  delete annotations["sidecar.istio.io/status"];
  if (annotations["prometheus.io/port"] === "15020") {
    for (const k of ["prometheus.io/scrape", "prometheus.io/port", "prometheus.io/path"]) delete annotations[k];
  }
  return out;
}

function templateData(env: InjectorEnvironment, pod: Pod): JsonObject {
  const values = env.values as { global?: { hub?: string; tag?: string; variant?: string; proxy?: { image?: string } } };
  const annotations = pod.metadata.annotations ?? {};
  const meshConfig = { ...meshDefaults, ...env.meshConfig };
  const defaultConfig = (env.meshConfig.defaultConfig as JsonObject | undefined) ?? {};
  const podProxyConfig = annotations["proxy.istio.io/config"] ? (parseYaml(annotations["proxy.istio.io/config"]) as JsonObject) : {};
  const proxyConfig: JsonObject = { ...proxyConfigDefaults, ...defaultConfig, ...podProxyConfig };
  const { typeMeta, deploymentMeta } = workloadOf(pod);
  const g = values.global ?? {};
  let imageType =
    annotations["sidecar.istio.io/proxyImageType"] ??
    (proxyConfig.image as { imageType?: string } | undefined)?.imageType ??
    g.variant ??
    "";
  if (imageType === "default") imageType = "";
  const tag = String(g.tag ?? "").replace(/-(distroless|debug)$/, "");
  return {
    TypeMeta: typeMeta,
    DeploymentMeta: deploymentMeta,
    ObjectMeta: pod.metadata,
    Spec: pod.spec,
    ProxyConfig: proxyConfig,
    MeshConfig: meshConfig,
    Values: env.values,
    Revision: env.revision,
    NativeSidecars: env.nativeSidecars,
    ProxyImage: `${g.hub}/${g.proxy?.image ?? "proxyv2"}:${tag}${imageType ? `-${imageType}` : ""}`,
    ProxyUID: 1337,
    ProxyGID: 1337,
    InboundTrafficPolicyMode:
      (meshConfig as { inboundTrafficPolicy?: { mode?: string } }).inboundTrafficPolicy?.mode === "LOCALHOST" ? "localhost" : "passthrough",
    CompliancePolicy: env.compliancePolicy ?? "",
  };
}

function workloadOf(pod: Pod): { typeMeta: JsonObject; deploymentMeta: JsonObject } {
  const namespace = pod.metadata.namespace ?? "";
  const controller = (pod.metadata.ownerReferences ?? []).find((r) => r.controller === true) as
    { apiVersion: string; kind: string; name: string } | undefined;
  if (!controller) return { typeMeta: { kind: "Pod", apiVersion: "v1" }, deploymentMeta: { name: pod.metadata.name ?? "", namespace } };
  const labels = pod.metadata.labels ?? {};
  if (controller.kind === "ReplicaSet" && labels["pod-template-hash"] && controller.name.endsWith(`-${labels["pod-template-hash"]}`)) {
    const name = controller.name.slice(0, -(labels["pod-template-hash"].length + 1));
    return { typeMeta: { kind: "Deployment", apiVersion: controller.apiVersion }, deploymentMeta: { name, namespace } };
  }
  if (controller.kind === "Job" && /-\d{8,10}$/.test(controller.name)) {
    return {
      typeMeta: { kind: "CronJob", apiVersion: "batch/v1" },
      deploymentMeta: { name: controller.name.replace(/-\d{8,10}$/, ""), namespace },
    };
  }
  return { typeMeta: { kind: controller.kind, apiVersion: controller.apiVersion }, deploymentMeta: { name: controller.name, namespace } };
}

function finish(config: InjectorConfig, env: InjectorEnvironment, prepared: Prepared, rendered: HarnessResult[]): InjectionOutcome {
  let templatePod: Pod = { metadata: {}, spec: { containers: [] } };
  let pod = clone(prepared.stripped);
  for (const result of rendered) {
    const output = result.documents?.[0];
    if (output === null || output === undefined) continue;
    templatePod = strategicMerge(templatePod, output) as Pod;
    pod = strategicMerge(pod, output) as Pod;
  }
  pod.spec.containers ??= [];
  reapplyUserContainers(prepared, templatePod, pod);
  postProcess(env, prepared, templatePod, pod);
  for (const [k, v] of Object.entries(config.injectedAnnotations ?? {})) (pod.metadata.annotations ??= {})[k] = v;
  reorder(env, pod);
  return { kind: "injected", pod, templatePod, texts: rendered.map((r) => r.text ?? "") };
}

function reapplyUserContainers(prepared: Prepared, templatePod: Pod, pod: Pod): void {
  const templateInit = new Set((templatePod.spec.initContainers ?? []).map((c) => c.name));
  const templateMain = new Set(templatePod.spec.containers.map((c) => c.name));
  const recorded: { containers: Container[]; initContainers: Container[] } = { containers: [], initContainers: [] };
  const apply = (list: "containers" | "initContainers", user: Container) => {
    const withoutAuto = clone(user);
    if (withoutAuto.image === "auto") delete withoutAuto.image;
    const target = (pod.spec[list] ??= []);
    const index = target.findIndex((c) => c.name === user.name);
    if (index >= 0) target[index] = strategicMerge(target[index], withoutAuto, `spec.${list}.*`) as Container;
    recorded[list].push(withoutAuto);
  };
  for (const user of prepared.userContainers.containers) {
    if (templateInit.has(user.name) && !templateMain.has(user.name)) {
      // native mode: the user's istio-proxy is moved to initContainers before the re-apply (§1.8)
      pod.spec.containers = pod.spec.containers.filter((c) => c.name !== user.name || templateMain.has(user.name));
      apply("initContainers", user);
    } else if (templateMain.has(user.name)) apply("containers", user);
  }
  for (const user of prepared.userContainers.initContainers) if (templateInit.has(user.name)) apply("initContainers", user);
  const proxy = [...pod.spec.containers, ...(pod.spec.initContainers ?? [])].find((c) => c.name === "istio-proxy");
  const userUid = (
    prepared.userContainers.containers.find((c) => c.name === "istio-proxy")?.securityContext as { runAsUser?: number } | undefined
  )?.runAsUser;
  if (proxy && userUid) {
    for (const init of pod.spec.initContainers ?? []) {
      const args = init.args as string[] | undefined;
      const at = args?.indexOf("-u") ?? -1;
      if ((init.name === "istio-init" || init.name === "istio-validation") && args && at >= 0) args[at + 1] = String(userUid);
    }
  }
  const annotations = (pod.metadata.annotations ??= {});
  if ((recorded.containers.length || recorded.initContainers.length) && !annotations["proxy.istio.io/overrides"]) {
    const value: JsonObject = {};
    if (recorded.containers.length) value.containers = recorded.containers;
    if (recorded.initContainers.length) value.initContainers = recorded.initContainers;
    annotations["proxy.istio.io/overrides"] = JSON.stringify(value);
  }
}

function postProcess(env: InjectorEnvironment, prepared: Prepared, templatePod: Pod, pod: Pod): void {
  const annotations = (pod.metadata.annotations ??= {});
  const names = (list: { name?: unknown }[] | undefined) => (list && list.length ? list.map((c) => String(c.name)) : null);
  annotations["sidecar.istio.io/status"] = JSON.stringify({
    initContainers: names(templatePod.spec.initContainers),
    containers: names(templatePod.spec.containers),
    volumes: names(templatePod.spec.volumes),
    imagePullSecrets: names(templatePod.spec.imagePullSecrets as { name?: unknown }[] | undefined),
    revision: env.revision || "default",
  });
  const proxy = [...pod.spec.containers, ...(pod.spec.initContainers ?? [])].find((c) => c.name === "istio-proxy");
  const proxyEnv = () => (proxy!.env ??= []) as { name: string; value?: string }[];

  const mergeAnnotation = annotations["prometheus.istio.io/merge-metrics"];
  const mergeEnabled = mergeAnnotation !== undefined ? mergeAnnotation === "true" : env.meshConfig.enablePrometheusMerge !== false;
  if (mergeEnabled && annotations["prometheus.io/scrape"]?.toLowerCase() !== "false") {
    const previous: JsonObject = {};
    for (const key of ["scrape", "path", "port"])
      if (annotations[`prometheus.io/${key}`] !== undefined) previous[key] = annotations[`prometheus.io/${key}`];
    const recorded = Object.keys(previous).length ? JSON.stringify(previous) : prepared.previousPrometheus;
    if (proxy && recorded) proxyEnv().push({ name: "ISTIO_PROMETHEUS_ANNOTATIONS", value: recorded });
    const statusPort = ((env.meshConfig.defaultConfig as JsonObject | undefined)?.statusPort as number | undefined) ?? 15020;
    Object.assign(annotations, {
      "prometheus.io/scrape": "true",
      "prometheus.io/port": String(statusPort),
      "prometheus.io/path": "/stats/prometheus",
    });
  }

  const rewriteAnnotation = annotations["sidecar.istio.io/rewriteAppHTTPProbers"];
  const rewrite =
    rewriteAnnotation !== undefined
      ? rewriteAnnotation === "true"
      : (env.values.sidecarInjectorWebhook as JsonObject | undefined)?.rewriteAppHTTPProbe === true;
  if (proxy && rewrite) {
    const statusPort = Number(annotations["status.sidecar.istio.io/port"] ?? 15020);
    const probers: Record<string, unknown> = {};
    for (const c of [...(pod.spec.initContainers ?? []), ...pod.spec.containers]) {
      if (c.name === "istio-proxy") continue;
      for (const [field, suffix] of [
        ["readinessProbe", "readyz"],
        ["livenessProbe", "livez"],
        ["startupProbe", "startupz"],
      ] as const) {
        const probe = c[field];
        if (!isObject(probe)) continue;
        const path = `/app-health/${c.name}/${suffix}`;
        const httpGet = probe.httpGet as JsonObject | undefined;
        if (httpGet?.path === path && httpGet.port === statusPort) {
          if (prepared.previousProbers[path] !== undefined) probers[path] = prepared.previousProbers[path];
          continue;
        }
        const original: JsonObject = { timeoutSeconds: probe.timeoutSeconds };
        for (const kind of ["httpGet", "tcpSocket", "grpc"]) {
          if (!isObject(probe[kind])) continue;
          const action = clone<JsonObject>(probe[kind]);
          if (typeof action.port === "string") action.port = resolveNamedPort(c, action.port);
          original[kind] = action;
          delete probe[kind];
        }
        probers[path] = original;
        probe.httpGet = { path, port: statusPort, scheme: "HTTP" };
      }
    }
    if (Object.keys(probers).length) proxyEnv().push({ name: "ISTIO_KUBE_APP_PROBERS", value: JSON.stringify(probers) });
  }

  const g = (env.values.global ?? {}) as { network?: string; multiCluster?: { clusterName?: string } };
  const network = pod.metadata.labels?.["topology.istio.io/network"] || g.network;
  const cluster = g.multiCluster?.clusterName;
  if (proxy && (network || cluster)) {
    const kept = proxyEnv().filter((e) => e.name !== "ISTIO_META_CLUSTER_ID" && e.name !== "ISTIO_META_NETWORK");
    if (cluster) kept.push({ name: "ISTIO_META_CLUSTER_ID", value: cluster });
    if (network) kept.push({ name: "ISTIO_META_NETWORK", value: network });
    proxy.env = kept;
  }
  if (network) (pod.metadata.labels ??= {})["topology.istio.io/network"] = network;
}

function resolveNamedPort(container: Container, name: string): number | string {
  const ports = (container.ports as { name?: string; containerPort: number }[] | undefined) ?? [];
  return ports.find((p) => p.name === name)?.containerPort ?? name;
}

function reorder(env: InjectorEnvironment, pod: Pod): void {
  const init = pod.spec.initContainers ?? [];
  const byName = (list: Container[], name: string) => list.filter((c) => c.name === name);
  const others = (list: Container[], names: string[]) => list.filter((c) => !names.includes(c.name));
  const proxyIsInit = init.some((c) => c.name === "istio-proxy");
  if (proxyIsInit) {
    const first = ["istio-init", "istio-validation", "istio-proxy", "enable-core-dump"];
    pod.spec.initContainers = [...first.flatMap((n) => byName(init, n)), ...others(init, first)];
  } else if (init.length) {
    pod.spec.initContainers = [
      ...byName(init, "istio-validation"),
      ...others(init, ["istio-validation", "istio-init", "enable-core-dump"]),
      ...byName(init, "istio-init"),
      ...byName(init, "enable-core-dump"),
    ];
  }
  if (!proxyIsInit) {
    const hold =
      (env.values.global as { proxy?: { holdApplicationUntilProxyStarts?: boolean } } | undefined)?.proxy
        ?.holdApplicationUntilProxyStarts === true ||
      (env.meshConfig.defaultConfig as { holdApplicationUntilProxyStarts?: boolean } | undefined)?.holdApplicationUntilProxyStarts === true;
    const proxy = byName(pod.spec.containers, "istio-proxy");
    const rest = others(pod.spec.containers, ["istio-proxy"]);
    pod.spec.containers = hold ? [...proxy, ...rest] : [...rest, ...proxy];
  }
}
