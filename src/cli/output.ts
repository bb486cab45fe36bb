import type { Command } from "commander";
import { UsageError } from "../core/errors.js";
import type { CliContext } from "./context.js";

/** Formats of findings reports (validate, analyze). */
export const reportFormats = ["text", "json", "junit", "sarif", "github"] as const;

/**
 * The `-o/--output` formats of each command that prints data, default first. Commands not listed print no data and
 * refuse -o. Completion offers the same lists.
 */
export const outputFormats: Readonly<Record<string, readonly string[]>> = {
  install: ["text", "json"],
  upgrade: ["text", "json"],
  precheck: ["text", "json"],
  "tag list": ["text", "json", "yaml"],
  "tag generate": ["yaml", "json"],
  "tag set": ["yaml", "json"],
  "manifest diff": ["text", "json"],
  uninstall: ["text", "json"],
  "verify-install": ["text", "json"],
  status: ["text", "json", "yaml"],
  "manifest generate": ["yaml", "json"],
  "profile list": ["text", "json", "yaml"],
  "profile dump": ["yaml", "json"],
  "profile diff": ["yaml", "json"],
  validate: reportFormats,
  analyze: reportFormats,
  convert: ["yaml", "json"],
  "gateway-api install": ["text", "json", "yaml"],
  "gateway-api status": ["text", "json", "yaml"],
  "gateway-api uninstall": ["text", "json"],
  version: ["text", "short", "json", "yaml"],
};

/** `profile dump` for the commander command of `mesh profile dump`. */
export function commandPath(command: Command): string {
  const names: string[] = [];
  for (let current: Command | null = command; current?.parent; current = current.parent) names.unshift(current.name());
  return names.join(" ");
}

/** The -o format for `command`: its default when -o is absent, a usage error when the command does not print it. */
export function outputFormat(context: CliContext, command: Command): string {
  const path = commandPath(command);
  const formats = outputFormats[path];
  const requested = context.globals(command).output;
  if (!formats) {
    if (requested === undefined) return "text";
    throw new UsageError(`mesh ${path} prints no data, so -o/--output does not apply`, {
      hint: `leave out -o ${requested}; run 'mesh ${path} --help' for its flags`,
    });
  }
  if (requested === undefined) return formats[0]!;
  if (formats.includes(requested)) return requested;
  if (path === "manifest generate")
    throw new UsageError(`unknown output format "${requested}" for manifest generate`, {
      hint: `-o takes ${formats.join(" or ")}; to write files into a directory use --output-dir ${requested}`,
    });
  throw new UsageError(`unknown output format "${requested}" for ${path}`, { hint: `use -o ${formats.join(", -o ")}` });
}
