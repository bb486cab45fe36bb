/** Comparing a render with the live cluster: each object present, as rendered, and ready. */
import { isDeepStrictEqual } from "node:util";
import { formatFieldPath } from "../core/findings.js";
import { isJsonObject } from "../core/json.js";
import type { KubeObject } from "../core/objects.js";
import type { Cluster } from "./cluster.js";
import type { InstallPlan } from "./install.js";
import { withOwnerLabels } from "./ownership.js";
import { readinessOf } from "./wait.js";

export type VerifyState = "ok" | "missing" | "drifted" | "not ready";

export interface VerifyEntry {
  kind: string;
  name: string;
  namespace?: string;
  component: string;
  state: VerifyState;
  /** What differs or what is not ready. */
  detail?: string;
}

/**
 * Paths where the live object differs from the rendered one. Only rendered fields count: the API server adds
 * defaults (and other managers add fields) that are not drift. Rendered nulls mean "absent" after apply.
 */
export function driftedFields(
  rendered: unknown,
  live: unknown,
  path: (string | number)[] = [],
): { path: string; want: unknown; have: unknown }[] {
  if (rendered === null || rendered === undefined) return [];
  if (isJsonObject(rendered)) {
    if (!isJsonObject(live)) return [{ path: formatFieldPath(path), want: rendered, have: live }];
    return Object.entries(rendered).flatMap(([key, value]) => driftedFields(value, live[key], [...path, key]));
  }
  if (Array.isArray(rendered)) {
    if (!Array.isArray(live) || live.length !== rendered.length) return [{ path: formatFieldPath(path), want: rendered, have: live }];
    return rendered.flatMap((item, index) => driftedFields(item, (live as unknown[])[index], [...path, index]));
  }
  return isDeepStrictEqual(rendered, live) ? [] : [{ path: formatFieldPath(path), want: rendered, have: live }];
}

export async function verifyPlan(cluster: Cluster, plan: InstallPlan): Promise<VerifyEntry[]> {
  const entries = await Promise.all(
    plan.components.flatMap((component) =>
      component.objects.map(async (object): Promise<VerifyEntry> => {
        const entry: VerifyEntry = { kind: object.kind, name: object.metadata.name ?? "", component: component.component, state: "ok" };
        if (object.metadata.namespace) entry.namespace = object.metadata.namespace;
        const expected = withOwnerLabels(object, {
          component: component.component,
          revision: plan.revision,
          namespace: plan.namespace,
          version: plan.version,
        });
        const live = await cluster.get(expected);
        if (!live) return { ...entry, state: "missing" };
        const { status: _status, ...spec } = expected as KubeObject & { status?: unknown };
        const drift = driftedFields(
          { ...spec, metadata: { labels: expected.metadata.labels, annotations: expected.metadata.annotations } },
          live,
        );
        if (drift.length > 0) {
          const first = drift[0]!;
          const more = drift.length > 1 ? ` (+${drift.length - 1} more)` : "";
          // Secret values are never printed, only where they differ.
          const values = object.kind === "Secret" ? "differs" : `want ${JSON.stringify(first.want)}, have ${JSON.stringify(first.have)}`;
          return { ...entry, state: "drifted", detail: `${first.path}: ${values}${more}` };
        }
        const readiness = readinessOf(live);
        if (!readiness.ready) return { ...entry, state: "not ready", detail: readiness.reason ?? "not ready" };
        return entry;
      }),
    ),
  );
  return entries;
}
