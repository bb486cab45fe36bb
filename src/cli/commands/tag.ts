import type { Command } from "commander";
import { requestTimeoutOption } from "../options.js";
import { FindingsError, UsageError } from "../../core/errors.js";
import type { CliContext } from "../context.js";
import { clusterAccess } from "../cluster-access.js";
import { confirm } from "../prompt.js";

interface TagFlags {
  revision?: string;
  overwrite?: boolean;
  manifestsOnly?: boolean;
  skipConfirmation?: boolean;
  webhookName?: string;
  autoInjectNamespaces?: boolean;
  istioNamespace: string;
  requestTimeout: string;
}

const exitCodes = "\nExit codes: 0 ok, 1 cancelled or refused, 2 usage error, 3 cluster error.";

export function register(program: Command, context: CliContext): void {
  const tag = program
    .command("tag")
    .description("Revision tags: stable names (istio.io/rev=<tag>) that point at a control plane revision, like istioctl tag");
  const common = (command: Command) =>
    command
      .option("-i, --istio-namespace <namespace>", "namespace of the Istio control plane", "istio-system")
      .addOption(requestTimeoutOption());
  const setOptions = (command: Command) =>
    common(
      command
        .requiredOption("-r, --revision <revision>", "control plane revision the tag points at")
        .option("--overwrite", "repoint an existing tag (otherwise an existing tag is refused)")
        .option("--webhook-name <name>", "name of the tag's MutatingWebhookConfiguration")
        .option("--auto-inject-namespaces", "inject sidecars into every namespace without an injection label (default tag only)"),
    );

  setOptions(
    tag
      .command("set <tag>")
      .description("Create or repoint a revision tag; `default` also decides who injects istio-injection=enabled and validates")
      .option("--manifests-only", "print the tag's objects instead of applying them (as tag generate)")
      .option("-y, --skip-confirmation", "do not ask for confirmation"),
  )
    .addHelpText("after", exitCodes)
    .action((name: string, flags: TagFlags, command: Command) => runSet(name, flags, command, context, flags.manifestsOnly ?? false));

  setOptions(
    tag
      .command("generate <tag>")
      .description("Print the objects of a revision tag (MutatingWebhookConfiguration; for `default` also the validator)"),
  )
    .addHelpText("after", exitCodes)
    .action((name: string, flags: TagFlags, command: Command) => runSet(name, flags, command, context, true));

  common(tag.command("list").alias("show").description("List revision tags, their revisions and the namespaces that use them"))
    .addHelpText("after", "\nOutput: a table, or -o json / -o yaml." + exitCodes)
    .action((flags: TagFlags, command: Command) => runList(flags, command, context));

  common(
    tag
      .command("remove <tag>")
      .alias("delete")
      .description("Remove a revision tag; refused while namespaces still use it, unless confirmed or --skip-confirmation")
      .option("-y, --skip-confirmation", "remove even when namespaces still use the tag"),
  )
    .addHelpText("after", exitCodes)
    .action((name: string, flags: TagFlags, command: Command) => runRemove(name, flags, command, context));
}

async function connect(flags: TagFlags, command: Command, context: CliContext) {
  const access = await clusterAccess(context, command, flags.requestTimeout);
  const kube = await import("../../kube/index.js");
  return kube.connectCluster(access);
}

function checkTagName(name: string): void {
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name) || name.length > 63)
    throw new UsageError(`invalid revision tag "${name}": must be a DNS label (lower case letters, digits and '-')`, {
      hint: "e.g. prod, canary, 1-30",
    });
}

async function runSet(name: string, flags: TagFlags, command: Command, context: CliContext, printOnly: boolean): Promise<void> {
  checkTagName(name);
  const output = context.globals(command).output ?? "yaml";
  if (printOnly && output !== "yaml" && output !== "json")
    throw new UsageError(`unknown output format "${output}" for tag generate`, { hint: "use -o yaml or -o json" });
  const tags = await import("../../kube/tags.js");
  const cluster = await connect(flags, command, context);
  try {
    const objects = await tags.buildTag(cluster, {
      tag: name,
      revision: flags.revision!,
      istioNamespace: flags.istioNamespace,
      overwrite: flags.overwrite ?? false,
      generate: printOnly,
      autoInjectNamespaces: flags.autoInjectNamespaces ?? false,
      ...(flags.webhookName ? { webhookName: flags.webhookName } : {}),
    });
    if (printOnly) {
      const { manifestYaml, manifestJson } = await import("../../core/render/output.js");
      context.io.stdout.write(output === "json" ? manifestJson(objects) : manifestYaml(objects));
      return;
    }
    await tags.applyTag(cluster, objects, name);
    context.io.stdout.write(
      `Revision tag "${name}" created, referencing control plane revision "${flags.revision}". To enable injection using this\nrevision tag, use 'kubectl label namespace <NAMESPACE> istio.io/rev=${name}'\n`,
    );
  } finally {
    cluster.close();
  }
}

async function runList(flags: TagFlags, command: Command, context: CliContext): Promise<void> {
  const output = context.globals(command).output ?? "text";
  if (!["text", "table", "json", "yaml"].includes(output))
    throw new UsageError(`unknown output format "${output}" for tag list`, { hint: "use -o json or -o yaml" });
  const tags = await import("../../kube/tags.js");
  const cluster = await connect(flags, command, context);
  let list;
  try {
    list = await tags.listTags(cluster);
  } finally {
    cluster.close();
  }
  if (output === "json" || output === "yaml") {
    const { toJson, toYaml } = await import("../../core/documents/write.js");
    context.io.stdout.write(output === "json" ? toJson(list) : toYaml(list));
    return;
  }
  if (list.length === 0) {
    context.io.stdout.write("No Istio revision tag MutatingWebhookConfigurations to list\n");
    return;
  }
  const { formatTable } = await import("../lifecycle-text.js");
  context.io.stdout.write(
    formatTable(
      ["TAG", "REVISION", "NAMESPACES"],
      list.map((entry) => [entry.tag, entry.revision, entry.namespaces.join(",")]),
    ),
  );
}

async function runRemove(name: string, flags: TagFlags, command: Command, context: CliContext): Promise<void> {
  const tags = await import("../../kube/tags.js");
  const cluster = await connect(flags, command, context);
  try {
    if ((await tags.tagWebhooks(cluster, name)).length === 0)
      throw new FindingsError(`cannot remove tag "${name}": cannot find MutatingWebhookConfiguration for tag`, {
        hint: "mesh tag list shows the tags",
      });
    const namespaces = await tags.namespacesUsing(cluster, name);
    if (namespaces.length > 0 && !flags.skipConfirmation) {
      const caution = `Caution, found ${namespaces.length} namespace(s) still injected by tag "${name}": ${namespaces.join(" ")}`;
      if (!context.io.stdin.isTTY)
        throw new FindingsError(caution, {
          hint: `relabel them (kubectl label namespace <NAMESPACE> istio.io/rev=<revision or tag> --overwrite) or pass --skip-confirmation`,
        });
      context.io.stdout.write(`${caution}\n`);
      if (!(await confirm(context, "Proceed with operation?", "remove the tag"))) {
        context.io.stdout.write("Aborting operation.\n");
        context.exitCode = 1;
        return;
      }
    }
    await tags.removeTag(cluster, name, flags.istioNamespace);
    context.io.stdout.write(`Revision tag ${name} removed\n`);
  } finally {
    cluster.close();
  }
}
