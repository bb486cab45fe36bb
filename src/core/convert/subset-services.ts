import { createHash } from "node:crypto";
import { DNS1123_LABEL_MAX_LENGTH } from "../dns-names.js";
import type { FieldPath } from "../findings.js";
import type { ConvertContext, Emitted, SubsetServiceResolver } from "./context.js";
import type { ServiceHost } from "./hosts.js";
import type { InputObject } from "./input.js";
import { listOf, recordOf, stringMapOf, stringOf, type PlainRecord } from "./plain-data.js";

const portFields = ["name", "protocol", "appProtocol", "port", "targetPort"];

/**
 * Istio subsets (DestinationRule `subsets[].labels`) as Gateway API can route to them: one Service per
 * used subset, `<service>-<subset>`, selecting the Service's pods that carry the subset's labels, with
 * the Service's ports. Built from the Service and the DestinationRule of the input (or the cluster).
 */
export class SubsetServices implements SubsetServiceResolver {
  private readonly emitted = new Map<string, Emitted>();
  private readonly noted = new Set<string>();

  /** The name of the Service that selects the subset, or undefined after an error finding. */
  resolve(service: ServiceHost, subset: string, at: FieldPath, virtualService: InputObject, context: ConvertContext): string | undefined {
    const { notes } = context;
    const source = virtualService.source;
    const fqdn = `${service.name}.${service.namespace}.svc.${context.options.clusterDomain}`;
    const rule = context.destinationRules.get(fqdn);
    const definition = listOf(rule?.spec.subsets)
      .map((entry) => recordOf(entry))
      .find((entry) => stringOf(entry?.name) === subset);
    const base = context.services.get(`${service.namespace}/${service.name}`);
    const missing: string[] = [];
    if (!definition)
      missing.push(
        `${rule ? `subset "${subset}" in DestinationRule ${rule.namespace}/${rule.name}` : `a DestinationRule for host ${fqdn} that defines subset "${subset}"`}`,
      );
    if (!base) missing.push(`Service ${service.namespace}/${service.name}`);
    if (!definition || !base || !rule) {
      notes.error(
        "CONV303",
        `subset "${subset}" cannot be honoured (Gateway API would send the traffic to every version of ${service.name}): add ${missing.join(" and ")} to the input, or pass --cluster to read ${missing.length === 1 ? "it" : "them"} from the cluster`,
        source,
        at,
      );
      return undefined;
    }
    const selector = stringMapOf(base.spec.selector);
    const labels = stringMapOf(definition.labels);
    if (Object.keys(selector).length === 0 || stringOf(base.spec.type) === "ExternalName") {
      notes.error(
        "CONV303",
        `subset "${subset}" cannot be honoured: Service ${service.namespace}/${service.name} has no pod selector, so no Service can select the subset's pods`,
        source,
        at,
      );
      return undefined;
    }
    const contradicting = Object.keys(labels).filter((key) => key in selector && selector[key] !== labels[key]);
    if (contradicting.length > 0) {
      notes.error(
        "CONV303",
        `subset "${subset}" labels contradict the selector of Service ${service.namespace}/${service.name} (${contradicting.join(", ")}): Istio's subset has no endpoints; fix the DestinationRule`,
        source,
        at,
      );
      return undefined;
    }
    if (Object.keys(labels).length === 0) return service.name;
    const name = subsetServiceName(service.name, subset);
    const wanted = { ...selector, ...labels };
    const existing = context.services.get(`${service.namespace}/${name}`);
    if (existing) {
      if (sameLabels(stringMapOf(existing.spec.selector), wanted)) return name;
      notes.error(
        "CONV303",
        `subset "${subset}" needs Service ${service.namespace}/${name} selecting ${formatLabels(wanted)}, but a Service of that name already exists with another selector`,
        source,
        at,
      );
      return undefined;
    }
    this.notePolicies(rule, definition, name, context);
    const key = `${service.namespace}/${name}`;
    if (!this.emitted.has(key)) {
      const ports = listOf(base.spec.ports).map((port) => {
        const record = recordOf(port) ?? {};
        const out: PlainRecord = {};
        for (const field of portFields) if (record[field] !== undefined && record[field] !== null) out[field] = record[field];
        return out;
      });
      this.emitted.set(key, {
        object: {
          apiVersion: "v1",
          kind: "Service",
          metadata: { name, namespace: service.namespace },
          spec: { selector: wanted, ports },
        },
        from: rule,
      });
      notes.info(
        "CONV303",
        `subset "${subset}" becomes Service ${service.namespace}/${name} (selector ${formatLabels(wanted)})`,
        source,
        at,
      );
    }
    return name;
  }

  emit(): Emitted[] {
    return [...this.emitted.values()];
  }

  /** Istio applied the DestinationRule's policies to the subset; the new Service is another host. */
  private notePolicies(rule: InputObject, definition: PlainRecord, name: string, context: ConvertContext): void {
    const index = listOf(rule.spec.subsets).indexOf(definition);
    if (recordOf(definition.trafficPolicy) && !this.noted.has(`${name}/subset`)) {
      this.noted.add(`${name}/subset`);
      context.notes.warning(
        "CONV502",
        `the subset's trafficPolicy does not follow to Service ${name}: create a DestinationRule (or Gateway API policy) for it`,
        rule.source,
        ["spec", "subsets", index, "trafficPolicy"],
      );
    }
    if (recordOf(rule.spec.trafficPolicy) && !this.noted.has(`${name}/host`)) {
      this.noted.add(`${name}/host`);
      context.notes.warning(
        "CONV502",
        `the trafficPolicy of host ${stringOf(rule.spec.host) ?? ""} does not apply to Service ${name} (another host): copy the DestinationRule for it`,
        rule.source,
        ["spec", "trafficPolicy"],
      );
    }
  }
}

/** `<service>-<subset>`, a DNS-1035 label; a long name keeps its start and ends in a hash of the whole. */
export function subsetServiceName(service: string, subset: string): string {
  const name = `${service}-${subset}`
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, "-")
    .replace(/-+/g, "-")
    .replace(/-$/, "");
  if (name.length <= DNS1123_LABEL_MAX_LENGTH) return name;
  const digest = createHash("sha256").update(`${service}/${subset}`).digest("hex").slice(0, 8);
  return `${name.slice(0, DNS1123_LABEL_MAX_LENGTH - 9).replace(/-+$/, "")}-${digest}`;
}

function sameLabels(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}

function formatLabels(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([key, value]) => `${key}=${value}`)
    .join(",");
}
