/** The DNS name rules Kubernetes applies to object names, label values' prefixes and hostnames (k8s.io/apimachinery validation). */
const dns1123LabelPattern = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const dns1123SubdomainPattern = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const dns1035LabelPattern = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

export const DNS1123_LABEL_MAX_LENGTH = 63;
export const DNS1123_SUBDOMAIN_MAX_LENGTH = 253;

export function isDns1123Label(text: string): boolean {
  return text.length <= DNS1123_LABEL_MAX_LENGTH && dns1123LabelPattern.test(text);
}

export function isDns1123Subdomain(text: string): boolean {
  return text.length <= DNS1123_SUBDOMAIN_MAX_LENGTH && dns1123SubdomainPattern.test(text);
}

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
