import { describe, expect, it } from "vitest";
import { declFor } from "../../../../src/core/validate/cel/cost.js";
import { parseCelExpression } from "../../../../src/core/validate/cel/rules.js";
import { celTypeError, type ExpectedResult } from "../../../../src/core/validate/cel/type-check.js";
import type { StructuralSchema } from "../../../../src/core/validate/schema-types.js";

/** A schema with a field of every kind a rule can meet. */
const schema: StructuralSchema = {
  type: "object",
  properties: {
    name: { type: "string" },
    replicas: { type: "integer" },
    ratio: { type: "number" },
    enabled: { type: "boolean" },
    timeout: { type: "string", format: "duration" },
    since: { type: "string", format: "date-time" },
    data: { type: "string", format: "byte" },
    port: { "x-kubernetes-int-or-string": true },
    tags: { type: "array", items: { type: "string" } },
    counts: { type: "array", items: { type: "integer" } },
    labels: { type: "object", additionalProperties: { type: "string" } },
    rules: {
      type: "array",
      items: {
        type: "object",
        properties: { path: { type: "string" }, weight: { type: "integer" }, matches: { type: "array", items: { type: "string" } } },
      },
    },
    target: { type: "object", properties: { host: { type: "string" } } },
    free: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
  },
};

const typeError = (expression: string, expected: ExpectedResult = "bool") =>
  celTypeError(parseCelExpression(expression), declFor(schema, false), expected);

describe("celTypeError: the type errors cel-go reports when the API server compiles a CRD's rules", () => {
  it.each([
    "self.name == 'a' && self.replicas > 0 && self.ratio < 1.5 && self.enabled",
    "self.replicas > 1.5 && self.ratio >= 1 && 1u < self.replicas",
    "self.name == null || self.target == null",
    "has(self.name) ? self.name.size() > 0 : true",
    "self.tags.all(t, t.startsWith('x')) && self.tags.exists_one(t, t == 'a')",
    "self.labels.all(k, self.labels[k].size() < 64 && k.matches('^[a-z]+$'))",
    "'a' in self.labels && 'b' in self.tags",
    "self.rules.map(r, r.path).isSorted() && self.rules.filter(r, r.weight > 0).size() <= 8",
    "self.rules.all(r, r.matches.size() <= 8 && r.matches.all(m, m != ''))",
    "self.rules[0].path.startsWith('/') && self.tags[1] != ''",
    "self.timeout > duration('1s') && self.timeout.getSeconds() < 60",
    "self.since < timestamp('2030-01-01T00:00:00Z') && self.since + duration('1h') > self.since",
    "size(self.data) > 0 && self.data.size() < 10",
    "self.port == 80 || self.port == 'http' || int(self.port) > 0",
    "dyn(self.name) == 1 || type(self.name) == string",
    "self.counts.sum() > 0 && self.counts.min() >= 0 && self.counts.indexOf(3) != -1 && self.tags.indexOf('a') >= 0",
    "self.name.indexOf('a') < 3 && self.name.split('/').size() == 2 && self.tags.join(',') != ''",
    "self.name.lowerAscii() == self.name && self.name.replace('a', 'b') != '' && self.name.charAt(0) == 'a'",
    "self.name.find('[a-z]+') == self.name && self.name.findAll('x').size() < 3",
    "isURL(self.name) && url(self.name).getScheme() == 'https' && url(self.name).getQuery().size() == 0",
    "isQuantity(self.name) && quantity(self.name).isLessThan(quantity('1Gi')) && quantity(self.name).add(1).sign() > 0",
    "isIP(self.name) && ip(self.name).family() == 4 && ip.isCanonical(self.name) && cidr('10.0.0.0/8').containsIP(self.name)",
    "sets.contains(self.tags, ['a']) && sets.intersects(self.counts, [1, 2])",
    "self.free.anything == 1 && self.free.x.y == 'z'",
    "'%s has %d'.format([self.name, self.replicas]) != ''",
    "[1, 2, 3].all(x, x > 0) && {'a': 1, 'b': 2}.size() == 2 && [self.name, 'a'].size() == 2",
    "self.tags + ['a'] == ['a'] && self.name + 'x' != 'y' && [[1], [2, 3]].size() == 2",
    "self.optionalThing.orValue(1) == 1 || self.all(k, v, v != null)",
    "self.target.host.matches('^[a-z.]+$') && !(self.target.host in self.tags)",
    "self.tags.exists(t, self.rules.exists(r, r.path == t))",
    "cel.bind(x, self.name, x.size() > 0)",
    "self.target['host'] == 'a' || 'host' in self.target || self.target == {'host': 'a'}",
    "self.replicas % 2 == 0 && -self.replicas < 0 && self.ratio / 2.0 > 0.1 && self.replicas * 2 - 1 > 0",
  ])("accepts %s", (expression) => {
    expect(typeError(expression)).toBeUndefined();
  });

  it.each([
    ["self.name == 1", "found no matching overload for '_==_' applied to '(string, int)'"],
    ["self.replicas == 1.0", "found no matching overload for '_==_' applied to '(int, double)'"],
    ["self.replicas == true", "found no matching overload for '_==_' applied to '(int, bool)'"],
    ["self.name + 1 > 2", "found no matching overload for '_+_' applied to '(string, int)'"],
    ["size(self.name) == 'a'", "found no matching overload for '_==_' applied to '(int, string)'"],
    ["self.name.contains(1)", "found no matching overload for 'contains' applied to 'string.(int)'"],
    ["self.replicas.startsWith('a')", "found no matching overload for 'startsWith' applied to 'int.(string)'"],
    ["self.tags[0] > 1", "found no matching overload for '_>_' applied to '(string, int)'"],
    ["self.tags['a'] == 'b'", "found no matching overload for '_[_]' applied to '(list(string), string)'"],
    ["self.timeout > 5", "found no matching overload for '_>_' applied to '(google.protobuf.Duration, int)'"],
    ["self.labels.all(k, k > 1)", "found no matching overload for '_>_' applied to '(string, int)'"],
    ["!self.name", "found no matching overload for '!_' applied to '(string)'"],
    ["self.enabled ? 1 : 'a'", "found no matching overload for '_?_:_' applied to '(bool, int, string)'"],
    ["self.name && true", "expected type 'bool' but found 'string'"],
    ["self.enabled || self.replicas", "expected type 'bool' but found 'int'"],
    ["foo == 1", "undeclared reference to 'foo' (in container '')"],
    ["self.tags.all(t, u == t)", "undeclared reference to 'u' (in container '')"],
    ["self.name.nosuchfn()", "undeclared reference to 'nosuchfn' (in container '')"],
    ["self.name.host == 'a'", "type 'string' does not support field selection"],
    ["self.tags.first == 'a'", "type 'list(string)' does not support field selection"],
    ["[1, 'a'].size() == 2", "expected type 'int' but found 'string'"],
    ["{'a': 1, 'b': 'c'}.size() == 2", "expected type 'int' but found 'string'"],
    ["{'a': 1, 2: 1}.size() == 2", "expected type 'string' but found 'int'"],
    ["self.name.all(c, c == 'a')", "expression of type 'string' cannot be range of a comprehension (must be list, map, or dynamic)"],
    ["self.name", "cel expression must evaluate to a bool"],
    ["self.replicas + 1", "cel expression must evaluate to a bool"],
  ])("refuses %s", (expression, message) => {
    expect(typeError(expression)).toBe(message);
  });

  it("holds a messageExpression to a string result", () => {
    expect(typeError("'name ' + self.name + ' is taken'", "string")).toBeUndefined();
    expect(typeError("string(self.replicas) + ' replicas'", "string")).toBeUndefined();
    expect(typeError("self.replicas", "string")).toBe("messageExpression must evaluate to a string");
    expect(typeError("'replicas: ' + self.replicas", "string")).toBe("found no matching overload for '_+_' applied to '(string, int)'");
  });

  it("types the resource root's apiVersion, kind and metadata.name", () => {
    const root = declFor({ type: "object", properties: { spec: { type: "object", properties: { a: { type: "string" } } } } }, true);
    const check = (expression: string) => celTypeError(parseCelExpression(expression), root, "bool");
    expect(check("self.metadata.name.startsWith('a') && self.kind == 'Widget' && self.spec.a != ''")).toBeUndefined();
    expect(check("self.metadata.name == 1")).toBe("found no matching overload for '_==_' applied to '(string, int)'");
  });
});
