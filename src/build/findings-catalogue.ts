import { readFile, writeFile } from "node:fs/promises";
import { findingsCatalogueMarkdown } from "../core/finding-codes.js";

/** Markers around the generated catalogue in docs/validate.md. */
export const CATALOGUE_START = "<!-- findings-catalogue:start -->";
export const CATALOGUE_END = "<!-- findings-catalogue:end -->";

/** docs/validate.md with its catalogue section replaced by the one generated from the findings table. */
export function withCatalogue(markdown: string): string {
  const start = markdown.indexOf(CATALOGUE_START);
  const end = markdown.indexOf(CATALOGUE_END);
  if (start === -1 || end < start) throw new Error(`docs/validate.md lacks the ${CATALOGUE_START} … ${CATALOGUE_END} markers`);
  return `${markdown.slice(0, start + CATALOGUE_START.length)}\n${findingsCatalogueMarkdown()}${markdown.slice(end)}`;
}

// `npm run docs:catalogue` rewrites docs/validate.md (development time, like the schema generator).
if (process.argv[1]?.endsWith("build/findings-catalogue.js")) {
  const file = new URL("../../docs/validate.md", import.meta.url);
  await writeFile(file, withCatalogue(await readFile(file, "utf8")));
}
