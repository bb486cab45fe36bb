import type { Command } from "commander";
import { UsageError } from "../../core/errors.js";
import type { CliContext } from "../context.js";
import { clusterAccess } from "../cluster-access.js";

export function register(program: Command, context: CliContext): void {
  program
    .command("status")
    .description("Show what is installed: components, versions, readiness and the gateways' Service addresses")
    .option("--request-timeout <duration>", "timeout of each API request", "30s")
    .addHelpText(
      "after",
      "\nWith -n NAMESPACE only that install's objects. Output: tables, or -o json. Exit codes: 0 ok, 2 usage error, 3 cluster error.",
    )
    .action(async (flags: { requestTimeout: string }, command: Command) => {
      const globals = context.globals(command);
      const output = globals.output ?? "text";
      if (output !== "text" && output !== "json")
        throw new UsageError(`unknown output format "${output}" for status`, { hint: "use -o json" });
      const access = await clusterAccess(context, command, flags.requestTimeout);
      const kube = await import("../../kube/index.js");
      const cluster = await kube.connectCluster(access);
      let status;
      try {
        status = await kube.readInstallStatus(cluster, globals.namespace ? { namespace: globals.namespace } : {});
      } finally {
        cluster.close();
      }
      const write = (text: string) => context.io.stdout.write(text);
      if (output === "json") {
        const { toJson } = await import("../../core/documents/write.js");
        write(toJson(status));
        return;
      }
      if (status.components.length === 0) {
        write(
          `Istio is not installed in the cluster of context "${cluster.contextName}" (no objects with operator.istio.io/component labels).\n`,
        );
        return;
      }
      const { formatTable } = await import("../lifecycle-text.js");
      const { componentDisplayNames } = await import("../lifecycle-text.js");
      write(
        formatTable(
          ["COMPONENT", "REVISION", "NAMESPACE", "VERSION", "OBJECTS", "WORKLOADS"],
          status.components.map((component) => [
            componentDisplayNames[component.component] ?? component.component,
            component.revision,
            component.namespace,
            component.versions.join(",") || "unknown",
            String(component.objects),
            component.workloads.map((workload) => `${workload.ready ? "✔" : "✘"} ${workload.name} ${workload.detail}`).join("; ") || "-",
          ]),
        ),
      );
      if (status.gateways.length > 0) {
        write("\n");
        write(
          formatTable(
            ["NAME", "NAMESPACE", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)"],
            status.gateways.map((gateway) => [
              gateway.name,
              gateway.namespace,
              gateway.type,
              gateway.clusterIP,
              gateway.externalIP,
              gateway.ports,
            ]),
          ),
        );
      }
      write(status.healthy ? "\n✔ All workloads are ready\n" : "\n✘ Some workloads are not ready (mesh verify-install explains)\n");
    });
}
