/** Label selectors as `?labelSelector=` carries them: `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`. */
type Requirement =
  | { key: string; op: "in"; values: string[] }
  | { key: string; op: "notin"; values: string[] }
  | { key: string; op: "exists" }
  | { key: string; op: "!exists" };

function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = "";
  for (const char of text) {
    if (char === "(") depth++;
    if (char === ")") depth--;
    if (char === "," && depth === 0) {
      parts.push(current);
      current = "";
    } else current += char;
  }
  if (current.trim() !== "") parts.push(current);
  return parts.map((part) => part.trim()).filter((part) => part !== "");
}

export function parseLabelSelector(text: string): Requirement[] {
  return splitTopLevel(text).map((part): Requirement => {
    const set = /^(\S+)\s+(in|notin)\s*\((.*)\)$/.exec(part);
    if (set) return { key: set[1]!, op: set[2] as "in" | "notin", values: set[3]!.split(",").map((value) => value.trim()) };
    const notEqual = /^([^!=\s]+)\s*!=\s*(.*)$/.exec(part);
    if (notEqual) return { key: notEqual[1]!, op: "notin", values: [notEqual[2]!] };
    const equal = /^([^!=\s]+)\s*==?\s*(.*)$/.exec(part);
    if (equal) return { key: equal[1]!, op: "in", values: [equal[2]!] };
    if (part.startsWith("!")) return { key: part.slice(1).trim(), op: "!exists" };
    if (/^[A-Za-z0-9._/-]+$/.test(part)) return { key: part, op: "exists" };
    throw new Error(`unable to parse requirement: ${part}`);
  });
}

export function matchesLabels(requirements: readonly Requirement[], labels: Record<string, string> | undefined): boolean {
  const actual = labels ?? {};
  return requirements.every((requirement) => {
    const has = Object.hasOwn(actual, requirement.key);
    switch (requirement.op) {
      case "exists":
        return has;
      case "!exists":
        return !has;
      case "in":
        return has && requirement.values.includes(actual[requirement.key]!);
      case "notin":
        return !has || !requirement.values.includes(actual[requirement.key]!);
    }
  });
}
