/**
 * A fault-injecting HTTPS proxy for the test API server: answers a seeded share of requests with 429 (with
 * Retry-After, as API Priority and Fairness does), 500/503, resets the connection before or after the server
 * processed the request, adds latency, or stops listening for a while (an API server restart). Same seed, same
 * sequence of decisions per request order, so a failing run can be replayed.
 *
 *   const proxy = await startFaultProxy(server.url, { seed: 7, rates: { throttle: 0.05 } });
 *   server.kubeconfigPath(dir, { server: proxy.url });
 */
import { readFileSync } from "node:fs";
import { createServer, request as httpsRequest, type Server } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { seededRandom } from "../support/seeded-random.js";

export interface FaultRates {
  /** 429 Too Many Requests with a Retry-After header. */
  throttle?: number;
  /** 500 Internal Server Error or 503 Service Unavailable (without Retry-After), before the server sees the request. */
  serverError?: number;
  /** Connection reset before the request reaches the server. */
  resetBefore?: number;
  /** Connection reset after the server processed the request: the client never learns the outcome. */
  resetAfter?: number;
  /** Added latency (up to latencyMs) before forwarding. */
  latency?: number;
  /** 409 "the object has been modified" on writes (PATCH/PUT), as an optimistic-concurrency race inside the server. */
  modified?: number;
}

export interface FaultProxyOptions {
  seed?: number;
  rates?: FaultRates;
  retryAfterSeconds?: number;
  latencyMs?: number;
}

export type FaultKind = "throttle" | "serverError" | "resetBefore" | "resetAfter" | "latency" | "modified" | "outage";

export interface FaultProxy {
  url: string;
  /** Stops accepting connections (refused) and drops open ones for `ms`, then listens again on the same port. */
  outage(ms: number): Promise<void>;
  setRates(rates: FaultRates): void;
  /** Faults injected so far, by kind. */
  injected(): Record<FaultKind, number>;
  /** Requests forwarded to the server (answered by it). */
  forwarded(): number;
  stop(): Promise<void>;
}

const certs = (file: string) => readFileSync(new URL(`./certs/${file}`, import.meta.url), "utf8");

export async function startFaultProxy(target: string, options: FaultProxyOptions = {}): Promise<FaultProxy> {
  const random = seededRandom(options.seed ?? 1);
  let rates: FaultRates = options.rates ?? {};
  const counts: Record<FaultKind, number> = {
    throttle: 0,
    serverError: 0,
    resetBefore: 0,
    resetAfter: 0,
    latency: 0,
    modified: 0,
    outage: 0,
  };
  let forwarded = 0;
  const targetUrl = new URL(target);
  const ca = certs("ca.crt");
  const sockets = new Set<Socket>();

  const pick = (method: string): FaultKind | undefined => {
    const roll = random();
    let threshold = 0;
    for (const kind of ["throttle", "serverError", "resetBefore", "resetAfter", "latency", "modified"] as const) {
      if (kind === "modified" && method !== "PATCH" && method !== "PUT") continue;
      threshold += rates[kind] ?? 0;
      if (roll < threshold) return kind;
    }
    return undefined;
  };

  const forward = (request: IncomingMessage, response: ServerResponse, body: Buffer, resetAfter: boolean) => {
    const upstream = httpsRequest(
      {
        host: targetUrl.hostname,
        port: targetUrl.port,
        path: request.url,
        method: request.method,
        headers: { ...request.headers, host: targetUrl.host },
        ca,
      },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on("data", (chunk: Buffer) => chunks.push(chunk));
        answer.on("end", () => {
          forwarded++;
          if (resetAfter) {
            request.socket.destroy();
            return;
          }
          response.writeHead(answer.statusCode ?? 502, answer.headers);
          response.end(Buffer.concat(chunks));
        });
      },
    );
    upstream.on("error", () => request.socket.destroy());
    upstream.end(body);
  };

  const handler = (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = Buffer.concat(chunks);
      const fault = pick(request.method ?? "GET");
      if (fault) counts[fault]++;
      const json = (code: number, reason: string, message: string, headers: Record<string, string> = {}) => {
        const text = JSON.stringify({ kind: "Status", apiVersion: "v1", status: "Failure", message, reason, code });
        response.writeHead(code, { "content-type": "application/json", ...headers });
        response.end(text);
      };
      switch (fault) {
        case "throttle":
          return json(429, "TooManyRequests", "Too many requests, please try again later.", {
            "retry-after": String(options.retryAfterSeconds ?? 1),
          });
        case "serverError":
          return random() < 0.5
            ? json(500, "InternalError", "Internal error occurred: etcdserver: request timed out")
            : json(503, "ServiceUnavailable", "the server is currently unable to handle the request");
        case "modified":
          return json(
            409,
            "Conflict",
            "Operation cannot be fulfilled: the object has been modified; please apply your changes to the latest version and try again",
          );
        case "resetBefore":
          request.socket.destroy();
          return;
        case "resetAfter":
          return forward(request, response, body, true);
        case "latency":
          setTimeout(() => forward(request, response, body, false), Math.floor(random() * (options.latencyMs ?? 50)));
          return;
        default:
          return forward(request, response, body, false);
      }
    });
  };

  let server: Server = createServer({ key: certs("server.key"), cert: certs("server.crt") }, handler);
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  };
  server.on("connection", track);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;

  const close = (which: Server) =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      which.close(() => resolve());
    });

  return {
    url: `https://127.0.0.1:${port}`,
    async outage(ms) {
      counts.outage++;
      await close(server);
      await new Promise((resolve) => setTimeout(resolve, ms));
      server = createServer({ key: certs("server.key"), cert: certs("server.crt") }, handler);
      server.on("connection", track);
      await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    },
    setRates(update) {
      rates = update;
    },
    injected: () => ({ ...counts }),
    forwarded: () => forwarded,
    stop: () => close(server),
  };
}
