import type { Command } from "commander";
import type { CliContext } from "../context.js";
import { requestTimeoutOption, timeoutOption } from "../options.js";
import { outputFormat } from "../output.js";
import { clusterAccess, withinTimeout } from "../cluster-access.js";

export function register(program: Command, context: CliContext): void {
  program
    .command("status")
    .description("Show what is installed: components, versions, readiness and the gateways' Service addresses")
    .addOption(requestTimeoutOption())
    .addOption(timeoutOption())
    .addHelpText(
      "after",
      "\nWith -n NAMESPACE only that install's objects. Output: tables, or -o json. Exit codes: 0 ok, 2 usage error, 3 cluster error.",
    )
    .action((flags: { requestTimeout: string; timeout?: string }, command: Command) =>
      withinTimeout(flags.timeout, async () => {
        const globals = context.globals(command);
        const output = outputFormat(context, command);
        const access = await clusterAccess(context, command, flags.requestTimeout);
        const kube = await import("../../kube/index.js");
        const cluster = await kube.connectCluster(access);
        let status;
        let elsewhere: string[] = [];
        try {
          status = await kube.readInstallStatus(cluster, globals.namespace ? { namespace: globals.namespace } : {});
          // Nothing in -n's namespace: say where Istio is, instead of that it is not installed.
          if (globals.namespace && status.components.length === 0)
            elsewhere = [...new Set((await kube.readInstallStatus(cluster, {})).components.map((component) => component.namespace))].sort();
        } finally {
          cluster.close();
        }
        const write = (text: string) => context.io.stdout.write(text);
        if (output !== "text") {
          const { toJson, toYaml } = await import("../../core/documents/write.js");
          write(output === "json" ? toJson(status) : toYaml(status));
          return;
        }
        if (status.components.length === 0 && elsewhere.length > 0) {
          write(
            `Istio is not installed in namespace ${globals.namespace}; it is installed in ${elsewhere.join(", ")} (mesh status -n ${elsewhere[0]}).\n`,
          );
          return;
        }
        if (status.components.length === 0) {
          write(
            `Istio is not installed in the cluster of context "${cluster.contextName}" (no objects with operator.istio.io/component labels).\n`,
          );
          return;
        }
        const { formatTable } = await import("../../kube/report.js");
        const { componentDisplayNames } = await import("../../kube/report.js");
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
      }),
    );
}
