import { existsSync } from "node:fs";
import type { Command } from "commander";
import { Option } from "commander";
import { UsageError } from "../../core/errors.js";
import { closestWord } from "../../core/suggest.js";
import type { GatewayApiVersion } from "../../core/versions.js";
import type { SourceDocument } from "../../core/documents/index.js";
import type { ReverseClusterState } from "../../core/convert/index.js";
import type { CliContext } from "../context.js";
import { outputFormat } from "../output.js";
import { channelOption, collect, gatewayApiVersionOption } from "../options.js";
import { painter } from "../painter.js";

type Direction = "gateway-api" | "istio";

interface ConvertFlags {
  filename: string[];
  profile: string;
  gatewayClass: string;
  gatewayApiVersion: GatewayApiVersion;
  outputDir?: string;
  clusterDomain: string;
  credentialNamespace?: string;
  channel: "standard" | "experimental";
  experimental?: boolean;
  allNamespaces?: boolean;
  selector: string[];
  to?: string;
  cluster?: boolean;
}

export const conversionDirections: Readonly<Record<string, Direction>> = {
  "gateway-to-httproute": "gateway-api",
  "httproute-to-virtualservice": "istio",
};

/** A bare word that is not a file, such as a mistyped direction; paths, globs and `-` are inputs. */
function looksLikeDirection(argument: string): boolean {
  return /^[a-z][a-z-]*$/i.test(argument) && !existsSync(argument);
}

export function register(program: Command, context: CliContext): void {
  program
    .command("convert")
    .description("Convert Istio Gateway/VirtualService to Gateway API and back (offline)")
    .argument("[direction]", "gateway-to-httproute (Istio → Gateway API) or httproute-to-virtualservice (Gateway API → Istio)")
    .argument("[files...]", "input files or directories (same as -f)")
    .addOption(new Option("--to <api>", "target API instead of a direction: gateway-api or istio").choices(["gateway-api", "istio"]))
    .option("-f, --filename <path>", "file, directory or - (stdin); repeatable", collect, [])
    .option("-A, --all-namespaces", "convert objects of every namespace (the default for file input)")
    .option("--output-dir <dir>", "write one file per object (<namespace>/<kind>-<name>.yaml) instead of stdout")
    .option("--cluster-domain <domain>", "cluster DNS domain of Service hosts", "cluster.local")
    .addOption(
      new Option("--profile <profile>", "full: valid Gateway API that routes like Istio; compat: ingress2gateway v1.1.0 parity")
        .choices(["full", "compat"])
        .default("full"),
    )
    .option("--gateway-class <name>", "spec.gatewayClassName of generated Gateways", "istio")
    .addOption(gatewayApiVersionOption("target Gateway API version"))
    .option(
      "--credential-namespace <ns>",
      "namespace where Istio's gateway workload reads TLS secrets (namespaced certificateRefs + ReferenceGrants)",
    )
    .option(
      "--cluster",
      "read missing objects from the cluster (--kubeconfig/--context): Services and DestinationRules (gateway-to-httproute, ports and subsets); Namespaces and which Secrets exist (httproute-to-virtualservice, label selectors and certificates)",
    )
    .addOption(channelOption("target channel; experimental (full profile) also uses rule retry and sessionPersistence"))
    .addOption(new Option("--experimental", "the same as --channel experimental").hideHelp())
    .option(
      "--selector <key=value>",
      "reverse direction: spec.selector of the Istio Gateways (repeatable; default istio=ingressgateway)",
      collect,
      [],
    )
    .addHelpText(
      "after",
      "\nExamples:\n  mesh convert gateway-to-httproute -f istio.yaml            Istio → Gateway API\n  mesh convert httproute-to-virtualservice -f gateway-api.yaml Gateway API → Istio\n  mesh convert --to istio -f gateway-api.yaml                 the same\n" +
        "\nExit codes: 0 converted, and the API server accepts the output (warnings allowed), 1 error findings (the input or the output would be rejected, or routing would change; the output is still written), 2 usage or input error, 3 --cluster could not read the cluster.",
    )
    .action((direction: string | undefined, files: string[], flags: ConvertFlags, command: Command) => {
      const named = direction === undefined ? undefined : conversionDirections[direction];
      if (direction !== undefined && !named && looksLikeDirection(direction)) {
        const suggestion = closestWord(direction, Object.keys(conversionDirections));
        throw new UsageError(`unknown conversion direction "${direction}"${suggestion ? ` (did you mean "${suggestion}"?)` : ""}`, {
          hint: `use ${Object.keys(conversionDirections).join(" or ")}, or --to gateway-api|istio followed by files`,
        });
      }
      const inputs = named || direction === undefined ? files : [direction, ...files];
      const target = named ?? (flags.to === "istio" ? "istio" : "gateway-api");
      if (named && flags.to && flags.to !== named) throw new UsageError(`--to ${flags.to} contradicts ${direction}`);
      return runConvert(target, inputs, flags, command, context);
    });
}

async function runConvert(
  direction: Direction,
  files: string[],
  flags: ConvertFlags,
  command: Command,
  context: CliContext,
): Promise<void> {
  const globals = context.globals(command);
  const format = outputFormat(context, command) as "yaml" | "json";
  const inputs = [...flags.filename, ...files];
  if (inputs.length === 0) throw new UsageError("no input given", { hint: "pass files with -f FILE (or -f - for stdin)" });
  if (flags.allNamespaces && globals.namespace) throw new UsageError("-n and -A cannot be used together");

  const [{ loadDocuments, readStream }, convert, { findingLine }, { hasErrors, sortFindings }] = await Promise.all([
    import("../../core/documents/index.js"),
    import("../../core/convert/index.js"),
    import("../printers/text.js"),
    import("../../core/findings.js"),
  ]);
  const options = convert.defaultConvertOptions({
    profile: flags.profile === "compat" ? "compat" : "full",
    gatewayClass: flags.gatewayClass ?? "istio",
    gatewayApiVersion: flags.gatewayApiVersion,
    namespace: globals.namespace,
    clusterDomain: flags.clusterDomain,
    credentialNamespace: flags.credentialNamespace,
    experimental: flags.channel === "experimental" || Boolean(flags.experimental),
    generator: `mesh-${context.version}`,
    ...(flags.selector?.length ? { selector: parseSelector(flags.selector) } : {}),
  });
  const loaded = await loadDocuments(inputs, { readStdin: () => readStream(context.io.stdin) });
  const chalk = await painter(context.stderrColor(command));
  const unreadable = loaded.findings.filter((finding) => finding.severity === "error");
  if (unreadable.length > 0) {
    for (const finding of unreadable) context.io.stderr.write(`${findingLine({ ...finding, code: `CONV002/${finding.code}` }, chalk)}\n`);
    throw new UsageError(`cannot read the input (${unreadable.length} problem${unreadable.length === 1 ? "" : "s"}); nothing converted`);
  }
  const result =
    direction === "istio"
      ? convert.convertGatewayApiToIstio(
          loaded.documents,
          options,
          flags.cluster ? await readReverseClusterState(context, command) : undefined,
        )
      : convert.convertIstioToGatewayApi(loaded.documents, options, flags.cluster ? await readClusterContext(context, command) : []);
  // Reading problems that did not stop the run (e.g. warnings of the documents layer) are reported too.
  const findings = [...loaded.findings, ...result.findings];

  if (flags.outputDir) {
    const { mkdir, writeFile } = await import("node:fs/promises");
    const path = await import("node:path");
    for (const file of convert.outputFiles(result.objects, format)) {
      const target = path.join(flags.outputDir, file.path);
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, file.text);
    }
  } else {
    context.io.stdout.write(convert.renderConverted(result.objects, findings, format));
  }
  if (format === "yaml" || flags.outputDir) {
    const shown = findings.filter(
      (finding) => finding.severity === "error" || (!globals.quiet && (finding.severity === "warning" || globals.verbose)),
    );
    for (const finding of sortFindings(shown)) context.io.stderr.write(`${findingLine(finding, chalk)}\n`);
    if (!globals.quiet) context.io.stderr.write(`${summaryLine(result.objects.length, findings, globals.verbose, flags.outputDir)}\n`);
  }
  if (hasErrors(findings)) context.exitCode = 1;
}

/** `--cluster`: the live Services and DestinationRules, as documents the converter reads for ports and subsets. */
async function readClusterContext(context: CliContext, command: Command): Promise<SourceDocument[]> {
  const [{ clusterAccess }, kube, { parseManifestText, toYamlStream }] = await Promise.all([
    import("../cluster-access.js"),
    import("../../kube/index.js"),
    import("../../core/documents/index.js"),
  ]);
  const cluster = await kube.connectCluster(await clusterAccess(context, command, "30s"));
  try {
    const [services, rules] = await Promise.all([
      cluster.list("v1", "Service"),
      cluster.listIfServed("networking.istio.io/v1", "DestinationRule"),
    ]);
    const objects = [...services, ...rules];
    return objects.length === 0 ? [] : parseManifestText(toYamlStream(objects), `cluster ${cluster.contextName}`).documents;
  } finally {
    cluster.close();
  }
}

/**
 * `--cluster` for httproute-to-virtualservice: Namespaces (label-selected allowedRoutes) and the names of the
 * Secrets that exist (listener certificates). Secret contents are dropped at once; a context that may not
 * list Secrets leaves them unknown, with a warning.
 */
async function readReverseClusterState(context: CliContext, command: Command): Promise<ReverseClusterState> {
  const [{ clusterAccess }, kube] = await Promise.all([import("../cluster-access.js"), import("../../kube/index.js")]);
  const cluster = await kube.connectCluster(await clusterAccess(context, command, "30s"));
  try {
    const namespaces = await cluster.list("v1", "Namespace");
    try {
      const secrets = (await cluster.list("v1", "Secret")).map((secret) => ({
        namespace: secret.metadata?.namespace ?? "",
        name: secret.metadata?.name ?? "",
      }));
      return { namespaces, secrets };
    } catch (error) {
      context.io.stderr.write(
        `warning: cannot list Secrets (${error instanceof Error ? error.message : String(error)}): listener certificates are not checked\n`,
      );
      return { namespaces };
    }
  } finally {
    cluster.close();
  }
}

function summaryLine(objects: number, findings: readonly { severity: string }[], verbose: boolean, outputDir: string | undefined): string {
  const count = (severity: string) => findings.filter((finding) => finding.severity === severity).length;
  const infos = count("info");
  const where = outputDir ? ` into ${outputDir}` : "";
  return `Converted ${objects} object${objects === 1 ? "" : "s"}${where}: ${count("error")} errors, ${count("warning")} warnings, ${infos} notes${infos > 0 && !verbose ? " (-v shows notes)" : ""}`;
}

function parseSelector(pairs: readonly string[]): Record<string, string> {
  const selector: Record<string, string> = {};
  for (const pair of pairs) {
    const equals = pair.indexOf("=");
    if (equals <= 0) throw new UsageError(`--selector "${pair}" is not key=value`);
    selector[pair.slice(0, equals)] = pair.slice(equals + 1);
  }
  return selector;
}
