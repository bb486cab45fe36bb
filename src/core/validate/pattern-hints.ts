/**
 * Plain-language readings of the patterns Gateway API and Istio schemas use most, so that a pattern
 * error says what a valid value looks like instead of only quoting the regular expression.
 */
const hints = new Map<string, string>([
  [
    "^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$",
    "empty (core API group) or a lowercase DNS name such as gateway.networking.k8s.io",
  ],
  ["^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$", "a kind name: letters, digits and '-', starting with a letter (e.g. Service, Gateway)"],
  ["^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", "a lowercase DNS label: a-z, 0-9 and '-', starting and ending alphanumeric (e.g. my-namespace)"],
  [
    "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$",
    "a lowercase DNS name: labels of a-z, 0-9 and '-' separated by dots (e.g. http or foo.example.com)",
  ],
  ["^[A-Za-z0-9!#$%&'*+\\-.^_\\x60|~]+$", "an HTTP header name: letters, digits and !#$%&'*+-.^_`|~ (no spaces or ':')"],
  ["^([0-9]{1,5}(h|m|s|ms)){1,4}$", "a Gateway API duration such as 10s, 500ms or 1h30m (units h, m, s, ms; no fractions or spaces)"],
  [
    "^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$",
    "a lowercase hostname, optionally starting with '*.' (e.g. *.example.com); no IPs, ports or upper case",
  ],
  ["^[!-~]+([\\t ]?[!-~]+)*$", "printable ASCII with single spaces or tabs between words (no control characters or line breaks)"],
  [
    "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\\/[A-Za-z0-9\\/\\-._~%!$&'()*+,;=:]+$",
    "a domain-prefixed name such as example.com/my-controller",
  ],
  ["^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$", "an absolute path of URL path characters; escape others as %XX"],
]);

export function patternHint(pattern: string): string | undefined {
  const hint = hints.get(pattern);
  return hint ? `expected ${hint}` : undefined;
}
