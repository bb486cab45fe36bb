import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseManifestText } from "../../../../src/core/documents/index.js";
import { validateObjects } from "../../../../src/core/validate/index.js";

const fixtures = fileURLToPath(new URL("../../../fixtures/", import.meta.url));
const sources = [path.join(fixtures, "analyze", "mirror"), path.join(fixtures, "convert", "input-gateway-api")].flatMap((directory) =>
  readdirSync(directory)
    .filter((name) => name.endsWith(".yaml"))
    .map((name) => path.join(directory, name)),
);

type Json = unknown;

/** Paths of every list item in `value`. */
function listItemPaths(value: Json, at: (string | number)[] = [], into: (string | number)[][] = []): (string | number)[][] {
  if (Array.isArray(value))
    value.forEach((item, index) => {
      into.push([...at, index]);
      listItemPaths(item, [...at, index], into);
    });
  else if (typeof value === "object" && value !== null)
    for (const [key, item] of Object.entries(value)) listItemPaths(item, [...at, key], into);
  return into;
}

function replacedAt(value: Json, at: readonly (string | number)[], replacement: Json): Json {
  if (at.length === 0) return replacement;
  const [head, ...rest] = at;
  const copy = (Array.isArray(value) ? [...value] : { ...(value as Record<string, unknown>) }) as Record<string | number, Json>;
  copy[head!] = replacedAt(copy[head!], rest, replacement);
  return copy;
}

// Input that fails its schema still reaches the analysers and Istio's webhook rules: a list item that is not an
// object (`- null`, `- 5`) must give findings, never an internal error.
describe("validation of documents whose list items are not objects", () => {
  it.each(sources.map((file) => [path.relative(fixtures, file), file]))("never throws: %s", (_name, file) => {
    const objects = parseManifestText(readFileSync(file, "utf8"), file).documents.map((document) => document.object);
    objects.forEach((object, index) => {
      for (const at of listItemPaths(object)) {
        for (const replacement of [null, 5]) {
          const variant = objects.map((other, position) => (position === index ? replacedAt(other, at, replacement) : other));
          expect(() => validateObjects(variant), `${file} document ${index} ${at.join(".")} = ${String(replacement)}`).not.toThrow();
        }
      }
    });
  });
});
