/**
 * A small REST client for the Kubernetes API. Authentication (tokens, client certificates, exec and auth-provider
 * plugins, proxies) comes from @kubernetes/client-node's KubeConfig; requests, timeouts and error messages are ours,
 * so that every failure becomes a ClusterError a user can act on and no credential ever reaches a message.
 */
import { Agent as HttpAgent, request as httpRequest } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest, type RequestOptions } from "node:https";
import { createSecureContext, type SecureContext, type SecureContextOptions } from "node:tls";
import { ClusterError } from "../core/errors.js";
import type { KubeObject } from "../core/objects.js";
import type { LoadedKubeConfig } from "./config.js";
import {
  defaultRetryPolicy,
  isRetryable,
  parseRetryAfter,
  retryDelayMs,
  type AttemptFailure,
  type RetryEvent,
  type RetryPolicy,
} from "./retry.js";

/** A `Status` body as the API server returns it with every error. */
export interface ApiStatus {
  kind?: string;
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: {
    name?: string;
    group?: string;
    kind?: string;
    causes?: { type?: string; reason?: string; message?: string; field?: string }[];
  };
}

/** The API server answered with an error status; `status` holds its Status body. */
export class KubeApiError extends ClusterError {
  constructor(
    message: string,
    readonly code: number,
    readonly status: ApiStatus,
    options: { hint?: string } = {},
  ) {
    super(message, options);
  }
}

export interface RequestSpec {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path: string;
  query?: Record<string, string | undefined>;
  body?: unknown;
  contentType?: string;
  /** Accept header (default application/json), e.g. to ask for aggregated discovery. */
  accept?: string;
  /** What the request does, for messages: `patch customresourcedefinitions`. */
  action?: string;
  /**
   * Whether sending the request twice has the effect of sending it once. Defaults: GET, DELETE, PUT and
   * server-side apply are; POST and other patches are not. Decides which failures are retried (see retry.ts).
   */
  idempotent?: boolean;
}

export interface KubeClientOptions {
  requestTimeoutMs?: number;
  maxConcurrency?: number;
  retryPolicy?: RetryPolicy;
  onRetry?: (event: RetryEvent) => void;
  /** Replaces the wait between attempts (tests record the delays instead of sleeping). */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

/** A failure the client may retry: the error to throw if it does not, and what the retry policy looks at. */
class AttemptError extends Error {
  constructor(
    readonly error: ClusterError,
    readonly failure: AttemptFailure,
  ) {
    super(error.message);
  }
}

const tlsErrorCodes = new Set([
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "ERR_SSL_WRONG_VERSION_NUMBER",
  "EPROTO",
]);

export class KubeClient {
  readonly server: string;
  readonly contextName: string;
  private readonly timeoutMs: number;
  private agent: HttpAgent | undefined;
  private headers: Record<string, string> = {};
  private prepared: Promise<void> | undefined;
  private active = 0;
  /** Whether the server has answered at least once (tells "nothing there" from "restarting"). */
  private reached = false;
  private readonly queue: (() => void)[] = [];

  constructor(
    private readonly loaded: LoadedKubeConfig,
    private readonly options: KubeClientOptions = {},
  ) {
    this.server = loaded.server;
    this.contextName = loaded.contextName;
    this.timeoutMs = options.requestTimeoutMs ?? 30_000;
    this.maxConcurrency = options.maxConcurrency ?? 16;
  }

  private readonly maxConcurrency: number;

  private prepare(): Promise<void> {
    this.prepared ??= (async () => {
      const connection = this.loaded.connection;
      if (connection) {
        if (connection.token) this.headers.authorization = `Bearer ${connection.token}`;
        this.agent = this.server.startsWith("http:")
          ? new HttpAgent({ keepAlive: true })
          : new HttpsAgent({
              keepAlive: true,
              secureContext: this.secureContext({ ca: connection.ca, cert: connection.cert, key: connection.key }),
              rejectUnauthorized: connection.rejectUnauthorized,
              ...(connection.servername ? { servername: connection.servername } : {}),
            });
        return;
      }
      const config = this.loaded.config!;
      const options: RequestOptions = {};
      try {
        await config.applyToHTTPSOptions(options);
      } catch (error) {
        throw new ClusterError(`could not prepare credentials for context "${this.contextName}": ${firstLine(error)}`, {
          hint: "check the user entry of the context in the kubeconfig (kubectl config view --minify)",
        });
      }
      for (const [key, value] of Object.entries(options.headers ?? {}))
        if (value !== undefined) this.headers[key.toLowerCase()] = String(value);
      if (options.auth) this.headers.authorization = `Basic ${Buffer.from(options.auth).toString("base64")}`;
      const cluster = config.getCurrentCluster();
      if (cluster?.proxyUrl) this.agent = options.agent as HttpAgent;
      else if (this.server.startsWith("http:")) this.agent = new HttpAgent({ keepAlive: true });
      else {
        this.agent = new HttpsAgent({
          keepAlive: true,
          secureContext: this.secureContext({
            ca: options.ca,
            cert: options.cert,
            key: options.key,
            pfx: options.pfx,
            passphrase: options.passphrase,
          }),
          ...(options.rejectUnauthorized !== undefined ? { rejectUnauthorized: options.rejectUnauthorized } : {}),
          ...(options.servername ? { servername: options.servername } : {}),
        });
      }
    })();
    return this.prepared;
  }

  /**
   * One TLS context for every connection: without it each new socket parses the CA and key material again
   * (the agent opens up to maxConcurrency sockets). Bad material fails here, as it failed on connecting before.
   */
  private secureContext(material: SecureContextOptions): SecureContext {
    try {
      return createSecureContext(material);
    } catch (error) {
      throw new ClusterError(`TLS connection to the API server at ${this.server} failed: ${firstLine(error)}`, {
        hint: `check certificate-authority(-data) and the client certificate of context "${this.contextName}" in the kubeconfig`,
      });
    }
  }

  close(): void {
    this.agent?.destroy();
  }

  private async slot<T>(work: () => Promise<T>): Promise<T> {
    if (this.active >= this.maxConcurrency) await new Promise<void>((resolve) => this.queue.push(resolve));
    this.active++;
    try {
      return await work();
    } finally {
      this.active--;
      this.queue.shift()?.();
    }
  }

  /** Sends one request and returns the parsed JSON body; throws KubeApiError for error statuses, ClusterError otherwise. */
  async request<T = unknown>(spec: RequestSpec): Promise<T> {
    return (await this.exchange<T>(spec)).body;
  }

  /**
   * Like request, with the HTTP status code (201 tells a created object from an updated one). Transient failures
   * are retried (retry.ts); all attempts together stay within the request timeout, except that the wait a
   * server asks for with Retry-After is honoured in full.
   */
  async exchange<T = unknown>(spec: RequestSpec): Promise<{ code: number; body: T }> {
    await this.prepare();
    const policy = this.options.retryPolicy ?? defaultRetryPolicy;
    const idempotent = spec.idempotent ?? isIdempotent(spec);
    const deadline = Date.now() + this.timeoutMs;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.slot(() => this.send<T>(spec, Math.max(1, deadline - Date.now())));
      } catch (error) {
        if (!(error instanceof AttemptError)) throw error;
        const delayMs = retryDelayMs(error.failure, attempt, policy, this.options.random);
        const retryAfter = "status" in error.failure && error.failure.retryAfterSeconds !== undefined;
        const withinBudget = retryAfter || Date.now() + delayMs < deadline;
        // Refused before the server ever answered: nothing is listening there (kubectl fails at once too).
        // Refused after it answered: it is restarting, and the retries ride that out.
        const neverReached = "transport" in error.failure && error.failure.transport === "ECONNREFUSED" && !this.reached;
        if (attempt >= policy.maxAttempts || neverReached || !isRetryable(error.failure, idempotent) || !withinBudget) throw error.error;
        this.options.onRetry?.({
          action: spec.action ?? `${spec.method} ${spec.path}`,
          attempt,
          maxAttempts: policy.maxAttempts,
          reason: "status" in error.failure ? `HTTP ${error.failure.status}` : error.failure.transport,
          delayMs,
        });
        await (this.options.sleep ?? sleep)(delayMs);
      }
    }
  }

  private send<T>(spec: RequestSpec, timeoutMs: number): Promise<{ code: number; body: T }> {
    const url = new URL(this.server.replace(/\/$/, "") + spec.path);
    for (const [key, value] of Object.entries(spec.query ?? {})) if (value !== undefined) url.searchParams.set(key, value);
    const body = spec.body === undefined ? undefined : typeof spec.body === "string" ? spec.body : JSON.stringify(spec.body);
    const headers: Record<string, string> = { ...this.headers, accept: spec.accept ?? "application/json", "user-agent": "mesh" };
    if (body !== undefined) {
      headers["content-type"] = spec.contentType ?? "application/json";
      headers["content-length"] = String(Buffer.byteLength(body));
    }
    const send = url.protocol === "http:" ? httpRequest : httpsRequest;
    const action = spec.action ?? `${spec.method} ${url.pathname}`;
    return new Promise<{ code: number; body: T }>((resolve, reject) => {
      let settled = false;
      const fail = (error: ClusterError | AttemptError) => {
        if (settled) return;
        settled = true;
        reject(error);
      };
      const transport = (error: Error & { code?: string }) => {
        const code = error.code ?? (/socket hang up/i.test(error.message) ? "ECONNRESET" : "");
        fail(new AttemptError(this.transportError(error, action), { transport: code }));
      };
      // The timer bounds the whole exchange (a server that trickles bytes never trips the socket idle timeout).
      const timer = setTimeout(() => request.destroy(Object.assign(new Error("timeout"), { code: "MESH_TIMEOUT" })), timeoutMs);
      const request = send(url, { method: spec.method, headers, agent: this.agent }, (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("error", transport);
        response.on("aborted", () => transport(Object.assign(new Error("connection reset"), { code: "ECONNRESET" })));
        this.reached = true;
        response.on("end", () => {
          clearTimeout(timer);
          if (settled) return;
          settled = true;
          const text = Buffer.concat(chunks).toString("utf8");
          const code = response.statusCode ?? 0;
          let parsed: unknown;
          try {
            parsed = text === "" ? undefined : JSON.parse(text);
          } catch {
            parsed = undefined;
          }
          if (code >= 200 && code < 300) {
            if (parsed === undefined && text !== "")
              reject(new ClusterError(`the API server at ${this.server} answered ${action} with a body that is not JSON`));
            else resolve({ code, body: parsed as T });
            return;
          }
          const error = this.statusError(code, parsed as ApiStatus | undefined, text, action);
          const retryAfterSeconds = parseRetryAfter(headerValue(response.headers["retry-after"]));
          reject(
            code === 429 || code >= 500
              ? new AttemptError(error, { status: code, ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}) })
              : error,
          );
        });
      });
      request.on("error", (error) => {
        clearTimeout(timer);
        transport(error);
      });
      request.end(body);
    });
  }

  private statusError(code: number, status: ApiStatus | undefined, text: string, action: string): KubeApiError {
    const body: ApiStatus = status && typeof status === "object" ? status : { message: text.slice(0, 200), code };
    const message = body.message ?? `HTTP ${code}`;
    if (code === 401) {
      return new KubeApiError(`the API server at ${this.server} rejected mesh's credentials (401 Unauthorized) for ${action}`, code, body, {
        hint: `the credentials of context "${this.contextName}" are missing, wrong or expired; refresh them (e.g. kubectl config view --minify) and try again`,
      });
    }
    if (code === 403) {
      return new KubeApiError(`permission denied for ${action}: ${message}`, code, body, {
        hint: `ask a cluster administrator for this permission, or use a context with more rights (--context)`,
      });
    }
    return new KubeApiError(message, code, body);
  }

  private transportError(error: Error & { code?: string }, action: string): ClusterError {
    const code = error.code ?? "";
    const hint = `check that the cluster is running and that context "${this.contextName}" points at it (kubectl cluster-info)`;
    if (code === "MESH_TIMEOUT") {
      return new ClusterError(
        `the API server at ${this.server} did not answer ${action} within ${this.timeoutMs < 1000 ? this.timeoutMs / 1000 : Math.round(this.timeoutMs / 1000)}s`,
        { hint: `${hint}; raise the limit with --request-timeout` },
      );
    }
    if (code === "ECONNREFUSED") return new ClusterError(`cannot reach the API server at ${this.server}: connection refused`, { hint });
    if (code === "ENOTFOUND" || code === "EAI_AGAIN")
      return new ClusterError(`cannot reach the API server at ${this.server}: host name not found`, { hint });
    if (code === "ECONNRESET" || code === "EHOSTUNREACH" || code === "ENETUNREACH" || code === "ETIMEDOUT") {
      return new ClusterError(`cannot reach the API server at ${this.server}: ${code}`, { hint });
    }
    if (tlsErrorCodes.has(code) || /certificate|SSL|TLS/i.test(error.message)) {
      return new ClusterError(`TLS connection to the API server at ${this.server} failed: ${error.message}`, {
        hint: `check certificate-authority(-data) and the client certificate of context "${this.contextName}" in the kubeconfig`,
      });
    }
    return new ClusterError(`request to the API server at ${this.server} failed (${action}): ${error.message}`, { hint });
  }

  // Convenience wrappers.
  get<T = unknown>(path: string, query?: Record<string, string | undefined>, action?: string): Promise<T> {
    return this.request<T>({ method: "GET", path, ...(query ? { query } : {}), ...(action ? { action } : {}) });
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function isIdempotent(spec: RequestSpec): boolean {
  if (spec.method === "GET" || spec.method === "DELETE" || spec.method === "PUT") return true;
  return spec.method === "PATCH" && (spec.contentType ?? "").startsWith("application/apply-patch");
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0]!;
}

export function isNotFound(error: unknown): boolean {
  return error instanceof KubeApiError && error.code === 404;
}

export type { KubeObject };
