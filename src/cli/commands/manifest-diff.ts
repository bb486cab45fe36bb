import type { Command } from "commander";
import { InputError, UsageError } from "../../core/errors.js";
import type { KubeObject } from "../../core/objects.js";
import type { CliContext } from "../context.js";
import { collect } from "../options.js";

/** Shared with `manifest generate` (passed in, so that the two modules do not import each other). */
interface OverlayReaders {
  readOverlayDocuments: (flags: string[], context: CliContext) => Promise<import("../../core/documents/parse.js").SourceDocument[]>;
}

interface DiffFlags {
  setA: string[];
  setB: string[];
  fileA: string[];
  fileB: string[];
}

/** `mesh manifest diff A B`: two manifests (files, or renders of -f/--set per side) compared object by object. */
export function registerManifestDiff(manifest: Command, context: CliContext, readers: OverlayReaders): void {
  manifest
    .command("diff [a] [b]")
    .description("Compare two manifests object by object, ignoring order: files, or renders of --set-a/--file-a and --set-b/--file-b")
    .option("--set-a <path=value>", "render side A with this IstioOperator field (repeatable)", collect, [])
    .option("--file-a <file>", "render side A with this IstioOperator overlay (repeatable)", collect, [])
    .option("--set-b <path=value>", "render side B with this IstioOperator field (repeatable)", collect, [])
    .option("--file-b <file>", "render side B with this IstioOperator overlay (repeatable)", collect, [])
    .addHelpText(
      "after",
      "\nA side given as a file is a rendered manifest (YAML, several documents); a side without a file is rendered (default: profile default).\nOutput: unified diffs and a summary, or -o json. Exit codes: 0 same, 1 different, 2 usage or input error.",
    )
    .action(async (a: string | undefined, b: string | undefined, flags: DiffFlags, command: Command) => {
      const output = context.globals(command).output ?? "text";
      if (output !== "text" && output !== "json")
        throw new UsageError(`unknown output format "${output}" for manifest diff`, { hint: "use -o json" });
      if (a !== undefined && (flags.setA.length > 0 || flags.fileA.length > 0))
        throw new UsageError("side A is a manifest file; --set-a and --file-a render it instead, give one or the other");
      if (b !== undefined && (flags.setB.length > 0 || flags.fileB.length > 0))
        throw new UsageError("side B is a manifest file; --set-b and --file-b render it instead, give one or the other");
      const left = a !== undefined ? await readManifest(a) : await render(flags.setA, flags.fileA, context, readers);
      const right = b !== undefined ? await readManifest(b) : await render(flags.setB, flags.fileB, context, readers);
      const { compareManifests } = await import("../../core/diff/manifests.js");
      const comparison = compareManifests(left, right);
      if (output === "json") {
        const { toJson } = await import("../../core/documents/write.js");
        context.io.stdout.write(toJson(comparison));
      } else {
        for (const difference of comparison.differences) context.io.stdout.write(difference.diff);
        const count = (change: string) => comparison.differences.filter((difference) => difference.change === change).length;
        context.io.stdout.write(
          `${comparison.differences.length === 0 ? "The manifests are the same" : "The manifests differ"}: ${count("changed")} changed, ${count("only in A")} only in A, ${count("only in B")} only in B, ${comparison.same} the same.\n`,
        );
      }
      if (comparison.differences.length > 0) context.exitCode = 1;
    });
}

async function readManifest(path: string): Promise<KubeObject[]> {
  const { readFile } = await import("node:fs/promises");
  const text = await readFile(path, "utf8").catch((error: NodeJS.ErrnoException) => {
    throw new InputError(`${path}: ${error.code === "ENOENT" ? "no such file or directory" : error.message}`);
  });
  const { parseManifestText } = await import("../../core/documents/index.js");
  const parsed = parseManifestText(text, path);
  const problem = parsed.findings.find((finding) => finding.severity === "error");
  if (problem) throw new InputError(`${path}:${problem.line ?? 0}:${problem.column ?? 0}: ${problem.message}`);
  return parsed.documents.map((document, index) => {
    const object = document.object as KubeObject;
    if (typeof object?.kind !== "string" || typeof object.apiVersion !== "string" || typeof object.metadata?.name !== "string")
      throw new InputError(`${path}: document ${index + 1} is not a Kubernetes object (apiVersion, kind, metadata.name)`);
    return object;
  });
}

async function render(sets: string[], files: string[], context: CliContext, readers: OverlayReaders): Promise<KubeObject[]> {
  const documents = await readers.readOverlayDocuments(files, context);
  const { generateFromDocuments } = await import("../../core/render/generate.js");
  const generated = generateFromDocuments({ documents, sets });
  return generated.components.flatMap((component) => component.objects);
}
