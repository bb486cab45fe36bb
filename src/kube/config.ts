/** Finding and loading the user's kubeconfig the way kubectl does: --kubeconfig, $KUBECONFIG, ~/.kube/config, in-cluster. */
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, dirname, isAbsolute, join } from "node:path";
import type { KubeConfig } from "@kubernetes/client-node";
import { ClusterError } from "../core/errors.js";
import { YamlError } from "../core/documents/go-yaml/errors.js";
import { readFirstDocument } from "../core/documents/parse.js";
import { isJsonObject, objectOf, stringOf, type JsonObject } from "../core/json.js";
import type { RetryEvent } from "./retry.js";
import { importModule } from "./import-module.js";

export interface ClusterAccessOptions {
  /** `--kubeconfig`; wins over $KUBECONFIG. */
  kubeconfig?: string;
  /** `--context`; defaults to the kubeconfig's current-context. */
  context?: string;
  /** The environment to read KUBECONFIG, HOME and the in-cluster variables from. */
  env?: NodeJS.ProcessEnv;
  /** Per-request timeout in milliseconds (default 30 s); retries of a request stay within it. */
  requestTimeoutMs?: number;
  /** Told about every retried request (`-v` prints them). */
  onRetry?: (event: RetryEvent) => void;
}

/** TLS material and bearer token for kubeconfigs with plain credentials. */
export interface Connection {
  ca?: Buffer | undefined;
  cert?: Buffer | undefined;
  key?: Buffer | undefined;
  token?: string | undefined;
  rejectUnauthorized: boolean;
  servername?: string | undefined;
}

export interface LoadedKubeConfig {
  /** Plain credentials, handled without @kubernetes/client-node (most kubeconfigs: kind, tokens, certificates). */
  connection?: Connection;
  /** Exec/auth-provider plugins or proxies: client-node's KubeConfig applies them. */
  config?: KubeConfig;
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
      throw new ClusterError(`kubeconfig ${options.kubeconfig} (from --kubeconfig) does not exist`, {
        hint: "pass the path of an existing kubeconfig file",
      });
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

/** @kubernetes/client-node costs ≈0.4 s of module loading: only kubeconfigs with plugins or proxies load it. */
function preloadKubeClient(): Promise<unknown> {
  clientModule ??= importModule("@kubernetes/client-node") as Promise<typeof import("@kubernetes/client-node")>;
  return clientModule;
}

/** A cluster, user or context entry of a kubeconfig, with the directory of its file (relative paths resolve there). */
interface Entry {
  fields: JsonObject;
  base: string;
}

interface KubeconfigData {
  clusters: Map<string, Entry>;
  users: Map<string, Entry>;
  contexts: Map<string, Entry>;
  currentContext: string | undefined;
}

/** kubectl's merge of several files: the first file that defines a name (or current-context) wins. */
function readKubeconfigs(files: string[]): KubeconfigData {
  const data: KubeconfigData = { clusters: new Map(), users: new Map(), contexts: new Map(), currentContext: undefined };
  for (const file of files) {
    let parsed: JsonObject;
    try {
      // As kubectl reads it (sigs.k8s.io/yaml over go-yaml v2): YAML 1.1 (`yes` is true), the first document only.
      const document: unknown = readFirstDocument(readFileSync(file, "utf8"))?.value ?? {};
      if (!isJsonObject(document)) throw new Error("not a kubeconfig mapping");
      parsed = document;
    } catch (error) {
      throw new ClusterError(`kubeconfig ${file} could not be read: ${describeLoadError(error)}`, {
        hint: "check the file with: kubectl config view --kubeconfig " + file,
      });
    }
    const base = dirname(file);
    for (const [key, target] of [
      ["clusters", data.clusters],
      ["users", data.users],
      ["contexts", data.contexts],
    ] as const) {
      for (const item of Array.isArray(parsed[key]) ? (parsed[key] as unknown[]) : []) {
        const named = objectOf(item);
        const name = stringOf(named?.name);
        if (!named || name === undefined || target.has(name)) continue;
        target.set(name, { fields: objectOf(named.cluster ?? named.user ?? named.context) ?? {}, base });
      }
    }
    const currentContext = stringOf(parsed["current-context"]);
    if (data.currentContext === undefined && currentContext) data.currentContext = currentContext;
  }
  return data;
}

/** Credentials mesh handles itself; anything else (exec and auth-provider plugins, proxies) goes to client-node. */
const plainUserFields = new Set(["token", "tokenFile", "client-certificate", "client-certificate-data", "client-key", "client-key-data"]);
const plainClusterFields = new Set([
  "server",
  "certificate-authority",
  "certificate-authority-data",
  "insecure-skip-tls-verify",
  "tls-server-name",
  "extensions",
]);

function fileOrData(entry: Entry, fileKey: string, dataKey: string): Buffer | undefined {
  const data = stringOf(entry.fields[dataKey]);
  if (data !== undefined) return Buffer.from(data, "base64");
  const file = stringOf(entry.fields[fileKey]);
  if (file !== undefined) {
    const path = isAbsolute(file) ? file : join(entry.base, file);
    try {
      return readFileSync(path);
    } catch {
      throw new ClusterError(`kubeconfig refers to ${fileKey} ${path}, which cannot be read`, {
        hint: "fix the path in the kubeconfig (kubectl config view)",
      });
    }
  }
  return undefined;
}

function plainConnection(cluster: Entry, user: Entry): Connection | undefined {
  if (
    Object.keys(user.fields).some((key) => !plainUserFields.has(key)) ||
    Object.keys(cluster.fields).some((key) => !plainClusterFields.has(key))
  )
    return undefined;
  const tokenFile = stringOf(user.fields.tokenFile);
  const token =
    stringOf(user.fields.token) ??
    (tokenFile === undefined ? undefined : readFileSync(isAbsolute(tokenFile) ? tokenFile : join(user.base, tokenFile), "utf8").trim());
  return {
    ca: fileOrData(cluster, "certificate-authority", "certificate-authority-data"),
    cert: fileOrData(user, "client-certificate", "client-certificate-data"),
    key: fileOrData(user, "client-key", "client-key-data"),
    token,
    rejectUnauthorized: cluster.fields["insecure-skip-tls-verify"] !== true,
    servername: stringOf(cluster.fields["tls-server-name"]),
  };
}

/** Loads the kubeconfig and selects the context; throws ClusterError (exit 3) with what to do when it cannot. */
export async function loadKubeConfig(options: ClusterAccessOptions = {}): Promise<LoadedKubeConfig> {
  const env = options.env ?? process.env;
  const found = kubeconfigFiles(options);
  if (!found) {
    if (env.KUBERNETES_SERVICE_HOST && existsSync(join(serviceAccountDir, "token"))) {
      const host = env.KUBERNETES_SERVICE_HOST.includes(":") ? `[${env.KUBERNETES_SERVICE_HOST}]` : env.KUBERNETES_SERVICE_HOST;
      return {
        source: "in-cluster service account",
        contextName: "in-cluster",
        server: `https://${host}:${env.KUBERNETES_SERVICE_PORT ?? "443"}`,
        connection: {
          ca: readFileSync(join(serviceAccountDir, "ca.crt")),
          token: readFileSync(join(serviceAccountDir, "token"), "utf8").trim(),
          rejectUnauthorized: true,
        },
      };
    }
    throw new ClusterError(
      "no kubeconfig found: mesh looked at --kubeconfig, $KUBECONFIG and ~/.kube/config, and is not running in a cluster",
      {
        hint: "point mesh at a cluster with --kubeconfig PATH or KUBECONFIG=PATH (for kind: kind get kubeconfig > kubeconfig)",
      },
    );
  }
  const data = readKubeconfigs(found.files);
  const source = found.source;
  if (options.context && !data.contexts.has(options.context)) {
    const available = [...data.contexts.keys()];
    throw new ClusterError(`context "${options.context}" not found in ${source}`, {
      hint: available.length > 0 ? `available contexts: ${available.join(", ")}` : "the kubeconfig defines no contexts",
    });
  }
  const contextName = options.context ?? data.currentContext;
  const context = contextName === undefined ? undefined : data.contexts.get(contextName);
  if (!contextName || !context) {
    throw new ClusterError(`kubeconfig ${source} has no current context`, {
      hint: "pass --context NAME or run: kubectl config use-context NAME",
    });
  }
  const clusterName = stringOf(context.fields.cluster);
  const cluster = clusterName === undefined ? undefined : data.clusters.get(clusterName);
  const clusterServer = stringOf(cluster?.fields.server);
  if (!cluster || clusterServer === undefined) {
    throw new ClusterError(`context "${contextName}" in ${source} names a cluster that the kubeconfig does not define`, {
      hint: "fix the context's cluster entry (kubectl config view)",
    });
  }
  const server = clusterServer.replace(/\/$/, "");
  const userName = stringOf(context.fields.user);
  const user = (userName === undefined ? undefined : data.users.get(userName)) ?? { fields: {}, base: "" };
  const connection = plainConnection(cluster, user);
  if (connection) return { source, contextName, server, connection };

  // Plugins and proxies: @kubernetes/client-node knows them all.
  const { KubeConfig } = (await preloadKubeClient()) as typeof import("@kubernetes/client-node");
  const config = new KubeConfig();
  for (const [index, file] of found.files.entries()) {
    const part = index === 0 ? config : new KubeConfig();
    try {
      part.loadFromFile(file);
    } catch (error) {
      throw new ClusterError(`kubeconfig ${file} could not be read: ${describeLoadError(error)}`, {
        hint: "check the file with: kubectl config view --kubeconfig " + file,
      });
    }
    if (part !== config) config.mergeConfig(part, true);
  }
  config.setCurrentContext(contextName);
  return { config, source, contextName, server };
}

/** YAML and fs messages, without echoing file content (a kubeconfig holds credentials). */
function describeLoadError(error: unknown): string {
  if (error instanceof YamlError) {
    // Value errors quote the value (a token, a key): say what is wrong and where instead.
    const problem = error.code === "yaml-value" ? "a value that kubectl cannot turn into JSON" : error.message;
    return `${problem} (line ${error.mark.line + 1}, column ${error.mark.column + 1})`;
  }
  const message = error instanceof Error ? error.message : String(error);
  const firstLine = message.split("\n")[0] ?? message;
  return firstLine.length > 160 ? `${firstLine.slice(0, 160)}…` : firstLine;
}

/** Context names of the kubeconfig mesh would use (for shell completion); empty when there is none. */
export function kubeconfigContextNames(options: ClusterAccessOptions = {}): string[] {
  const found = kubeconfigFiles(options);
  return found ? [...readKubeconfigs(found.files).contexts.keys()] : [];
}
