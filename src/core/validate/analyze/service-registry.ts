import { HostIndex, hostToFqdn, isWildcardHost } from "../../hosts.js";
import { namespaceOf, type AnalysisContext } from "./analyzer.js";
import type { AnalyzedResource } from "./resource.js";
import { integer, record, records, specOf, text, texts } from "./values.js";

export interface RegistryPort {
  number: number;
  name?: string;
  protocol?: string;
}

/** A Service or ServiceEntry as destination lookups see it. */
export interface RegistryService {
  resource: AnalyzedResource;
  ports: RegistryPort[];
}

/**
 * The hosts VirtualServices can route to, by visibility scope, the way istioctl analyze resolves them: ServiceEntry
 * hosts in the namespaces their `exportTo` names (`*` for all, `.` for their own), Kubernetes Services as
 * `<name>.<namespace>.svc.<domain>` in the namespaces of their `networking.istio.io/exportTo` annotation.
 */
export class ServiceRegistry {
  private readonly scoped = new Map<string, RegistryService>();
  /** Wildcard hosts per scope, for suffix lookups. */
  private readonly wildcards = new Map<string, HostIndex<RegistryService>>();
  private readonly domain: string;

  constructor(context: AnalysisContext) {
    this.domain = context.mesh.clusterDomain;
    for (const entry of context.of("networking.istio.io/ServiceEntry")) {
      const spec = specOf(entry.object);
      const namespace = namespaceOf(entry);
      const service: RegistryService = { resource: entry, ports: readPorts(spec.ports) };
      const exportTo = texts(spec.exportTo);
      const scopes = exportTo.length === 0 || exportTo.includes("*") ? ["*"] : exportTo.map((scope) => (scope === "." ? namespace : scope));
      for (const host of texts(spec.hosts)) for (const scope of scopes) this.add(scope, hostToFqdn(host, namespace, this.domain), service);
    }
    for (const svc of context.of("Service")) {
      const namespace = namespaceOf(svc);
      const service: RegistryService = { resource: svc, ports: readPorts(specOf(svc.object).ports) };
      const annotation = text(record(record(svc.object.metadata).annotations)["networking.istio.io/exportTo"]);
      const scopes = annotation ? annotation.split(",").map((scope) => (scope.trim() === "." ? namespace : scope.trim())) : ["*"];
      const fqdn = hostToFqdn(svc.identity.name ?? "", namespace, this.domain);
      for (const scope of scopes) this.add(scope, fqdn, service);
    }
  }

  private add(scope: string, fqdn: string, service: RegistryService): void {
    this.scoped.set(`${scope}/${fqdn}`, service);
    if (isWildcardHost(fqdn)) {
      let index = this.wildcards.get(scope);
      if (!index) this.wildcards.set(scope, (index = new HostIndex()));
      index.add(fqdn, service);
    }
  }

  /**
   * The service a destination host names for an object in `sourceNamespace` whose own `exportTo` is given (Istio looks
   * the host up in the scopes the VirtualService is exported to), or undefined.
   */
  lookup(sourceNamespace: string, exportTo: readonly string[], host: string): RegistryService | undefined {
    const fqdn = hostToFqdn(host, sourceNamespace, this.domain);
    const direct = this.scoped.get(`*/${fqdn}`);
    if (direct) return direct;
    const scopes = exportTo.length === 0 ? [sourceNamespace] : exportTo.map((scope) => (scope === "." ? sourceNamespace : scope));
    for (const scope of scopes) {
      const found = this.scoped.get(`${scope}/${fqdn}`);
      if (found) return found;
    }
    // A wildcard ServiceEntry host visible here covers the host when the host (without its own `*`) ends with its suffix.
    const bare = isWildcardHost(fqdn) ? fqdn.slice(1) : fqdn;
    for (const scope of ["*", sourceNamespace]) {
      const match = this.wildcards.get(scope)?.matching(bare)[0];
      if (match) return match;
    }
    return undefined;
  }
}

function readPorts(value: unknown): RegistryPort[] {
  return records(value).flatMap((port) => {
    const number = integer(port.number) ?? integer(port.port);
    return number === undefined ? [] : [{ number, name: text(port.name), protocol: text(port.protocol) }];
  });
}
