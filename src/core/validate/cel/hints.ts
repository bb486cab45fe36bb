/**
 * What to change, for the CEL rules people break most (their messages say what is wrong, not always
 * what to write instead). Keyed by a fragment of the rule's message.
 */
const hints: [fragment: string, hint: string][] = [
  ["Must have port for Service reference", "add `port: <number>` to this backendRef; a Service backend needs the port to send traffic to"],
  [
    "sectionName must be specified when parentRefs includes 2 or more references to the same parent",
    "give each parentRef to this Gateway a sectionName (the listener name), or keep only one",
  ],
  [
    "sectionName or port must be specified when parentRefs includes 2 or more references to the same parent",
    "give each parentRef to this Gateway a sectionName or port, or keep only one",
  ],
  [
    "RequestRedirect filter must not be used together with backendRefs",
    "a redirecting rule sends no traffic to backends: remove backendRefs from this rule, or the RequestRedirect filter",
  ],
  [
    "exactly one PathPrefix match must be specified",
    "ReplacePrefixMatch rewrites the matched prefix: give this rule exactly one match with path.type PathPrefix, or use ReplaceFullPath",
  ],
  [
    "certificateRefs or options must be specified when mode is Terminate",
    "add tls.certificateRefs (a Secret with the certificate), or use mode: Passthrough",
  ],
  ["tls must not be specified for protocols", "remove tls from this listener, or change its protocol to HTTPS or TLS"],
  ["tls mode must be Terminate for protocol HTTPS", "use protocol TLS for passthrough, or set tls.mode: Terminate"],
  ["hostname must not be specified for protocols", "TCP and UDP listeners match on port only: remove hostname"],
  ["Listener name must be unique within the Gateway", "rename one of the listeners"],
  [
    "must be specified for",
    "set the field named after the filter type (e.g. type: RequestHeaderModifier needs requestHeaderModifier: {...})",
  ],
  ["must be nil if the filter.type is not", "remove this field, or change filter.type to match it"],
  ["must start with '/'", "paths are absolute: start the value with /"],
  ["backendRequest timeout cannot be longer than request timeout", "make timeouts.backendRequest at most timeouts.request"],
];

export function celHint(message: string): string | undefined {
  return hints.find(([fragment]) => message.includes(fragment))?.[1];
}
