/** The DNS name rules Kubernetes applies to object names, label values' prefixes and hostnames (k8s.io/apimachinery validation). */
const dns1123LabelPattern = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const dns1035LabelPattern = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

export const DNS1123_LABEL_MAX_LENGTH = 63;
export const DNS1123_SUBDOMAIN_MAX_LENGTH = 253;

export function isDns1123Label(text: string): boolean {
  return text.length <= DNS1123_LABEL_MAX_LENGTH && dns1123LabelPattern.test(text);
}

export function isDns1123Subdomain(text: string): boolean {
  return text.length <= DNS1123_SUBDOMAIN_MAX_LENGTH && hasDns1123SubdomainShape(text);
}

/**
 * Whether `text` matches `^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$` (no length limit): dot-separated,
 * non-empty labels of lower-case letters, digits and `-`, none starting or ending with `-`. One linear scan, where a
 * regular expression engine takes several times longer on this pattern (CRDs use it for every hostname and name).
 */
export function hasDns1123SubdomainShape(text: string, from = 0): boolean {
  if (from >= text.length) return false;
  let labelStart = from;
  for (let index = from; index <= text.length; index++) {
    const code = index < text.length ? text.charCodeAt(index) : DOT;
    if (code === DOT) {
      if (index === labelStart || text.charCodeAt(labelStart) === DASH || text.charCodeAt(index - 1) === DASH) return false;
      labelStart = index + 1;
    } else if (!((code >= 97 && code <= 122) || (code >= 48 && code <= 57) || code === DASH)) return false;
  }
  return true;
}

const DOT = 46;
const DASH = 45;

export function isDns1035Label(text: string): boolean {
  return text.length <= DNS1123_LABEL_MAX_LENGTH && dns1035LabelPattern.test(text);
}

/** A Gateway API hostname: a DNS-1123 subdomain, optionally behind one leading `*.` wildcard label. */
export function isWildcardDnsSubdomain(text: string): boolean {
  return isDns1123Subdomain(text.startsWith("*.") ? text.slice(2) : text) && text.length <= DNS1123_SUBDOMAIN_MAX_LENGTH;
}

const istioDnsLabelPattern = /^[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?$/;

/** Istio's own DNS label check (pkg/config/labels), which, unlike Kubernetes', accepts upper-case letters. */
export function isIstioDnsLabel(text: string): boolean {
  return text.length <= DNS1123_LABEL_MAX_LENGTH && istioDnsLabelPattern.test(text);
}
