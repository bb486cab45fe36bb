import type { Command } from "commander";
import { UsageError } from "../../core/errors.js";
import type { CliContext } from "../context.js";

interface CompletionNode {
  name: string;
  flags: string[];
  children: CompletionNode[];
}

export function register(program: Command, context: CliContext): void {
  program
    .command("completion")
    .description("Print a shell completion script")
    .argument("<shell>", "bash, zsh or fish")
    .addHelpText(
      "after",
      '\nExamples:\n  source <(mesh completion bash)\n  mesh completion zsh > "${fpath[1]}/_mesh"\n  mesh completion fish > ~/.config/fish/completions/mesh.fish',
    )
    .action((shell: string) => {
      const tree = completionTree(program);
      const scripts: Record<string, (tree: CompletionNode) => string> = {
        bash: bashCompletion,
        zsh: zshCompletion,
        fish: fishCompletion,
      };
      const script = scripts[shell];
      if (!script) throw new UsageError(`unsupported shell "${shell}"`, { hint: "use bash, zsh or fish" });
      context.io.stdout.write(script(tree));
    });
}

/** Walks the registered commander tree, so completions list exactly the commands and flags that exist. */
export function completionTree(command: Command): CompletionNode {
  return {
    name: command.name(),
    flags: command.options.flatMap((option) => [option.long, option.short].filter((flag): flag is string => !!flag)),
    children: command.commands.map(completionTree),
  };
}

/** `mesh profile dump` → key "profile dump"; root key is "". */
function flatten(node: CompletionNode, prefix = ""): [string, CompletionNode][] {
  const entries: [string, CompletionNode][] = [[prefix, node]];
  for (const child of node.children) entries.push(...flatten(child, prefix ? `${prefix} ${child.name}` : child.name));
  return entries;
}

function bashCompletion(tree: CompletionNode): string {
  const globalFlags = tree.flags.join(" ");
  const cases = flatten(tree)
    .map(([path, node]) => {
      const words = [...node.children.map((child) => child.name), ...(path ? node.flags : [])].join(" ");
      return `    "${path}") words="${words} ${globalFlags}" ;;`;
    })
    .join("\n");
  return `# bash completion for mesh
_mesh() {
  local cur path word i
  cur="\${COMP_WORDS[COMP_CWORD]}"
  path=""
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="\${COMP_WORDS[i]}"
    [[ "$word" == -* ]] && continue
    if [[ -z "$path" ]]; then candidate="$word"; else candidate="$path $word"; fi
    case "$candidate" in
${flatten(tree)
  .filter(([path]) => path)
  .map(([path]) => `      "${path}") path="$candidate" ;;`)
  .join("\n")}
    esac
  done
  local words=""
  case "$path" in
${cases}
  esac
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
  if [[ \${#COMPREPLY[@]} -eq 0 ]]; then COMPREPLY=($(compgen -f -- "$cur")); fi
}
complete -o default -F _mesh mesh
`;
}

function zshCompletion(tree: CompletionNode): string {
  return `#compdef mesh
# zsh completion for mesh (uses bash completion emulation)
autoload -U +X bashcompinit && bashcompinit
${bashCompletion(tree)}`;
}

function fishCompletion(tree: CompletionNode): string {
  const lines = ["# fish completion for mesh", "complete -c mesh -f"];
  for (const flag of tree.flags.filter((flag) => flag.startsWith("--"))) {
    lines.push(`complete -c mesh -l ${flag.slice(2)}`);
  }
  for (const [path, node] of flatten(tree)) {
    const condition = path ? `__fish_seen_subcommand_from ${path.split(" ").at(-1)}` : "__fish_use_subcommand";
    for (const child of node.children) {
      lines.push(`complete -c mesh -n '${condition}' -a ${child.name}`);
    }
    if (path) {
      for (const flag of node.flags.filter((flag) => flag.startsWith("--"))) {
        lines.push(`complete -c mesh -n '__fish_seen_subcommand_from ${path.split(" ").at(-1)}' -l ${flag.slice(2)}`);
      }
    }
  }
  return `${lines.join("\n")}\n`;
}
