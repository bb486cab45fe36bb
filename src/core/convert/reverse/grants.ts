import type { InputObject } from "../input.js";
import { gatewayApiGroup } from "../options.js";
import { listOf, recordOf, stringOf } from "../plain-data.js";

const grantableFromKinds = new Set(["Gateway", "ListenerSet", "HTTPRoute", "GRPCRoute", "TLSRoute", "TCPRoute"]);
const grantableToKinds = new Set(["Service", "Secret"]);

/**
 * ReferenceGrants as istiod reads them: from (kind, namespace) in gateway.networking.k8s.io to core
 * Services and Secrets of the grant's namespace, by name or all of them.
 */
export class ReferenceGrants {
  private readonly allowed = new Map<string, Set<string> | "all">();

  constructor(grants: readonly InputObject[]) {
    for (const grant of grants) {
      for (const rawFrom of listOf(grant.spec.from)) {
        const from = recordOf(rawFrom) ?? {};
        if (stringOf(from.group) !== gatewayApiGroup || !grantableFromKinds.has(stringOf(from.kind) ?? "")) continue;
        for (const rawTo of listOf(grant.spec.to)) {
          const to = recordOf(rawTo) ?? {};
          if ((stringOf(to.group) ?? "") !== "" || !grantableToKinds.has(stringOf(to.kind) ?? "")) continue;
          const key = this.key(String(from.kind), stringOf(from.namespace) ?? "", String(to.kind), grant.namespace);
          const name = stringOf(to.name);
          const earlier = this.allowed.get(key);
          if (earlier === "all") continue;
          if (name === undefined) this.allowed.set(key, "all");
          else this.allowed.set(key, new Set([...(earlier ?? []), name]));
        }
      }
    }
  }

  allows(fromKind: string, fromNamespace: string, toKind: "Service" | "Secret", toNamespace: string, toName: string): boolean {
    if (fromNamespace === toNamespace) return true;
    const names = this.allowed.get(this.key(fromKind, fromNamespace, toKind, toNamespace));
    return names === "all" || (names?.has(toName) ?? false);
  }

  private key(fromKind: string, fromNamespace: string, toKind: string, toNamespace: string): string {
    return `${fromKind}/${fromNamespace} ${toKind}/${toNamespace}`;
  }
}
