import { readFileSync } from "node:fs";
import { FdOutput, streamFlushed, writesDirectly } from "./fd-output.js";
import { Command, CommanderError, Option } from "commander";
import { ExitCode, MeshError } from "../core/errors.js";
import { closestWord } from "../core/suggest.js";
import type { CliContext, CliIo, CommandModule, GlobalOptions, OutputStream } from "./context.js";
import { packagePath } from "../core/package-paths.js";
import { commandPath, outputFormat, outputFormats } from "./output.js";

interface CommandEntry {
  name: string;
  summary: string;
  load: () => Promise<CommandModule>;
}

/** Every command, in `mesh --help` order. Only the module of the command that runs is imported. */
export const commandTable: readonly CommandEntry[] = [
  {
    name: "install",
    summary: "Install Istio into the cluster (server-side apply, wait until ready, prune)",
    load: () => import("./commands/install.js"),
  },
  {
    name: "upgrade",
    summary: "Install over an existing control plane, with upgrade checks (version skips, old proxies)",
    load: () => import("./commands/upgrade.js"),
  },
  {
    name: "uninstall",
    summary: "Remove what mesh install applied (--purge, --revision, -f)",
    load: () => import("./commands/uninstall.js"),
  },
  {
    name: "precheck",
    summary: "Check a cluster before installing or upgrading Istio (istioctl x precheck)",
    load: () => import("./commands/precheck.js"),
  },
  {
    name: "tag",
    summary: "Revision tags: set, list, remove, generate (stable names for control plane revisions)",
    load: () => import("./commands/tag.js"),
  },
  {
    name: "verify-install",
    summary: "Compare the rendered profile with the cluster: missing, drifted, not ready",
    load: () => import("./commands/verify-install.js"),
  },
  {
    name: "status",
    summary: "Show installed components, versions, readiness and gateway addresses",
    load: () => import("./commands/status.js"),
  },
  {
    name: "manifest",
    summary: "Render Istio's installation manifests offline (manifest generate)",
    load: () => import("./commands/manifest.js"),
  },
  { name: "profile", summary: "List, dump and diff the built-in IstioOperator profiles", load: () => import("./commands/profile.js") },
  {
    name: "validate",
    summary: "Validate Istio and Gateway API resources offline, with file:line:col findings",
    load: () => import("./commands/validate.js"),
  },
  {
    name: "analyze",
    summary: "Analyse resources together as istioctl analyze does (IST codes), offline or with --cluster",
    load: () => import("./commands/analyze.js"),
  },
  { name: "convert", summary: "Convert Istio Gateway/VirtualService to Gateway API and back", load: () => import("./commands/convert.js") },
  {
    name: "gateway-api",
    summary: "Install, inspect and remove the Gateway API CRDs (install, status, uninstall)",
    load: () => import("./commands/gateway-api.js"),
  },
  { name: "version", summary: "Print the mesh, Istio and Gateway API versions", load: () => import("./commands/version.js") },
  { name: "completion", summary: "Print a shell completion script (bash, zsh, fish)", load: () => import("./commands/completion.js") },
];

/** Global options that take a value; needed to find the command name before commander parses. */
const valueOptions = new Set(["--kubeconfig", "--context", "-n", "--namespace", "-o", "--output"]);

export function meshVersion(): string {
  const pkg = JSON.parse(readFileSync(packagePath("package.json"), "utf8")) as { version: string };
  return pkg.version;
}

export function findCommandName(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--") return undefined;
    if (arg.startsWith("-")) {
      if (valueOptions.has(arg)) i++;
      continue;
    }
    return arg === "help" ? args.slice(i + 1).find((next) => !next.startsWith("-")) : arg;
  }
  return undefined;
}

/** `versionFlag: false` leaves `--version` to the command (`mesh gateway-api install --version v1.2.1`). */
export function buildProgram(context: CliContext, options: { versionFlag?: boolean } = {}): Command {
  const program = new Command("mesh").description("Install Istio, validate and convert Istio and Gateway API resources");
  if (options.versionFlag !== false) program.version(context.version, "-V, --version", "print mesh's version");
  program
    .addOption(new Option("--kubeconfig <path>", "kubeconfig file (default: $KUBECONFIG or ~/.kube/config)"))
    .addOption(new Option("--context <name>", "kubeconfig context to use"))
    .addOption(new Option("-n, --namespace <namespace>", "namespace for namespaced objects without one"))
    .addOption(new Option("-o, --output <format>", "output format (depends on the command)"))
    .addOption(new Option("--no-color", "never colour the output (also NO_COLOR=1)"))
    .addOption(new Option("-q, --quiet", "print only errors and results").default(false))
    .addOption(new Option("-v, --verbose", "print more detail, including stack traces of internal errors").default(false))
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: (text) => context.io.stdout.write(text),
      writeErr: (text) => context.io.stderr.write(text),
      outputError: () => {
        // Printed by main() as one line with a hint.
      },
    })
    .exitOverride()
    .configureHelp({ showGlobalOptions: true, visibleGlobalOptions: (command) => applicableGlobalOptions(program, command) })
    // -o is global, but only commands that print data take it: refuse it early and clearly elsewhere.
    .hook("preAction", (_program, actionCommand) => void outputFormat(context, actionCommand));
  program.addHelpText("after", "\nExit codes: 0 ok, 1 findings or invalid input, 2 usage or input error, 3 cluster error.");
  return program;
}

/** Commands that talk to a cluster, and those that read -n (the others ignore these global flags). */
const clusterCommands = new Set([
  "analyze",
  "install",
  "uninstall",
  "verify-install",
  "status",
  "gateway-api install",
  "gateway-api status",
  "gateway-api uninstall",
]);
const namespaceCommands = new Set(["status", "validate", "convert", "analyze"]);

/** The global flags a subcommand's --help lists: only those that mean something to it. */
function applicableGlobalOptions(program: Command, command: Command): Option[] {
  const path = commandPath(command);
  return program.options.filter((option) => {
    if (option.hidden) return false;
    if (option.long === "--kubeconfig" || option.long === "--context") return clusterCommands.has(path);
    if (option.long === "--namespace") return namespaceCommands.has(path);
    if (option.long === "--output") return outputFormats[path] !== undefined;
    return option.long !== "--version";
  });
}

function makeContext(io: CliIo): CliContext {
  // --no-color wins; FORCE_COLOR (not 0/false) colours even a pipe (CI logs); NO_COLOR turns colour off; else a TTY decides.
  const forced = io.env.FORCE_COLOR !== undefined && !["0", "false"].includes(io.env.FORCE_COLOR);
  const colorAllowed = (command: Command, stream: { isTTY?: boolean }) =>
    command.optsWithGlobals().color !== false && (forced || (!io.env.NO_COLOR && Boolean(stream.isTTY)));
  return {
    io,
    version: meshVersion(),
    globals(command: Command): GlobalOptions {
      const options = command.optsWithGlobals<{
        kubeconfig?: string;
        context?: string;
        namespace?: string;
        output?: string;
        color?: boolean;
        quiet?: boolean;
        verbose?: boolean;
      }>();
      return {
        kubeconfig: options.kubeconfig,
        context: options.context,
        namespace: options.namespace,
        output: options.output,
        color: options.color !== false && (forced || !io.env.NO_COLOR),
        quiet: Boolean(options.quiet),
        verbose: Boolean(options.verbose),
      };
    },
    exitCode: ExitCode.ok,
    stdoutColor: (command) => colorAllowed(command, io.stdout),
    stderrColor: (command) => colorAllowed(command, io.stderr),
  };
}

/** Registers the command that runs (all of them for help and completion) and placeholders for the rest. */
export async function registerCommands(program: Command, context: CliContext, wanted: string | undefined) {
  for (const entry of commandTable) {
    if (wanted === "all" || entry.name === wanted) {
      const module = await entry.load();
      module.register(program, context);
    } else {
      program.command(entry.name).description(entry.summary).allowUnknownOption().allowExcessArguments();
    }
  }
}

/** Runs mesh with `args` (without `node` and the script) and returns the exit code. */
export async function main(args: string[], io: CliIo = processIo()): Promise<number> {
  const context = makeContext(io);
  if (args[0] === COMPLETE_COMMAND) return completeWords(args.slice(1), context);
  const name = findCommandName(args);
  const program = buildProgram(context, { versionFlag: name === undefined });
  const verbose = args.includes("-v") || args.includes("--verbose") || io.env.MESH_DEBUG === "1";
  try {
    const known = commandTable.some((entry) => entry.name === name);
    await registerCommands(program, context, name === "completion" ? "all" : known ? name : undefined);
    if (name !== undefined && !known) {
      const suggestion = closestWord(
        name,
        commandTable.map((entry) => entry.name),
      );
      throw new CommanderError(
        ExitCode.usage,
        "commander.unknownCommand",
        `unknown command "${name}"${suggestion ? ` (did you mean "${suggestion}"?)` : ""}`,
      );
    }
    if (args.length === 0) {
      program.outputHelp();
      return ExitCode.ok;
    }
    await program.parseAsync(args, { from: "user" });
    return context.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return reportUsageError(error, program, args, io);
    return reportError(error, io, verbose);
  }
}

/** Commander's messages, made one line in mesh's words, pointing at the help of the command that was meant. */
async function reportUsageError(error: CommanderError, program: Command, args: string[], io: CliIo): Promise<number> {
  if (error.code === "commander.helpDisplayed" || error.code === "commander.version" || error.code === "commander.help") {
    return ExitCode.ok;
  }
  const { commandPathOf } = await import("./complete.js");
  const path = commandPathOf(program, args);
  const [first = "", ...rest] = error.message.replace(/^error: /, "").split("\n");
  const suggestion = /\(Did you mean (.+)\?\)/.exec(rest.join(" "))?.[1];
  const invalid = /^option '([^' ]+)[^']*' argument '(.*)' is invalid\. (.*)$/.exec(first);
  let message = invalid
    ? `invalid value "${invalid[2]}" for ${invalid[1]}: ${invalid[3]!.charAt(0).toLowerCase()}${invalid[3]!.slice(1)}`
    : first;
  message = message.replace(/\.$/, "");
  if (suggestion) message += ` (did you mean ${suggestion}?)`;
  io.stderr.write(`Error: ${message}; run 'mesh ${path ? `${path} ` : ""}--help' for usage\n`);
  return ExitCode.usage;
}

/** The hidden command the completion scripts call: `mesh __complete <words before the cursor> <word at the cursor>`. */
const COMPLETE_COMMAND = "__complete";

async function completeWords(words: string[], context: CliContext): Promise<number> {
  const program = buildProgram(context);
  await registerCommands(program, context, "all");
  const { complete, formatCompletion } = await import("./complete.js");
  const completion = await complete(program, words.length > 0 ? words : [""], context);
  context.io.stdout.write(formatCompletion(completion, words.at(-1) ?? ""));
  return ExitCode.ok;
}

function reportError(error: unknown, io: CliIo, verbose: boolean): number {
  if (error instanceof MeshError) {
    io.stderr.write(`Error: ${error.message}\n`);
    if (error.hint) io.stderr.write(`${error.hint}\n`);
    // A user's mistake (a missing file, a bad flag, an unreachable cluster) is the message; a stack trace, even
    // under --verbose, would only bury it (the flag's help promises traces of internal errors).
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.stderr.write(`Error: internal error: ${message}\n`);
  if (verbose && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
  else io.stderr.write("Run again with --verbose (or MESH_DEBUG=1) for a stack trace, and report it as a bug.\n");
  return ExitCode.usage;
}

function processIo(): CliIo {
  // `mesh … | head` closes the pipe early; like other Unix tools, stop quietly instead of crashing on EPIPE.
  const closedPipe = (): never => process.exit(process.exitCode ?? 0);
  const output = (fd: 1 | 2, stream: () => NodeJS.WriteStream): OutputStream => {
    const opened = () => {
      const nodeStream = stream();
      nodeStream.on("error", (error: NodeJS.ErrnoException) => {
        if (error.code === "EPIPE") closedPipe();
        throw error;
      });
      return nodeStream;
    };
    if (!writesDirectly(fd)) {
      const nodeStream = opened();
      pendingOutput.push(() => streamFlushed(nodeStream));
      return nodeStream;
    }
    const direct = new FdOutput(fd, opened, closedPipe);
    pendingOutput.push(() => direct.flushed());
    return direct;
  };
  return {
    stdout: output(1, () => process.stdout),
    stderr: output(2, () => process.stderr),
    // Read on first use: process.stdin sets up a stream (a socket for a pipe) that most runs never read.
    get stdin() {
      return process.stdin;
    },
    env: process.env,
  };
}

const pendingOutput: (() => Promise<void>)[] = [];

/** Resolves once everything the CLI wrote to stdout and stderr has left the process (bin/mesh.js then exits). */
export async function outputFlushed(): Promise<void> {
  await Promise.all(pendingOutput.map((flushed) => flushed()));
}
