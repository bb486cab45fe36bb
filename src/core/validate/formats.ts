/**
 * The string formats the API server validates (k8s.io/kube-openapi `strfmt`), with Go's semantics where
 * they differ from ajv-formats: IPv4 octets with leading zeros are invalid, IPv6 zones are invalid,
 * IPv4-mapped IPv6 addresses are valid IPv6. Unknown formats (int32, int64, double …) check nothing.
 */
const ipv4Octet = "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])";
const ipv4Pattern = new RegExp(`^${ipv4Octet}(?:\\.${ipv4Octet}){3}$`);

export function isIPv4(text: string): boolean {
  return ipv4Pattern.test(text);
}

/** Go's `net.ParseIP` for text with a colon: full, compressed (`::`), with an embedded IPv4 tail. */
export function isIPv6(text: string): boolean {
  if (!text.includes(":") || text.includes("%")) return false;
  let head = text;
  let tailGroups = 0;
  const lastColon = text.lastIndexOf(":");
  const tail = text.slice(lastColon + 1);
  if (tail.includes(".")) {
    if (!isIPv4(tail)) return false;
    // Keep a "::" that ends right before the IPv4 tail; drop the single separating colon otherwise.
    head = text.slice(0, lastColon + 1);
    if (!head.endsWith("::")) head = head.slice(0, -1);
    tailGroups = 2;
  }
  const doubleColon = head.indexOf("::");
  if (doubleColon !== -1 && head.indexOf("::", doubleColon + 1) !== -1) return false;
  const hexGroup = /^[0-9A-Fa-f]{1,4}$/;
  if (doubleColon === -1) {
    const groups = head.split(":");
    if (groups.length + tailGroups !== 8) return false;
    return groups.every((group) => hexGroup.test(group));
  }
  const before = head.slice(0, doubleColon);
  const after = head.slice(doubleColon + 2);
  const left = before === "" ? [] : before.split(":");
  const right = after === "" ? [] : after.split(":");
  if (![...left, ...right].every((group) => hexGroup.test(group))) return false;
  return left.length + right.length + tailGroups <= 7;
}

export function isIP(text: string): boolean {
  return isIPv4(text) || isIPv6(text);
}

/** Go's `net.ParseCIDR`. */
export function isCIDR(text: string): boolean {
  const slash = text.indexOf("/");
  if (slash === -1 || text.indexOf("/", slash + 1) !== -1) return false;
  const address = text.slice(0, slash);
  const bits = text.slice(slash + 1);
  if (!/^(?:0|[1-9][0-9]{0,2})$/.test(bits)) return false;
  const max = isIPv4(address) ? 32 : isIPv6(address) ? 128 : -1;
  return max !== -1 && Number(bits) <= max;
}

const hostnamePattern = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/i;
const uuidPattern = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const base64Pattern = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const dateTimePattern = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/;
const durationPattern = /^[-+]?(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|\u00b5s|\u03bcs|ms|s|m|h|d|w))+$/;

const checks: Record<string, (text: string) => boolean> = {
  ipv4: isIPv4,
  ipv6: isIPv6,
  cidr: isCIDR,
  hostname: (text) => text.length <= 255 && hostnamePattern.test(text),
  uri: (text) => {
    try {
      new URL(text);
      return true;
    } catch {
      return false;
    }
  },
  email: (text) => /^[^@\s]+@[^@\s]+$/.test(text),
  mac: (text) => /^(?:[0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}$/.test(text),
  uuid: (text) => uuidPattern.test(text),
  uuid3: (text) => /^[0-9a-f]{8}-?[0-9a-f]{4}-?3[0-9a-f]{3}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i.test(text),
  uuid4: (text) => /^[0-9a-f]{8}-?[0-9a-f]{4}-?4[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$/i.test(text),
  uuid5: (text) => /^[0-9a-f]{8}-?[0-9a-f]{4}-?5[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$/i.test(text),
  bsonobjectid: (text) => /^[0-9a-f]{24}$/i.test(text),
  hexcolor: (text) => /^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/.test(text),
  rgbcolor: (text) => /^rgb\(\s*\d{1,3}\s*,\s*\d{1,3}\s*,\s*\d{1,3}\s*\)$/.test(text),
  // Go's base64 decoder skips line breaks, so a folded block of base64 is valid.
  byte: (text) => base64Pattern.test(text.replace(/[\r\n]/g, "")),
  date: (text) => /^\d{4}-\d{2}-\d{2}$/.test(text),
  "date-time": (text) => dateTimePattern.test(text),
  datetime: (text) => dateTimePattern.test(text),
  duration: (text) => durationPattern.test(text),
};

/** undefined when the format is not one the API server checks. */
export function checkFormat(format: string, text: string): boolean | undefined {
  const check = checks[format];
  return check ? check(text) : undefined;
}
