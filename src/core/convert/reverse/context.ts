import type { InputObject } from "../input.js";
import type { Notes } from "../notes.js";
import type { ConvertOptions } from "../options.js";

export const istioApiVersion = "networking.istio.io/v1";

/** A Gateway API listener as routes see it when they become VirtualServices. */
export interface ListenerInfo {
  name: string;
  port: number;
  protocol: string;
}

export interface ReverseContext {
  options: ConvertOptions;
  notes: Notes;
  /** `namespace/name` of each input Gateway → its listeners. */
  gateways: Map<string, ListenerInfo[]>;
  /** HTTPRoutes folded into an Istio Gateway's `httpsRedirect`; not converted again. */
  redirectRoutes: Set<InputObject>;
  /** Cookie session persistence found on route rules: destination host → cookie, for DestinationRules. */
  sessionCookies: Map<string, { namespace: string; cookie: string; route: InputObject }>;
  /** `namespace/name` of a Gateway → its listeners that only redirect to https. */
  redirectListeners: Map<string, Set<string>>;
}
