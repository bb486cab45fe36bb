/**
 * When and how long to wait before sending a request again, after client-go's rules (rest/request.go,
 * rest/with_retry.go) widened as kubectl users expect from a CLI that waits for readiness anyway:
 *
 * - 429 Too Many Requests (API Priority and Fairness rejected the request before running it) is retried for every
 *   method; 5xx answers (500, 502, 503, 504) only for idempotent requests, since a POST may have been carried out.
 * - Retry-After is honoured when the server sends it; otherwise the wait grows exponentially (200 ms, doubling, at
 *   most 5 s) with jitter, so that many clients do not come back in step.
 * - A refused connection never reached the server: retried for every method. A reset, a dropped connection or a
 *   timed-out attempt may have reached it: retried only for idempotent requests (GET, DELETE, PUT with a
 *   resourceVersion, and server-side apply, which is idempotent by design).
 * - At most 10 attempts (client-go's maxRetries), and never past the request's time budget.
 */
export interface RetryPolicy {
  maxAttempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
  /** Share of each backoff delay that is random: 0.5 waits between 50 % and 100 % of the delay. */
  jitter: number;
}

export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 10, initialDelayMs: 200, maxDelayMs: 5000, jitter: 0.5 };

/** One retry, for `-v`: what failed and how long the client waits before the next attempt. */
export interface RetryEvent {
  action: string;
  attempt: number;
  maxAttempts: number;
  reason: string;
  delayMs: number;
}

/** What went wrong with one attempt: an HTTP status (with its Retry-After) or a transport error code. */
export type AttemptFailure = { status: number; retryAfterSeconds?: number } | { transport: string };

const transientStatuses = new Set([500, 502, 503, 504]);
const refused = new Set(["ECONNREFUSED"]);
const interrupted = new Set([
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "MESH_TIMEOUT",
  "ECONNABORTED",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
]);

/** Whether the failure is worth another attempt for a request that is (or is not) idempotent. */
export function isRetryable(failure: AttemptFailure, idempotent: boolean): boolean {
  if ("status" in failure) return failure.status === 429 || (transientStatuses.has(failure.status) && idempotent);
  if (refused.has(failure.transport)) return true;
  return idempotent && interrupted.has(failure.transport);
}

/** The wait before attempt `attempt + 1` (attempt counts from 1). */
export function retryDelayMs(failure: AttemptFailure, attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  if ("status" in failure && failure.retryAfterSeconds !== undefined) return failure.retryAfterSeconds * 1000;
  const base = Math.min(policy.initialDelayMs * 2 ** (attempt - 1), policy.maxDelayMs);
  return Math.round(base * (1 - policy.jitter * random()));
}

/** Retry-After as the API server sends it: whole seconds (an HTTP date is also allowed by RFC 9110). */
export function parseRetryAfter(header: string | undefined, now: number = Date.now()): number | undefined {
  if (header === undefined) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}
