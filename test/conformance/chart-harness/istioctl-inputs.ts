// The chart values istioctl 1.30 hands to Helm for an IstioOperator overlay, modelled from istioctl's
// operator/pkg/render (MergeInputs, translateIstioOperatorToHelm, applyComponentValuesToHelmValues) and
// operator/pkg/component (which components exist, when they are enabled, which chart each one renders).
// Independent of mesh's own operator code on purpose: this is the oracle side.
//
// Not modelled: components.*.k8s (istioctl applies those as strategic-merge patches after Helm) and the
// Windows components (their charts are not in the reference).
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";

export const istioVersion = "1.30.3";
export const referenceRoot = path.resolve(import.meta.dirname, "../../../../shared/reference/istio", istioVersion);
const chartsRoot = path.join(referenceRoot, "charts");

type Json = Record<string, unknown>;
const isMap = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

export interface ComponentRender {
  /** mesh's component name. */
  component: "base" | "istiod" | "ingress" | "egress" | "cni" | "ztunnel";
  chart: string;
  namespace: string;
  values: Json;
}

interface ComponentModel {
  component: ComponentRender["component"];
  specName: string;
  chart: string;
  valuesRoot: string;
  byDefault: boolean;
  multi?: boolean;
  gateway?: boolean;
  flatten?: boolean;
  altEnablement?: string;
}

const models: ComponentModel[] = [
  { component: "base", specName: "base", chart: "base", valuesRoot: "global", byDefault: true },
  { component: "istiod", specName: "pilot", chart: "istio-control/istio-discovery", valuesRoot: "pilot", byDefault: true },
  {
    component: "ingress",
    specName: "ingressGateways",
    chart: "gateways/istio-ingress",
    valuesRoot: "gateways.istio-ingressgateway",
    byDefault: true,
    multi: true,
    gateway: true,
    altEnablement: "spec.values.gateways.istio-ingressgateway.enabled",
  },
  {
    component: "egress",
    specName: "egressGateways",
    chart: "gateways/istio-egress",
    valuesRoot: "gateways.istio-egressgateway",
    byDefault: false,
    multi: true,
    gateway: true,
    altEnablement: "spec.values.gateways.istio-egressgateway.enabled",
  },
  { component: "cni", specName: "cni", chart: "istio-cni", valuesRoot: "cni", byDefault: false },
  { component: "ztunnel", specName: "ztunnel", chart: "ztunnel", valuesRoot: "ztunnel", byDefault: false, flatten: true },
];

const clone = <T>(value: T): T => structuredClone(value);

/** istioctl's values.Map.MergeFrom: maps merge key by key, anything else replaces. */
export function mergeFrom(base: Json, other: Json): Json {
  for (const [key, value] of Object.entries(other)) {
    if (isMap(value) && isMap(base[key])) mergeFrom(base[key], value);
    else base[key] = clone(value);
  }
  return base;
}

function getPath(root: unknown, dotted: string): unknown {
  let current = root;
  for (const segment of dotted.split(".")) {
    if (!isMap(current)) return undefined;
    current = current[segment];
  }
  return current;
}

/** A set path's value as istioctl re-reads a `--set` string: integer, float, boolean, else string. */
function parseSetValue(text: string): unknown {
  if (/^[+-]?\d+$/.test(text)) return Number(text);
  if (text.trim() !== "" && !Number.isNaN(Number(text)) && /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return Number(text);
  if (["1", "t", "T", "TRUE", "true", "True"].includes(text)) return true;
  if (["0", "f", "F", "FALSE", "false", "False"].includes(text)) return false;
  return text;
}

/** A scalar as Go's %v prints it. */
const goText = (value: unknown): string =>
  typeof value === "string" || typeof value === "number" || typeof value === "boolean" ? String(value) : JSON.stringify(value);

function setPath(root: Json, dotted: string, value: unknown): void {
  const segments = dotted.split(".");
  let current = root;
  for (const segment of segments.slice(0, -1)) {
    if (!isMap(current[segment])) current[segment] = {};
    current = current[segment] as Json;
  }
  current[segments.at(-1)!] = value;
}

function readProfile(name: string): Json {
  return parse(readFileSync(path.join(referenceRoot, "profiles", `${name}.yaml`), "utf8"), { version: "1.1" }) as Json;
}

/** MergeInputs: default profile < selected profile < released hub/tag < the user's overlays; then translated to values. */
export function mergeInputs(overlays: Json[]): Json {
  const user: Json = { apiVersion: "install.istio.io/v1alpha1", kind: "IstioOperator", metadata: {}, spec: {} };
  for (const overlay of overlays) mergeFrom(user, clone(overlay));
  const profile = typeof getPath(user, "spec.profile") === "string" ? (getPath(user, "spec.profile") as string) : "";
  const merged = readProfile("default");
  if (profile !== "" && profile !== "default") mergeFrom(merged, readProfile(profile));
  setPath(merged, "spec.hub", "docker.io/istio");
  setPath(merged, "spec.tag", istioVersion);
  mergeFrom(merged, user);
  const translations: [string, string][] = [
    ["spec.hub", "global.hub"],
    ["spec.tag", "global.tag"],
    ["spec.revision", "revision"],
    ["spec.meshConfig", "meshConfig"],
    ["spec.compatibilityVersion", "compatibilityVersion"],
  ];
  for (const [from, to] of translations) {
    const value = getPath(merged, from);
    if (value === undefined) continue;
    if (isMap(value)) mergeFrom(merged, { spec: { values: { meshConfig: clone(value) } } });
    // istioctl's always-string paths: the tag and compatibilityVersion are not re-read as numbers.
    else
      setPath(
        merged,
        `spec.values.${to}`,
        ["compatibilityVersion", "global.tag"].includes(to) ? goText(value) : parseSetValue(goText(value)),
      );
  }
  setPath(merged, "spec.values.pilot.enabled", getPath(merged, "spec.components.pilot.enabled") === true);
  setPath(merged, "spec.values.pilot.cni.enabled", getPath(merged, "spec.components.cni.enabled") === true);
  const istioNamespace = getPath(merged, "spec.values.global.istioNamespace");
  if (typeof istioNamespace === "string" && istioNamespace !== "") setPath(merged, "metadata.namespace", istioNamespace);
  const userValues = getPath(user, "spec.values");
  if (isMap(userValues)) mergeFrom(merged, { spec: { values: clone(userValues) } });
  const unvalidated = getPath(merged, "spec.unvalidatedValues");
  if (isMap(unvalidated)) mergeFrom(merged, { spec: { values: clone(unvalidated) } });
  return merged;
}

interface ComponentSpec extends Json {
  name?: string;
  namespace?: string;
  label?: Json;
  hub?: string;
  tag?: unknown;
  enabled?: boolean;
}

function componentSpecs(model: ComponentModel, merged: Json): ComponentSpec[] {
  const defaultNamespace = (getPath(merged, "metadata.namespace") as string | undefined) ?? "";
  const altEnabled = model.altEnablement !== undefined && getPath(merged, model.altEnablement) === true;
  const fallback: ComponentSpec[] = model.byDefault || altEnabled ? [{ namespace: defaultNamespace }] : [];
  const build = (raw: unknown): ComponentSpec => {
    const spec = clone(isMap(raw) ? raw : {}) as ComponentSpec;
    spec.namespace = spec.namespace || defaultNamespace || "istio-system";
    spec.label ??= {};
    return spec;
  };
  const declared = getPath(merged, `spec.components.${model.specName}`);
  if (model.multi) {
    if (!Array.isArray(declared)) return fallback;
    return declared.map(build).filter((spec) => spec.enabled !== false || altEnabled);
  }
  if (!isMap(declared)) return fallback;
  const spec = build(declared);
  return spec.enabled !== false || altEnabled ? [spec] : [];
}

/** applyComponentValuesToHelmValues, then the `spec.values` Helm receives. */
function componentValues(model: ComponentModel, spec: ComponentSpec, merged: Json): Json {
  const view = clone(merged);
  if (model.gateway) {
    setPath(view, `spec.values.${model.valuesRoot}.name`, spec.name ?? "");
    setPath(view, `spec.values.${model.valuesRoot}.labels`, clone(spec.label ?? {}));
    const ports = getPath(spec, "k8s.service.ports");
    if (Array.isArray(ports) && ports.length > 0) setPath(view, `spec.values.${model.valuesRoot}.ports`, clone(ports));
  }
  if (typeof spec.hub === "string" && spec.hub !== "") setPath(view, `spec.values.${model.valuesRoot}.hub`, spec.hub);
  if (spec.tag !== undefined && spec.tag !== null) setPath(view, `spec.values.${model.valuesRoot}.tag`, parseSetValue(goText(spec.tag)));
  const values = (getPath(view, "spec.values") ?? {}) as Json;
  if (!model.flatten) return values;
  const own = getPath(values, model.valuesRoot);
  if (!isMap(own)) return values;
  const flat: Json = { global: values.global };
  for (const [key, value] of Object.entries(values)) if (!isMap(value)) flat[key] = value;
  return Object.assign(flat, own);
}

/** Every chart render istioctl performs for these overlays, in istioctl's component order. */
export function istioctlRenders(overlays: Json[]): ComponentRender[] {
  const merged = mergeInputs(overlays);
  return models.flatMap((model) =>
    componentSpecs(model, merged).map((spec) => ({
      component: model.component,
      chart: path.join(chartsRoot, model.chart),
      namespace: spec.namespace!,
      values: componentValues(model, spec, merged),
    })),
  );
}
