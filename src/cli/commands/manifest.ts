import type { Command } from "commander";
import { InputError } from "../../core/errors.js";
import type { Finding } from "../../core/findings.js";
import type { CliContext } from "../context.js";
import { registerManifestDiff } from "./manifest-diff.js";
import { outputFormat } from "../output.js";
import { collect, manifestsOptions, wantsRelease } from "../options.js";

interface GenerateFlags {
  set?: string[];
  filename?: string[];
  component?: string[];
  outputDir?: string;
  revision?: string;
  force?: boolean;
  manifests?: string;
  manifestsSha256?: string;
}

export function register(program: Command, context: CliContext): void {
  const manifest = program
    .command("manifest")
    .description("Render Istio's installation manifests offline (like istioctl manifest generate)");
  manifest
    .command("generate")
    .description("Print the Kubernetes objects a profile and overlays install, in istioctl's order")
    .option("-s, --set <path=value>", "set an IstioOperator field, relative to spec (repeatable)", collect)
    .option("-f, --filename <file>", "IstioOperator overlay file, merged in order; '-' reads stdin (repeatable, comma-separated)", collect)
    .option("--component <name>", "only this component: base, istiod, ingress, egress, cni, ztunnel (repeatable)", collect)
    .option("--output-dir <dir>", "write one file per component into this directory instead of stdout")
    .option("-r, --revision <revision>", "control plane revision (same as --set revision=…)")
    .option("--force", "render even if the IstioOperator fails validation (problems become warnings)")
    .addOption(manifestsOptions()[0]!)
    .addOption(manifestsOptions()[1]!)
    .addHelpText("after", "\nOutput: -o yaml (default) or -o json. Exit codes: 0 ok, 2 invalid overlay or flags.")
    .action(async (flags: GenerateFlags, command: Command) => {
      const output = outputFormat(context, command);
      const documents = await readOverlayDocuments(flags.filename ?? [], context);
      const { generateFromDocuments } = await import("../../core/render/generate.js");
      const { manifestYaml, manifestJson } = await import("../../core/render/output.js");
      const { sortObjects } = await import("../../core/render/order.js");
      const releaseCrds = wantsRelease(flags) ? await (await import("../istio-release.js")).releaseCrdsFlag(flags) : undefined;
      const generated = generateFromDocuments({
        documents,
        ...(releaseCrds ? { releaseCrds } : {}),
        sets: flags.set ?? [],
        force: flags.force,
        components: flags.component ?? [],
        ...(flags.revision !== undefined ? { revision: flags.revision } : {}),
      });
      writeWarnings(generated.findings, context, command);
      const print = (objects: Parameters<typeof manifestYaml>[0]) => (output === "json" ? manifestJson(objects) : manifestYaml(objects));
      if (flags.outputDir) {
        const { mkdir, writeFile } = await import("node:fs/promises");
        const path = await import("node:path");
        await mkdir(flags.outputDir, { recursive: true });
        for (const component of generated.components) {
          const file = path.join(flags.outputDir, `${component.gatewayName ?? component.component}.${output}`);
          await writeFile(file, print(component.objects));
        }
        return;
      }
      context.io.stdout.write(print(sortObjects(generated.components.flatMap((component) => component.objects))));
    });
  registerManifestDiff(manifest, context, { readOverlayDocuments });
}

// Shared with `mesh profile` and `mesh install`: how -f and --set inputs are read and warnings printed.

/** Reads `-f` overlays (repeatable, comma-separated, `-` for stdin) in order. */
export async function readOverlayFiles(flags: string[], context: CliContext): Promise<{ path: string; text: string }[]> {
  const names = flags
    .flatMap((flag) => flag.split(","))
    .map((name) => name.trim())
    .filter((name) => name !== "");
  const stdinAt = names.indexOf("-");
  if (stdinAt !== -1 && stdinAt !== names.length - 1) throw new InputError("-f -: standard input can only be the last file");
  const { readFile } = await import("node:fs/promises");
  const files: { path: string; text: string }[] = [];
  for (const name of names) {
    if (name === "-") {
      const { readStream, STDIN_NAME } = await import("../../core/documents/index.js");
      files.push({ path: STDIN_NAME, text: (await readStream(context.io.stdin)).toString("utf8") });
      continue;
    }
    const text = await readFile(name, "utf8").catch((error: NodeJS.ErrnoException) => {
      if (error.code === "EISDIR")
        throw new InputError(`${name} is a directory; -f takes IstioOperator overlay files`, {
          hint: "pass each overlay file with its own -f (they are merged in order)",
        });
      throw new InputError(`${name}: ${error.code === "ENOENT" ? "no such file or directory" : error.message}`);
    });
    files.push({ path: name, text });
  }
  return files;
}

/** Reads and parses -f overlays; the YAML parser is loaded only when there are some. */
export async function readOverlayDocuments(flags: string[], context: CliContext) {
  const files = await readOverlayFiles(flags, context);
  if (files.length === 0) return [];
  const { readOperatorFiles } = await import("../../core/operator/read-files.js");
  return readOperatorFiles(files);
}

/** Warnings (e.g. with --force) go to stderr, one line each, with the file position when there is one. */
export function writeWarnings(findings: readonly Finding[], context: CliContext, command: Command): void {
  if (context.globals(command).quiet) return;
  for (const finding of findings) {
    const where = finding.file ? `${finding.file}:${finding.line}:${finding.column}: ` : "";
    const path = finding.path ? `${finding.path}: ` : "";
    context.io.stderr.write(`Warning: ${where}${path}${finding.message}\n`);
  }
}
