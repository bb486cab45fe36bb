import type { Document } from "yaml";
import { resolvePlain } from "./fast-scalars.js";
import { yamlModule } from "./yaml-module.js";

/**
 * go-yaml v2 (kubectl) ends a plain scalar in a flow collection at `:` only when a blank follows, so
 * `[001:db8::]` and `[key:]` hold the strings "001:db8::" and "key:". The yaml package reads the final
 * `:` as an implicit key/value indicator and builds `{"001:db8:": null}`. This rewrites such
 * one-pair implicit maps inside flow sequences back into the scalar go-yaml sees, before toJS.
 */
export function applyGoYamlFlowScalars(document: Document.Parsed, text: string): void {
  const yaml = yamlModule();
  yaml.visit(document, {
    Seq(_key, seq) {
      if (!seq.flow) return;
      seq.items.forEach((item, index) => {
        if (!yaml.isMap(item) || !item.flow || item.items.length !== 1) return;
        const pair = item.items[0]!;
        const key = pair.key;
        const value = pair.value;
        if (!yaml.isScalar(key) || key.type !== "PLAIN" || !key.range) return;
        if (!(value === null || (yaml.isScalar(value) && value.value === null && value.source === ""))) return;
        const end = key.range[1];
        if (text[end] !== ":" || !",]}".includes(text[end + 1] ?? "")) return;
        const scalar = new yaml.Scalar(resolvePlain(text.slice(key.range[0], end + 1)));
        scalar.range = [key.range[0], end + 1, end + 1];
        seq.items[index] = scalar;
      });
    },
  });
}
