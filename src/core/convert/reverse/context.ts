import type { FieldPath } from "../../findings.js";
import type { InputObject } from "../input.js";
import type { Notes } from "../notes.js";
import type { ConvertOptions } from "../options.js";
import type { PlainRecord } from "../plain-data.js";
import type { ReferenceGrants } from "./grants.js";

export const istioApiVersion = "networking.istio.io/v1";

/**
 * A Gateway API listener (of a Gateway or a ListenerSet). As in istiod, each one becomes its own Istio
 * Gateway with one server, so a route bound to it is scoped to exactly that port, protocol and hostname.
 */
export interface Listener {
  owner: InputObject;
  at: FieldPath;
  /** `Gateway/ns/name` or `ListenerSet/ns/name`: what a route's parentRef names. */
  parentKey: string;
  /** `ns/name` of the Gateway whose workload serves the listener (the parent Gateway for a ListenerSet). */
  gatewayKey: string;
  name: string;
  port: number;
  protocol: string;
  /** Absent: every hostname. */
  hostname?: string;
  allowedKinds: Set<string>;
  /** Namespace parts of the server hosts: `*` or namespace names. */
  namespaces: string[];
  istioGateway: { namespace: string; name: string };
  tls?: PlainRecord;
  /** False when istiod would not program it (bad TLS, no namespace allowed): routes do not attach. */
  usable: boolean;
}

export interface ReverseContext {
  options: ConvertOptions;
  notes: Notes;
  /** Listeners by the parentKey that routes reference. */
  listeners: Map<string, Listener[]>;
  grants: ReferenceGrants;
  /** Labels of input Namespaces (with the implicit name label); undefined when the input has none. */
  namespaceLabels?: Map<string, Record<string, string>>;
  /** `ns/name` of the Secrets that exist (read from a cluster with `--cluster`); undefined when unknown. */
  secrets?: ReadonlySet<string>;
  /** Input ServiceEntries by `ns/name` (mesh parentRefs). */
  serviceEntries: Map<string, InputObject>;
  /** Cookie session persistence found on route rules: destination host → cookie, for DestinationRules. */
  sessionCookies: Map<string, { namespace: string; cookie: string; route: InputObject }>;
}
