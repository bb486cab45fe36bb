import type { Command } from "commander";
import type { CliContext } from "../context.js";
import { outputFormat } from "../output.js";
import { collect } from "../options.js";
import { readOverlayDocuments } from "./manifest.js";
import { painter } from "../painter.js";

export function register(program: Command, context: CliContext): void {
  const profile = program.command("profile").description("List, show and compare the built-in IstioOperator profiles");
  profile
    .command("list")
    .description("List the built-in profiles")
    .action(async (_flags: unknown, command: Command) => {
      const output = outputFormat(context, command);
      const { profileNames } = await import("../../core/operator/profiles.js");
      if (output !== "text") {
        context.io.stdout.write(await formatted({ profiles: profileNames().map((name) => ({ name })) }, output));
        return;
      }
      const lines = profileNames().map((name) => `    ${name}`);
      context.io.stdout.write(`Istio configuration profiles:\n${lines.join("\n")}\n`);
    });
  profile
    .command("dump")
    .argument("[name]", "profile name", "default")
    .description("Print a profile as an IstioOperator (default plus the profile's delta, plus any overlays)")
    .option("--config-path <path>", "print only this part, e.g. spec.components or components.pilot")
    .option("-s, --set <path=value>", "set an IstioOperator field, relative to spec (repeatable)", collect)
    .option("-f, --filename <file>", "IstioOperator overlay file (repeatable)", collect)
    .action(async (name: string, flags: { configPath?: string; set?: string[]; filename?: string[] }, command: Command) => {
      const output = outputFormat(context, command);
      const documents = await readOverlayDocuments(flags.filename ?? [], context);
      const { dumpProfile } = await import("../../core/operator/profile-dump.js");
      const dumped = dumpProfile({ name, documents, sets: flags.set ?? [], ...(flags.configPath ? { configPath: flags.configPath } : {}) });
      context.io.stdout.write(await formatted(dumped, output));
    });
  profile
    .command("diff")
    .argument("<a>", "first profile")
    .argument("<b>", "second profile")
    .description("Show how two profiles differ, as a line diff of their -o yaml (default) or -o json dumps (exit 0 either way)")
    .action(async (a: string, b: string, _flags: unknown, command: Command) => {
      const { dumpProfile, lineDiff } = await import("../../core/operator/profile-dump.js");
      const output = outputFormat(context, command);
      const before = await formatted(dumpProfile({ name: a }), output);
      const after = await formatted(dumpProfile({ name: b }), output);
      const lines = lineDiff(before.trimEnd(), after.trimEnd());
      if (lines.every((line) => line.kind === "same")) {
        context.io.stdout.write(`Profiles "${a}" and "${b}" are identical\n`);
        return;
      }
      const color = context.stdoutColor(command);
      const paint = await painter(color);
      const out = [`--- ${a}`, `+++ ${b}`];
      for (const line of lines) {
        if (line.kind === "same") out.push(` ${line.text}`);
        else if (line.kind === "added") out.push(paint.green(`+${line.text}`));
        else out.push(paint.red(`-${line.text}`));
      }
      context.io.stdout.write(`${out.join("\n")}\n`);
    });
}

async function formatted(value: unknown, output: string): Promise<string> {
  const { toJson, toYaml } = await import("../../core/documents/write.js");
  if (output === "json") return toJson(value, { sortKeys: true });
  if (output === "yaml") return toYaml(value, { sortKeys: true, indentSequences: false });
  throw new Error(`no ${output} printer for profiles`);
}
