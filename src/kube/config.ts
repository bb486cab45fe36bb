/** Finding and loading the user's kubeconfig the way kubectl does: --kubeconfig, $KUBECONFIG, ~/.kube/config, in-cluster. */
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, join } from "node:path";
import type { KubeConfig } from "@kubernetes/client-node";
import { ClusterError } from "../core/errors.js";

export interface ClusterAccessOptions {
  /** `--kubeconfig`; wins over $KUBECONFIG. */
  kubeconfig?: string;
  /** `--context`; defaults to the kubeconfig's current-context. */
  context?: string;
  /** The environment to read KUBECONFIG, HOME and the in-cluster variables from. */
  env?: NodeJS.ProcessEnv;
  /** Per-request timeout in milliseconds (default 30 s). */
  requestTimeoutMs?: number;
}

export interface LoadedKubeConfig {
  config: KubeConfig;
  /** Where the configuration came from, for messages: a path list or "in-cluster service account". */
  source: string;
  contextName: string;
  server: string;
}

const serviceAccountDir = "/var/run/secrets/kubernetes.io/serviceaccount";

function kubeconfigFiles(options: ClusterAccessOptions): { files: string[]; source: string } | undefined {
  const env = options.env ?? process.env;
  if (options.kubeconfig) {
    if (!existsSync(options.kubeconfig)) {
      throw new ClusterError(`kubeconfig ${options.kubeconfig} (from --kubeconfig) does not exist`, { hint: "pass the path of an existing kubeconfig file" });
    }
    return { files: [options.kubeconfig], source: options.kubeconfig };
  }
  if (env.KUBECONFIG) {
    const listed = env.KUBECONFIG.split(delimiter).filter((file) => file !== "");
    const files = listed.filter((file) => existsSync(file));
    if (files.length === 0) {
      throw new ClusterError(`no kubeconfig found: KUBECONFIG names ${listed.join(delimiter)}, which does not exist`, {
        hint: "fix KUBECONFIG or pass --kubeconfig PATH",
      });
    }
    return { files, source: files.join(delimiter) };
  }
  const home = env.HOME ?? env.USERPROFILE ?? homedir();
  const fallback = join(home, ".kube", "config");
  if (existsSync(fallback)) return { files: [fallback], source: fallback };
  return undefined;
}

let clientModule: Promise<typeof import("@kubernetes/client-node")> | undefined;

/** Starts loading @kubernetes/client-node (≈0.4 s of module loading) so that it overlaps with other work. */
export function preloadKubeClient(): Promise<unknown> {
  clientModule ??= import("@kubernetes/client-node");
  return clientModule;
}

/** Loads the kubeconfig and selects the context; throws ClusterError (exit 3) with what to do when it cannot. */
export async function loadKubeConfig(options: ClusterAccessOptions = {}): Promise<LoadedKubeConfig> {
  const { KubeConfig } = (await preloadKubeClient()) as typeof import("@kubernetes/client-node");
  const env = options.env ?? process.env;
  const config = new KubeConfig();
  const found = kubeconfigFiles(options);
  let source: string;
  if (found) {
    for (const [index, file] of found.files.entries()) {
      const part = index === 0 ? config : new KubeConfig();
      try {
        part.loadFromFile(file);
      } catch (error) {
        throw new ClusterError(`kubeconfig ${file} could not be read: ${describeLoadError(error)}`, { hint: "check the file with: kubectl config view --kubeconfig " + file });
      }
      if (part !== config) config.mergeConfig(part, true);
    }
    source = found.source;
  } else if (env.KUBERNETES_SERVICE_HOST && existsSync(join(serviceAccountDir, "token"))) {
    config.loadFromCluster();
    source = "in-cluster service account";
  } else {
    throw new ClusterError("no kubeconfig found: mesh looked at --kubeconfig, $KUBECONFIG and ~/.kube/config, and is not running in a cluster", {
      hint: "point mesh at a cluster with --kubeconfig PATH or KUBECONFIG=PATH (for kind: kind get kubeconfig > kubeconfig)",
    });
  }
  if (options.context) {
    if (!config.getContextObject(options.context)) {
      const available = config.getContexts().map((context) => context.name);
      throw new ClusterError(`context "${options.context}" not found in ${source}`, {
        hint: available.length > 0 ? `available contexts: ${available.join(", ")}` : "the kubeconfig defines no contexts",
      });
    }
    config.setCurrentContext(options.context);
  }
  const contextName = config.getCurrentContext();
  if (!contextName || !config.getContextObject(contextName)) {
    throw new ClusterError(`kubeconfig ${source} has no current context`, { hint: "pass --context NAME or run: kubectl config use-context NAME" });
  }
  const cluster = config.getCurrentCluster();
  if (!cluster) {
    throw new ClusterError(`context "${contextName}" in ${source} names a cluster that the kubeconfig does not define`, { hint: "fix the context's cluster entry (kubectl config view)" });
  }
  return { config, source, contextName, server: cluster.server };
}

/** js-yaml and fs messages, without echoing file content (a kubeconfig holds credentials). */
function describeLoadError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const firstLine = message.split("\n")[0] ?? message;
  return firstLine.length > 160 ? `${firstLine.slice(0, 160)}…` : firstLine;
}
