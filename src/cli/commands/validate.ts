import { Option, type Command } from "commander";
import { InputError, UsageError } from "../../core/errors.js";
import { DEFAULT_KUBERNETES_VERSION, KUBERNETES_VERSIONS, nearestKubernetesVersion, type GatewayApiVersion } from "../../core/versions.js";
import type { CliContext } from "../context.js";
import { channelOption, collect, gatewayApiVersionOption } from "../options.js";

interface ValidateFlags {
  channel: string;
  gatewayApiVersion: GatewayApiVersion;
  kubernetesVersion: string;
  strict?: boolean;
  ignoreMissingSchemas?: boolean;
  crds: string[];
  skip: string[];
  failOn: string;
  summary?: boolean;
  analyzeRefs?: boolean;
  validate: string;
  analyze: string;
  filename: string[];
  exclude: string[];
  ignoreFilenamePattern: string[];
}

const collectList = (value: string, previous: string[]) => [
  ...previous,
  ...value
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean),
];

/** MESH_VALIDATE_THREADS: how many threads check documents (1: this one only); unset: decided by the input's size. */
function threadsFromEnvironment(value: string | undefined): number | undefined {
  if (value === undefined || value === "") return undefined;
  if (!/^[1-9][0-9]?$/.test(value)) throw new UsageError(`MESH_VALIDATE_THREADS=${value}: give a whole number from 1 to 99`);
  return Number(value);
}

export function register(program: Command, context: CliContext): void {
  program
    .command("validate")
    .description("Validate Kubernetes, Istio and Gateway API resources offline, as the API server with the CRDs and Istio's webhook would")
    .argument("[inputs...]", "files, directories, globs, or - for stdin (default: stdin when it is not a terminal)")
    .addOption(channelOption("Gateway API channel of the cluster"))
    .addOption(gatewayApiVersionOption("Gateway API bundle version of the cluster"))
    .option("-f, --filename <path>", "file, directory, glob or - (stdin) to validate, as kubectl -f (repeatable)", collect, [])
    .option(
      "--exclude <glob>",
      "leave out files and directories matching this glob, e.g. 'charts/**' or '*.tmpl.yaml' (repeatable; node_modules and dot-directories are always skipped)",
      collect,
      [],
    )
    .option(
      "--ignore-filename-pattern <regex>",
      "leave out files whose path matches this regular expression, as kubeconform does (repeatable)",
      collect,
      [],
    )
    .option(
      "--kubernetes-version <version>",
      `Kubernetes version of the cluster for built-in kinds (${KUBERNETES_VERSIONS[0]}–${KUBERNETES_VERSIONS.at(-1)}; others use the nearest)`,
      DEFAULT_KUBERNETES_VERSION,
    )
    .option("--strict", "fail on kinds without a schema (custom resources without --crds) instead of skipping them")
    .option("--ignore-missing-schemas", "do not list kinds skipped for lack of a schema (they are still counted)")
    .option(
      "--crds <path|url>",
      "CustomResourceDefinition files, directories or https URLs to validate custom resources with (repeatable)",
      collect,
      [],
    )
    .option("--skip <kinds>", "kinds not to validate, comma-separated (Kind or group/Kind; repeatable)", collectList, [])
    .addOption(
      new Option("--fail-on <severity>", "severity that makes the run fail (exit 1)").choices(["error", "warning"]).default("error"),
    )
    .addOption(
      new Option("--analyze <bool>", "run the analysers (istioctl analyze's checks, as warnings); --analyze=false skips them")
        .choices(["true", "false"])
        .default("true"),
    )
    .option("--analyze-refs", "also warn about backendRefs to Services absent from the inputs")
    .addOption(
      new Option("--validate <mode>", "field validation as kubectl --validate: Strict rejects unknown fields")
        .choices(["Strict", "Warn", "Ignore"])
        .default("Strict"),
    )
    .option("--summary", "text output: print only the summary line, not each finding")
    .addHelpText(
      "after",
      "\nOutput (-o): text (default), json, junit, sarif, github.\nExit codes: 0 all accepted, 1 a document would be rejected (or a warning with --fail-on warning), 2 usage or input error.",
    )
    .action(async (inputs: string[], flags: ValidateFlags, command: Command) => {
      const globals = context.globals(command);
      const kubernetes = nearestKubernetesVersion(flags.kubernetesVersion);
      if (!kubernetes) {
        throw new UsageError(`invalid --kubernetes-version "${flags.kubernetesVersion}"`, {
          hint: `give a version such as ${DEFAULT_KUBERNETES_VERSION} (built-in: ${KUBERNETES_VERSIONS.join(", ")})`,
        });
      }
      if (kubernetes.note && !globals.quiet) context.io.stderr.write(`note: ${kubernetes.note}\n`);
      const { parseReportFormat, renderReport } = await import("../printers/index.js");
      const format = parseReportFormat(globals.output);
      const io = context.io;
      const { readStream, inputArgsOrStdin } = await import("../../core/documents/index.js");
      const { readArguments } = await import("../../core/documents/load.js");
      const args = inputArgsOrStdin([...inputs, ...flags.filename], () => io.stdin.isTTY, "manifests to validate");
      const ignoreFilenamePatterns = flags.ignoreFilenamePattern.map((pattern) => {
        try {
          return new RegExp(pattern);
        } catch (error) {
          throw new UsageError(`--ignore-filename-pattern ${pattern}: ${error instanceof Error ? error.message : String(error)}`);
        }
      });
      const requestedThreads = threadsFromEnvironment(context.io.env.MESH_VALIDATE_THREADS);
      const readStdin = () => readStream(io.stdin);
      const { loadCrdObjects } = await import("../../core/validate/crd/inputs.js");
      const crds = flags.crds.length > 0 ? await loadCrdObjects(flags.crds, readStdin) : [];
      const [{ analyzeChecked, defaultValidateOptions, reportFails }, { checkReadArguments, threadCount }] = await Promise.all([
        import("../../core/validate/index.js"),
        import("../../core/validate/workers/pool.js"),
      ]);
      const options = {
        ...defaultValidateOptions,
        gatewayApiVersion: flags.gatewayApiVersion,
        channel: flags.channel as "standard" | "experimental",
        kubernetesVersion: kubernetes.version,
        strict: Boolean(flags.strict),
        ignoreMissingSchemas: Boolean(flags.ignoreMissingSchemas),
        crds,
        skipKinds: flags.skip,
        failOn: flags.failOn as "error" | "warning",
        analyzeRefs: Boolean(flags.analyzeRefs),
        defaultNamespace: globals.namespace ?? "default",
        fieldValidation: flags.validate as "Strict" | "Warn" | "Ignore",
        analyze: flags.analyze === "true",
      };
      // The texts, parsed objects and analysis inputs live only inside this call: by the time the report is printed,
      // only the report is left (a 100k-document run would otherwise hold both at its peak).
      const validateInputs = async () => {
        const read = await readArguments(args, { readStdin, exclude: flags.exclude, ignoreFilenamePatterns });
        const checked = await checkReadArguments(read, options, threadCount(read, requestedThreads));
        if (checked.emptyArguments.length > 0) {
          const names = checked.emptyArguments.map((arg) => (arg === "-" ? "standard input" : arg));
          throw new InputError(`nothing to validate: ${names.join(", ")} ${names.length === 1 ? "holds" : "hold"} no manifests`, {
            hint: "pass YAML or JSON files with Kubernetes objects (directories are searched for *.yaml, *.yml and *.json, skipping node_modules and dot-directories)",
          });
        }
        // The summary line counts findings: they need no place in the files.
        const placement = format === "text" && flags.summary ? "unplaced" : "placed";
        const validated = analyzeChecked(checked.documents, checked.documentAt, options, placement);
        return { files: checked.files, resources: validated.resources, findings: [...checked.findings, ...validated.findings] };
      };
      const report = await validateInputs();
      const text = await renderReport(format, report, {
        color: context.stdoutColor(command),
        toolVersion: context.version,
        quiet: globals.quiet,
        listSkipped: !flags.ignoreMissingSchemas,
        summaryOnly: Boolean(flags.summary),
      });
      io.stdout.write(text);
      if (reportFails(report, options.failOn)) context.exitCode = 1;
    });
}
