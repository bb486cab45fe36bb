import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { ClusterError } from "../../src/core/errors.js";
import { KubeApiError, KubeClient, type RequestSpec } from "../../src/kube/client.js";
import type { LoadedKubeConfig } from "../../src/kube/config.js";
import { isRetryable, parseRetryAfter, retryDelayMs, defaultRetryPolicy, type RetryEvent } from "../../src/kube/retry.js";

type Step = { status: number; headers?: Record<string, string>; body?: unknown } | "reset";

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** A plain-HTTP server answering requests with `steps` in order (the last repeats), counting requests. */
async function scripted(steps: Step[]): Promise<{ url: string; seen: () => number }> {
  let seen = 0;
  server = createServer((request: IncomingMessage, response: ServerResponse) => {
    request.resume();
    request.on("end", () => {
      const step = steps[Math.min(seen, steps.length - 1)]!;
      seen++;
      if (step === "reset") {
        request.socket.destroy();
        return;
      }
      const text = JSON.stringify(step.body ?? { kind: "Status", code: step.status, message: `status ${step.status}` });
      response.writeHead(step.status, { "content-type": "application/json", ...step.headers });
      response.end(text);
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen: () => seen };
}

function client(url: string, events: RetryEvent[], delays: number[]): KubeClient {
  const loaded = { server: url, contextName: "test", source: "test", connection: {} } as unknown as LoadedKubeConfig;
  return new KubeClient(loaded, {
    requestTimeoutMs: 5000,
    onRetry: (event) => events.push(event),
    sleep: (ms) => {
      delays.push(ms);
      return Promise.resolve();
    },
    random: () => 0.5,
  });
}

const get: RequestSpec = { method: "GET", path: "/api/v1/namespaces/default", action: "get namespaces default" };
const create: RequestSpec = { method: "POST", path: "/api/v1/namespaces", body: {}, action: "create namespaces" };
const apply: RequestSpec = {
  method: "PATCH",
  path: "/api/v1/namespaces/x",
  body: {},
  contentType: "application/apply-patch+yaml",
  action: "patch namespaces x",
};
const ok = { status: 200, body: { kind: "Namespace" } };

describe("KubeClient retries", () => {
  it("honours Retry-After on 429 and succeeds on the next attempt, logging the retry", async () => {
    const { url, seen } = await scripted([{ status: 429, headers: { "retry-after": "2" } }, ok]);
    const events: RetryEvent[] = [];
    const delays: number[] = [];
    const kube = client(url, events, delays);
    expect(await kube.request(get)).toEqual({ kind: "Namespace" });
    expect(seen()).toBe(2);
    expect(delays).toEqual([2000]);
    expect(events).toEqual([{ action: "get namespaces default", attempt: 1, maxAttempts: 10, reason: "HTTP 429", delayMs: 2000 }]);
    kube.close();
  });

  it("retries 5xx for idempotent requests (GET, server-side apply) with growing backoff, not for POST", async () => {
    const { url, seen } = await scripted([{ status: 503 }, { status: 500 }, ok]);
    const delays: number[] = [];
    const kube = client(url, [], delays);
    await kube.request(apply);
    expect(seen()).toBe(3);
    expect(delays).toEqual([150, 300]);
    kube.close();

    const again = await scripted([{ status: 500 }, ok]);
    const post = client(again.url, [], []);
    const error = await post.request(create).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(KubeApiError);
    expect((error as KubeApiError).code).toBe(500);
    expect(again.seen()).toBe(1);
    post.close();
  });

  it("retries a reset connection for GET but not for POST, which may have been carried out", async () => {
    const first = await scripted(["reset", ok]);
    const kube = client(first.url, [], []);
    expect(await kube.request(get)).toEqual({ kind: "Namespace" });
    expect(first.seen()).toBe(2);
    kube.close();
    await new Promise<void>((resolve) => server!.close(() => resolve()));

    const second = await scripted(["reset", ok]);
    const post = client(second.url, [], []);
    const error = await post.request(create).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ClusterError);
    expect((error as Error).message).toContain("ECONNRESET");
    expect(second.seen()).toBe(1);
    post.close();
  });

  it("gives up after 10 attempts and reports the last error", async () => {
    const { url, seen } = await scripted([{ status: 429, headers: { "retry-after": "0" } }]);
    const events: RetryEvent[] = [];
    const kube = client(url, events, []);
    const error = await kube.request(get).catch((caught: unknown) => caught);
    expect((error as KubeApiError).code).toBe(429);
    expect(seen()).toBe(10);
    expect(events).toHaveLength(9);
    kube.close();
  });

  it("does not retry client errors such as 404, 409 or 422", async () => {
    const { url, seen } = await scripted([{ status: 409 }, ok]);
    const kube = client(url, [], []);
    await expect(kube.request(apply)).rejects.toBeInstanceOf(KubeApiError);
    expect(seen()).toBe(1);
    kube.close();
  });

  it("retries a refused connection for every method once the server has answered (a restart), not before", async () => {
    const { url } = await scripted([ok]);
    const events: RetryEvent[] = [];
    const kube = client(url, events, []);
    await kube.request(get);
    kube.close();
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = undefined;
    await expect(kube.request(create)).rejects.toThrow("connection refused");
    expect(events.length).toBe(9);
    expect(events.every((event) => event.reason === "ECONNREFUSED")).toBe(true);

    const fresh: RetryEvent[] = [];
    await expect(client(url, fresh, []).request(get)).rejects.toThrow("connection refused");
    expect(fresh).toEqual([]);
  });
});

describe("retry policy", () => {
  it("classifies failures like client-go, widened to idempotent writes", () => {
    expect(isRetryable({ status: 429 }, false)).toBe(true);
    expect(isRetryable({ status: 503 }, true)).toBe(true);
    expect(isRetryable({ status: 503 }, false)).toBe(false);
    expect(isRetryable({ status: 501 }, true)).toBe(false);
    expect(isRetryable({ transport: "ECONNREFUSED" }, false)).toBe(true);
    expect(isRetryable({ transport: "ECONNRESET" }, false)).toBe(false);
    expect(isRetryable({ transport: "ECONNRESET" }, true)).toBe(true);
  });

  it("backs off exponentially with jitter up to 5 s, or waits what Retry-After says", () => {
    const delays = [1, 2, 3, 4, 5, 6, 7].map((attempt) => retryDelayMs({ transport: "ECONNRESET" }, attempt, defaultRetryPolicy, () => 0));
    expect(delays).toEqual([200, 400, 800, 1600, 3200, 5000, 5000]);
    expect(retryDelayMs({ transport: "ECONNRESET" }, 1, defaultRetryPolicy, () => 1)).toBe(100);
    expect(retryDelayMs({ status: 429, retryAfterSeconds: 3 }, 1, defaultRetryPolicy)).toBe(3000);
  });

  it("reads Retry-After as seconds or an HTTP date", () => {
    expect(parseRetryAfter("1")).toBe(1);
    expect(parseRetryAfter(undefined)).toBeUndefined();
    expect(parseRetryAfter("soon")).toBeUndefined();
    expect(parseRetryAfter("Thu, 01 Jan 1970 00:00:10 GMT", 0)).toBe(10);
  });
});
