import type { Command } from "commander";
import { DEFAULT_GATEWAY_API_VERSION, ISTIO_VERSION } from "../../core/versions.js";
import type { CliContext } from "../context.js";
import { outputFormat } from "../output.js";

export function register(program: Command, context: CliContext): void {
  program
    .command("version")
    .description("Print the mesh, bundled Istio and default Gateway API versions")
    .option("--short", "print only mesh's version")
    .action(async (options: { short?: boolean }, command: Command) => {
      const output = outputFormat(context, command);
      const info = {
        clientVersion: { version: context.version, nodeVersion: process.versions.node },
        istioVersion: ISTIO_VERSION,
        gatewayAPIVersion: DEFAULT_GATEWAY_API_VERSION,
      };
      const write = (text: string) => context.io.stdout.write(text);
      const shown = options.short ? { clientVersion: info.clientVersion } : info;
      if (output === "json") write(`${JSON.stringify(shown, null, 2)}\n`);
      else if (output === "yaml") write((await import("../../core/documents/write.js")).toYaml(shown));
      else if (options.short || output === "short") write(`${context.version}\n`);
      else
        write(
          `mesh version: ${context.version}\n` +
            `Istio version (bundled profiles): ${ISTIO_VERSION}\n` +
            `Gateway API version (default): ${DEFAULT_GATEWAY_API_VERSION}\n`,
        );
    });
}
