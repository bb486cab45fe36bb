import { readFileSync } from "node:fs";
import { parseManifestText } from "../../../src/core/documents/index.js";

const fixtures = new URL("../../fixtures/validate/", import.meta.url);

export function fixtureText(name: string): string {
  return readFileSync(new URL(name, fixtures), "utf8");
}

export function fixtureObjects(name: string): unknown[] {
  return parseManifestText(fixtureText(name), name).documents.map((document) => document.object);
}

export const widgetCrds = fixtureObjects("widgets-crd.yaml");

/** A fresh copy of the valid Widget, for one mutation per test. */
export function validWidget(): Record<string, any> {
  return structuredClone(fixtureObjects("valid-widget.yaml")[0]) as Record<string, any>;
}
