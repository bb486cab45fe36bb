import { Option, type Command } from "commander";
import type { GatewayApiVersion } from "../../core/versions.js";
import type { CheckedResource, Finding } from "../../core/findings.js";
import type { CliContext } from "../context.js";
import { channelOption, collect, gatewayApiVersionOption, requestTimeoutOption, timeoutOption } from "../options.js";
import { withinTimeout } from "../cluster-access.js";

interface AnalyzeFlags {
  channel: string;
  gatewayApiVersion: GatewayApiVersion;
  crds: string[];
  failOn: string;
  summary?: boolean;
  allNamespaces?: boolean;
  meshconfig?: string;
  revision?: string;
  cluster?: boolean;
  requestTimeout: string;
  timeout?: string;
  analyzer: string[];
  suppress: string[];
}

/** Finding origins that are admission (schema, CEL, metadata, webhook): istioctl reports those as IST0106/IST0133. */
const admissionOrigins = new Set(["schema", "cel", "metadata", "webhook"]);

export function register(program: Command, context: CliContext): void {
  program
    .command("analyze")
    .description("Analyse Istio and Gateway API resources together as istioctl analyze does (IST codes), offline, with file:line:col")
    .argument("[inputs...]", "files, directories, globs, or - for stdin (default: stdin when it is not a terminal)")
    .option("-A, --all-namespaces", "report on objects of every namespace (the default unless -n is given)")
    .option(
      "--meshconfig <file>",
      "MeshConfig file (or the istio ConfigMap) to analyse with; default: the istio ConfigMap among the inputs",
    )
    .option("--revision <revision>", "Istio revision: its istio-<revision> ConfigMap among the inputs holds the mesh config")
    .option(
      "--cluster",
      "also analyse the live objects analysers read (Services, Pods, Istio resources…) from the cluster of --kubeconfig/--context",
    )
    .addOption(requestTimeoutOption())
    .addOption(timeoutOption())
    .addOption(channelOption("Gateway API channel of the cluster"))
    .addOption(gatewayApiVersionOption("Gateway API bundle version of the cluster"))
    .option("--crds <path|url>", "CustomResourceDefinition files, directories or https URLs for custom resources (repeatable)", collect, [])
    .addOption(
      new Option("--fail-on <severity>", "severity that makes the run fail (exit 1)").choices(["error", "warning"]).default("error"),
    )
    .option("--summary", "text output: print only the summary line, not each finding")
    .option("--analyzer <name>", "run only this analyser, e.g. virtualservice.GatewayAnalyzer (repeatable)", collect, [])
    .option(
      "-S, --suppress <code=resource>",
      'do not report a message code on a resource, as istioctl: "IST0102=Namespace frod", "IST0101=VirtualService *.shop" (* matches any text; repeatable)',
      collect,
      [],
    )
    .addHelpText(
      "after",
      "\nOutput (-o): text (default), json, junit, sarif, github.\nExit codes: 0 nothing at or above --fail-on, 1 findings at or above it, 2 usage or input error, 3 cluster error.",
    )
    .action(async (inputs: string[], flags: AnalyzeFlags, command: Command) => {
      const globals = context.globals(command);
      const { analyzerNames, parseSuppressions, isSuppressed, messageTypes } = await import("../../core/validate/analyze/index.js");
      for (const name of flags.analyzer) {
        if (!analyzerNames.includes(name)) {
          const { UsageError } = await import("../../core/errors.js");
          const { closestWord } = await import("../../core/suggest.js");
          const near = closestWord(name, analyzerNames);
          throw new UsageError(`unknown analyzer "${name}"`, {
            hint: near ? `did you mean ${near}?` : `analysers: ${analyzerNames.join(", ")}`,
          });
        }
      }
      const suppressions = parseSuppressions(flags.suppress);
      const knownCodes = new Set(messageTypes.map((type) => type.code));
      for (const suppression of suppressions)
        if (!knownCodes.has(suppression.code))
          context.io.stderr.write(
            `warning: supplied message code '${suppression.code}' is an unknown message code and will not have any effect\n`,
          );
      const { parseReportFormat, renderReport } = await import("../printers/index.js");
      const format = parseReportFormat(globals.output);
      const io = context.io;
      const { loadDocuments, readStream, inputArgsOrStdin } = await import("../../core/documents/index.js");
      const args = inputArgsOrStdin(inputs, () => io.stdin.isTTY, "manifests to analyze");
      const readStdin = () => readStream(io.stdin);
      const { loadCrdObjects } = await import("../../core/validate/crd/inputs.js");
      const crds = flags.crds.length > 0 ? await loadCrdObjects(flags.crds, readStdin) : [];
      const loaded = await loadDocuments(args, { readStdin });
      const meshConfig = flags.meshconfig ? await readMeshConfig(flags.meshconfig, readStdin) : undefined;
      const live = flags.cluster
        ? await withinTimeout(flags.timeout, () => readClusterObjects(context, command, flags.requestTimeout))
        : undefined;
      const { validateDocuments, reportFails } = await import("../../core/validate/index.js");
      const options = {
        gatewayApiVersion: flags.gatewayApiVersion,
        channel: flags.channel as "standard" | "experimental",
        strict: false,
        ignoreMissingSchemas: true,
        crds,
        skipKinds: [],
        failOn: flags.failOn as "error" | "warning",
        analyzeRefs: false,
        defaultNamespace: globals.namespace ?? "default",
        fieldValidation: "Strict" as const,
        analyze: true,
        analysisMode: "analyze" as const,
        meshConfig,
        revision: flags.revision,
        clusterObjects: live?.objects,
        clusterKinds: live?.kinds,
        ...(flags.analyzer.length > 0 ? { analyzers: flags.analyzer } : {}),
      };
      const validated = validateDocuments(loaded.documents, options);
      const onlyNamespace = flags.allNamespaces ? undefined : globals.namespace;
      const inScope = (resource: CheckedResource["resource"] | undefined) =>
        onlyNamespace === undefined || resource?.namespace === undefined || resource.namespace === onlyNamespace;
      const resources = validated.resources
        .filter((resource) => inScope(resource.resource))
        .map((resource) => ({
          ...resource,
          findings: resource.findings.map(asIstioMessage).filter((finding) => !isSuppressed(finding, suppressions)),
        }));
      const report = {
        files: loaded.files,
        resources,
        findings: [
          ...loaded.findings,
          ...validated.findings.filter((finding) => inScope(finding.resource) && !isSuppressed(finding, suppressions)),
        ],
      };
      const text = await renderReport(format, report, {
        color: context.stdoutColor(command),
        toolVersion: context.version,
        summary: !globals.quiet,
        summaryOnly: Boolean(flags.summary),
      });
      io.stdout.write(text);
      if (reportFails(report, options.failOn)) context.exitCode = 1;
    });
}

/** Admission errors become IST0106 (SchemaValidationError), webhook warnings IST0133 (SchemaWarning), as istioctl words them. */
function asIstioMessage(finding: Finding): Finding {
  if (!admissionOrigins.has(finding.origin)) return finding;
  if (finding.severity === "error")
    return { ...finding, code: "IST0106", message: `Schema validation error: ${finding.message} [${finding.code}]` };
  if (finding.severity === "warning" && finding.origin === "webhook")
    return { ...finding, code: "IST0133", message: `Schema validation warning: ${finding.message} [${finding.code}]` };
  return finding;
}

async function readMeshConfig(path: string, readStdin: () => Promise<Buffer>): Promise<unknown> {
  const { readInputText, parseManifestText } = await import("../../core/documents/index.js");
  const { InputError } = await import("../../core/errors.js");
  const input = await readInputText(path, readStdin);
  if (!("text" in input)) throw new InputError(`--meshconfig ${input.message}`);
  const parsed = parseManifestText(input.text, path);
  const object = parsed.documents[0]?.object;
  const problems = parsed.findings.filter((finding) => finding.severity === "error").map((finding) => finding.message);
  if (problems.length > 0 || typeof object !== "object" || object === null)
    throw new InputError(`--meshconfig ${path}: not a MeshConfig or ConfigMap (${problems.join("; ") || "no object"})`);
  const { meshConfigOfDocument } = await import("../../core/validate/analyze/index.js");
  return meshConfigOfDocument(object);
}

/** The kinds analysers read, listed from the cluster (Secrets excepted: mesh does not read credentials). */
async function readClusterObjects(
  context: CliContext,
  command: Command,
  requestTimeout: string,
): Promise<{ objects: unknown[]; kinds: string[] }> {
  const { clusterAccess } = await import("../cluster-access.js");
  const kube = await import("../../kube/index.js");
  const { clusterAnalysisKinds } = await import("../../core/validate/analyze/index.js");
  const cluster = await kube.connectCluster(await clusterAccess(context, command, requestTimeout));
  const objects: unknown[] = [];
  const kinds: string[] = [];
  for (const { apiVersion, kind, key } of clusterAnalysisKinds()) {
    objects.push(...(await cluster.listIfServed(apiVersion, kind)));
    kinds.push(key);
  }
  return { objects, kinds };
}
