import type { ParseOptions, DocumentOptions, SchemaOptions, ToJSOptions } from "yaml";

/**
 * kubectl turns YAML into JSON with go-yaml v2, i.e. YAML 1.1 scalars: `yes`/`no`/`on`/`off` are
 * booleans, `0755` is octal, `1_000` is 1000. Unlike the `yaml` package's 1.1 schema, go-yaml keeps
 * timestamps and sexagesimal numbers (`1:20`) as strings, so those tags are removed here.
 */
export const kubectlYamlOptions: ParseOptions & DocumentOptions & SchemaOptions = {
  version: "1.1",
  merge: true,
  uniqueKeys: true,
  prettyErrors: false,
  customTags: (tags) =>
    tags.filter((tag) => {
      const t = tag as { tag?: string; format?: string };
      return t.tag !== "tag:yaml.org,2002:timestamp" && t.format !== "TIME";
    }),
};

export function toJsOptions(maxAliasCount: number): ToJSOptions {
  return { maxAliasCount };
}
