// Object-by-object comparison of istioctl's chart renders with `mesh manifest generate`.
//
// Normalisations, applied to both sides alike (docs/design/install.md, "Conformance with istioctl's charts"):
//   1. objects are matched by kind, namespace and name; their order is not compared (the goldens cover order);
//   2. YAML is read as YAML 1.1 into JSON values on both sides (sigs.k8s.io/yaml for the charts), so `1.0` and `1`
//      are the same number and quoting style does not matter;
//   3. CustomResourceDefinitions are compared without their `description` fields: mesh's built-in CRDs are
//      structural only (with `--manifests` mesh takes upstream's verbatim); outside the profile and base cases,
//      CRDs are left out altogether, since no other setting changes them;
//   4. in the injector ConfigMap (istio-sidecar-injector), `data.config` is compared as YAML with each template's
//      text replaced by a marker: mesh keeps its own injection templates (their behaviour is checked by
//      injection*.test.ts), so only the set of template names and the other settings must agree;
//   5. ConfigMap data that is a JSON object (the values ConfigMaps) is compared as parsed JSON, so differences
//      are reported by key; key order and spacing are still checked by mesh's goldens;
//   6. nothing else: other text (mesh config) is compared as text.
import { isDeepStrictEqual } from "node:util";
import { parse } from "yaml";

type Json = Record<string, unknown>;

export interface ObjectSet {
  error?: string;
  objects: Json[];
}

export interface Comparison {
  identical: boolean;
  differences: string[];
}

const perObjectLimit = 25;

export const objectKey = (object: Json): string => {
  const metadata = (object.metadata ?? {}) as { namespace?: string; name?: string };
  return `${String(object.kind)}/${metadata.namespace ?? ""}/${metadata.name ?? ""}`;
};

export function compareObjectSets(istioctl: ObjectSet, mesh: ObjectSet): Comparison {
  if (istioctl.error !== undefined || mesh.error !== undefined) {
    if (istioctl.error !== undefined && mesh.error !== undefined) return { identical: true, differences: [] };
    return {
      identical: false,
      differences: [istioctl.error !== undefined ? `istioctl refuses: ${istioctl.error}` : `mesh refuses: ${mesh.error}`],
    };
  }
  const differences: string[] = [];
  const theirs = new Map(istioctl.objects.map((object) => [objectKey(object), normalised(object)]));
  const ours = new Map(mesh.objects.map((object) => [objectKey(object), normalised(object)]));
  for (const [key, object] of theirs) {
    const mine = ours.get(key);
    if (!mine) differences.push(`${key}: missing in mesh`);
    else {
      const found = diffValues(object, mine, key);
      differences.push(...found.slice(0, perObjectLimit));
      if (found.length > perObjectLimit) differences.push(`${key}: … ${found.length - perObjectLimit} more differences`);
    }
  }
  for (const key of ours.keys()) if (!theirs.has(key)) differences.push(`${key}: only in mesh`);
  return { identical: differences.length === 0, differences };
}

function normalised(object: Json): Json {
  if (object.kind === "ConfigMap") return normalisedConfigMap(object);
  if (object.kind !== "CustomResourceDefinition") return object;
  const strip = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(strip);
    if (typeof value !== "object" || value === null) return value;
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key, inner]) => key !== "description" || typeof inner !== "string")
        .map(([key, inner]) => [key, strip(inner)]),
    );
  };
  return { ...object, spec: strip(object.spec) };
}

function normalisedConfigMap(object: Json): Json {
  const data = object.data;
  if (typeof data !== "object" || data === null) return object;
  const out: Json = {};
  const name = (object.metadata as { name?: string } | undefined)?.name ?? "";
  for (const [key, value] of Object.entries(data as Json)) {
    out[key] = value;
    if (typeof value !== "string") continue;
    if (value.trimStart().startsWith("{")) {
      try {
        out[key] = JSON.parse(value);
      } catch {
        // not JSON after all: compared as text
      }
    } else if (name.startsWith("istio-sidecar-injector") && key === "config") {
      const config = parse(value, { version: "1.1" }) as Json;
      if (typeof config?.templates === "object" && config.templates !== null)
        config.templates = Object.fromEntries(Object.keys(config.templates).map((template) => [template, "(template text)"]));
      out[key] = config;
    }
  }
  return { ...object, data: out };
}

const show = (value: unknown): string => {
  const text = JSON.stringify(value);
  return text === undefined ? "(absent)" : text.length > 300 ? `${text.slice(0, 300)}…` : text;
};

function diffValues(theirs: unknown, ours: unknown, where: string): string[] {
  if (isDeepStrictEqual(theirs, ours)) return [];
  const isMap = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);
  if (isMap(theirs) && isMap(ours)) {
    const keys = [...new Set([...Object.keys(theirs), ...Object.keys(ours)])].sort();
    return keys.flatMap((key) => diffValues(theirs[key], ours[key], `${where}.${key}`));
  }
  if (Array.isArray(theirs) && Array.isArray(ours) && theirs.length === ours.length)
    return theirs.flatMap((item, index) => diffValues(item, ours[index], `${where}[${index}]`));
  if (typeof theirs === "string" && typeof ours === "string" && (theirs.includes("\n") || ours.includes("\n")))
    return [`${where}: text differs\n${lineDiff(theirs, ours)}`];
  return [`${where}: istioctl ${show(theirs)} mesh ${show(ours)}`];
}

/** The lines only one side has, prefixed -(istioctl) / +(mesh). */
function lineDiff(theirs: string, ours: string): string {
  const a = theirs.split("\n");
  const b = ours.split("\n");
  const inA = new Set(a);
  const inB = new Set(b);
  const removed = a.filter((line) => !inB.has(line)).map((line) => `    - ${line}`);
  const added = b.filter((line) => !inA.has(line)).map((line) => `    + ${line}`);
  const lines = [...removed, ...added];
  return (lines.length > 0 ? lines : ["    (same lines, different order)"]).slice(0, 40).join("\n");
}
