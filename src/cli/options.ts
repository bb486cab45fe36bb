import { InvalidArgumentError, Option } from "commander";
import { parseDurationFlag } from "../core/durations.js";
import { SCHEMA_GATEWAY_API_VERSIONS, DEFAULT_GATEWAY_API_VERSION, type GatewayApiVersion } from "../core/versions.js";

/** Option parsers and flags shared by the commands, declared once so that they read and behave the same everywhere. */

/** commander collector for repeatable flags: `-f a -f b` → ["a", "b"]. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** `1.5.1` and `v1.5.1` name the same release; upstream tags carry the `v`. */
export function withVersionPrefix(value: string): string {
  const trimmed = value.trim();
  return /^\d/.test(trimmed) ? `v${trimmed}` : trimmed;
}

/** `--channel standard|experimental`: the Gateway API release channel. */
export function channelOption(description: string): Option {
  return new Option("--channel <channel>", description).choices(["standard", "experimental"]).default("standard");
}

/** `--gateway-api-version`: a Gateway API release mesh has schemas for, with or without the `v`. */
export function gatewayApiVersionOption(description: string): Option {
  return new Option("--gateway-api-version <version>", `${description}: ${SCHEMA_GATEWAY_API_VERSIONS.join(" or ")}`)
    .default(DEFAULT_GATEWAY_API_VERSION)
    .argParser((value): GatewayApiVersion => {
      const version = withVersionPrefix(value);
      const known = SCHEMA_GATEWAY_API_VERSIONS.find((candidate) => candidate === version);
      if (!known) throw new InvalidArgumentError(`use one of ${SCHEMA_GATEWAY_API_VERSIONS.join(", ")}`);
      return known;
    });
}

/**
 * A duration flag's text, checked when the flag is read: a malformed value is a usage error even when the command
 * never reaches the cluster work it limits (kubectl refuses `--timeout banana` up front too).
 */
function durationText(flag: string): (value: string) => string {
  return (value) => {
    try {
      parseDurationFlag(value, flag);
    } catch {
      throw new InvalidArgumentError("use a duration such as 30s, 5m or 1m30s");
    }
    return value;
  };
}

/** `--timeout`: how long the whole command may take talking to the cluster. */
export function timeoutOption(defaultValue?: string): Option {
  const option = new Option(
    "--timeout <duration>",
    "limit for the whole command's work with the cluster, e.g. 5m (default: none)",
  ).argParser(durationText("--timeout"));
  return defaultValue === undefined ? option : option.default(defaultValue);
}

/** `--request-timeout`: the limit of each API request. */
export function requestTimeoutOption(): Option {
  return new Option("--request-timeout <duration>", "timeout of each API request")
    .argParser(durationText("--request-timeout"))
    .default("30s");
}

/** `-d/--manifests` and `--manifests-sha256` (install, upgrade, manifest generate): where Istio's own CRDs come from. */
export function manifestsOptions(): Option[] {
  return [
    new Option(
      "-d, --manifests <dir|url>",
      "take the Istio CRDs, with their field docs, from an Istio 1.30 release: its manifests directory (e.g. istio-1.30.3/manifests), its .tar.gz archive or an https URL of it",
    ),
    new Option("--manifests-sha256 <hex>", "SHA-256 of the --manifests archive (default: the .sha256 file published beside it)"),
  ];
}

/** Whether --manifests (or its digest) was given: the release reader and the YAML parser load only then. */
export function wantsRelease(flags: { manifests?: string; manifestsSha256?: string }): boolean {
  return flags.manifests !== undefined || flags.manifestsSha256 !== undefined;
}
