import type { Command, Option } from "commander";
import type { CliContext } from "./context.js";
import { completionScripts } from "./commands/completion.js";
import { conversionDirections } from "./commands/convert.js";
import { outputFormats } from "./output.js";

/**
 * Dynamic completion: the scripts of `mesh completion bash|zsh|fish` call `mesh __complete <words…> <current>`, which
 * walks the registered commander tree the way the parser would and prints one candidate per line
 * (`value` or `value<TAB>description`), then a directive line `:N` telling the shell what else to do.
 */
export const CompletionDirective = {
  /** Candidates as given; when there are none the shell completes file names. */
  default: 0,
  /** Do not add a space after the completed word (`--set profile=`). */
  noSpace: 1,
  /** Do not fall back to file names. */
  noFiles: 2,
  /** Complete file and directory names (directories end with `/`). */
  files: 4,
  /** Complete directory names only. */
  directories: 8,
} as const;

export interface Completion {
  candidates: string[];
  directive: number;
}

interface Walk {
  command: Command;
  /** Command path below mesh, e.g. "profile dump". */
  path: string;
  positionals: string[];
  /** Values of options already on the line, by long name (for --kubeconfig before --context). */
  seen: Map<string, string>;
  /** An option waiting for its value (the word being completed is that value). */
  pendingOption?: Option;
  afterDoubleDash: boolean;
}

function findOption(command: Command, flag: string): Option | undefined {
  for (let current: Command | null = command; current; current = current.parent) {
    const option = current.options.find((candidate) => candidate.long === flag || candidate.short === flag);
    if (option) return option;
  }
  return undefined;
}

function takesValue(option: Option): boolean {
  return option.required || option.optional;
}

/** The command `words` select (`profile dump` for `mesh profile dump demo -o json`), as the parser would see it. */
export function commandPathOf(program: Command, words: readonly string[]): string {
  return walk(program, words).path;
}

function walk(program: Command, words: readonly string[]): Walk {
  const state: Walk = { command: program, path: "", positionals: [], seen: new Map(), afterDoubleDash: false };
  for (let index = 0; index < words.length; index++) {
    const word = words[index]!;
    if (state.afterDoubleDash) {
      state.positionals.push(word);
      continue;
    }
    if (word === "--") {
      state.afterDoubleDash = true;
      continue;
    }
    if (word.startsWith("-") && word !== "-") {
      const equals = word.indexOf("=");
      const flag = equals === -1 ? word : word.slice(0, equals);
      const option = findOption(state.command, flag);
      if (option && takesValue(option) && equals === -1) {
        if (index + 1 < words.length) state.seen.set(option.long ?? flag, words[++index]!);
        else state.pendingOption = option;
      } else if (option && equals !== -1) state.seen.set(option.long ?? flag, word.slice(equals + 1));
      continue;
    }
    const child = state.positionals.length === 0 ? state.command.commands.find((candidate) => candidate.name() === word) : undefined;
    if (child) {
      state.command = child;
      state.path = state.path ? `${state.path} ${word}` : word;
    } else state.positionals.push(word);
  }
  return state;
}

export type ValueSource = (toComplete: string, seen: ReadonlyMap<string, string>) => Promise<Completion> | Completion;

const files: Completion = { candidates: [], directive: CompletionDirective.files };
const directories: Completion = { candidates: [], directive: CompletionDirective.directories };
const nothing: Completion = { candidates: [], directive: CompletionDirective.noFiles };

/** Completes the last of `words` (empty when the cursor follows a space); `words` excludes `mesh` itself. */
export async function complete(program: Command, words: readonly string[], context: CliContext): Promise<Completion> {
  const toComplete = words.at(-1) ?? "";
  const state = walk(program, words.slice(0, -1));
  if (state.pendingOption) return optionValues(state, state.pendingOption, toComplete, context);
  if (!state.afterDoubleDash && toComplete.startsWith("-") && toComplete.length > 0) {
    const equals = toComplete.indexOf("=");
    if (equals !== -1 && toComplete.startsWith("--")) {
      const option = findOption(state.command, toComplete.slice(0, equals));
      if (!option || !takesValue(option)) return nothing;
      const prefix = toComplete.slice(0, equals + 1);
      const values = await optionValues(state, option, toComplete.slice(equals + 1), context);
      return { ...values, candidates: values.candidates.map((candidate) => prefix + candidate) };
    }
    return { candidates: flagCandidates(state.command), directive: CompletionDirective.noFiles };
  }
  const children = state.command.commands.filter((child) => !isHidden(child));
  if (children.length > 0 && state.positionals.length === 0)
    return { candidates: children.map((child) => `${child.name()}\t${child.description()}`), directive: CompletionDirective.noFiles };
  return positionalValues(state);
}

function isHidden(command: Command): boolean {
  return (command as unknown as { _hidden?: boolean })._hidden === true;
}

function flagCandidates(command: Command): string[] {
  const out: string[] = [];
  for (let current: Command | null = command; current; current = current.parent) {
    for (const option of current.options) {
      if (option.hidden) continue;
      for (const flag of [option.long, option.short]) if (flag) out.push(`${flag}\t${option.description}`);
    }
  }
  out.push("--help\tshow help");
  return out;
}

const componentNames = ["base", "istiod", "ingress", "egress", "cni", "ztunnel"];

async function optionValues(state: Walk, option: Option, toComplete: string, context: CliContext): Promise<Completion> {
  if (option.argChoices) return { candidates: [...option.argChoices], directive: CompletionDirective.noFiles };
  switch (option.long) {
    case "--output":
      return { candidates: [...(outputFormats[state.path] ?? [])], directive: CompletionDirective.noFiles };
    case "--set":
      return setValues(toComplete);
    case "--context":
      return { candidates: await contextNames(state.seen, context), directive: CompletionDirective.noFiles };
    case "--filename":
    case "--kubeconfig":
    case "--crds":
    case "--from-file":
      return files;
    case "--output-dir":
      return directories;
    case "--component":
      return { candidates: componentNames, directive: CompletionDirective.noFiles };
    case "--gateway-api-version": {
      const { SCHEMA_GATEWAY_API_VERSIONS } = await import("../core/versions.js");
      return { candidates: [...SCHEMA_GATEWAY_API_VERSIONS], directive: CompletionDirective.noFiles };
    }
    case "--version": {
      const { SUPPORTED_VERSIONS } = await import("../core/gatewayapi/versions.js");
      return { candidates: [...SUPPORTED_VERSIONS], directive: CompletionDirective.noFiles };
    }
    default:
      return nothing;
  }
}

async function profileNames(): Promise<string[]> {
  return (await import("../core/operator/profiles.js")).profileNames();
}

/** `--set profile=<name>`; other paths start from the IstioOperator spec's top-level fields. */
async function setValues(toComplete: string): Promise<Completion> {
  if (toComplete.startsWith("profile="))
    return { candidates: (await profileNames()).map((name) => `profile=${name}`), directive: CompletionDirective.noFiles };
  const { operatorBundle } = await import("../core/operator/bundle.js");
  const spec = operatorBundle().schema.properties?.spec?.properties ?? {};
  const candidates = Object.entries(spec).map(([name, node]) => (node.type === "object" || node.properties ? `${name}.` : `${name}=`));
  return { candidates, directive: CompletionDirective.noFiles | CompletionDirective.noSpace };
}

async function contextNames(seen: ReadonlyMap<string, string>, context: CliContext): Promise<string[]> {
  try {
    const { kubeconfigContextNames } = await import("../kube/config.js");
    const kubeconfig = seen.get("--kubeconfig");
    return kubeconfigContextNames({ ...(kubeconfig ? { kubeconfig } : {}), env: context.io.env });
  } catch {
    return [];
  }
}

const positionalSources: Record<string, (index: number) => Completion | Promise<Completion>> = {
  "profile dump": async (index) => (index === 0 ? { candidates: await profileNames(), directive: CompletionDirective.noFiles } : nothing),
  "profile diff": async (index) => (index < 2 ? { candidates: await profileNames(), directive: CompletionDirective.noFiles } : nothing),
  completion: (index) => (index === 0 ? { candidates: Object.keys(completionScripts), directive: CompletionDirective.noFiles } : nothing),
  convert: (index) => (index === 0 ? { candidates: Object.keys(conversionDirections), directive: CompletionDirective.files } : files),
};

async function positionalValues(state: Walk): Promise<Completion> {
  const source = positionalSources[state.path];
  if (source) return source(state.positionals.length);
  return state.command.registeredArguments.length > 0 ? files : nothing;
}

/** The `__complete` output: candidates, then `:directive`. */
export function formatCompletion(completion: Completion, toComplete: string): string {
  const shown = completion.candidates.filter((candidate) => candidate.startsWith(toComplete));
  return [...shown, `:${completion.directive}`].join("\n") + "\n";
}
