import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchCrdText } from "../../../../src/core/validate/crd/fetch.js";
import { InputError } from "../../../../src/core/errors.js";
import { writeEndlessBody } from "../../../support/endless-body.js";

let server: Server;
let base = "";
const stalled = new Set<import("node:http").ServerResponse>();

beforeAll(async () => {
  server = createServer((request, response) => {
    if (request.url === "/endless") {
      response.writeHead(200, { "content-type": "application/yaml" });
      writeEndlessBody(response);
    } else if (request.url === "/no-headers") {
      stalled.add(response);
    } else if (request.url === "/slow-body") {
      response.writeHead(200);
      response.write("apiVersion: v1\n");
      stalled.add(response);
    } else {
      response.writeHead(200);
      response.end("apiVersion: v1\nkind: ConfigMap\n");
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const response of stalled) response.destroy();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe("fetchCrdText bounds every download", () => {
  const limits = { connectTimeoutMs: 200, totalTimeoutMs: 400, maxBytes: 1024 * 1024 };

  it("downloads a small file", async () => {
    // Generous limits here: a loaded machine may take longer than 0.2 s to answer, and this case is not about them.
    expect(await fetchCrdText(`${base}/ok`, { ...limits, connectTimeoutMs: 30_000, totalTimeoutMs: 30_000 })).toBe(
      "apiVersion: v1\nkind: ConfigMap\n",
    );
  });

  it("stops an endless body at the size limit and names the URL", async () => {
    const failure = fetchCrdText(`${base}/endless`, { ...limits, totalTimeoutMs: 30_000 });
    await expect(failure).rejects.toThrow(InputError);
    await expect(failure).rejects.toThrow(`--crds ${base}/endless: larger than 1 MiB`);
  });

  it("gives up when no response arrives, naming the URL and the connect timeout", async () => {
    await expect(fetchCrdText(`${base}/no-headers`, limits)).rejects.toThrow(`--crds ${base}/no-headers: no response within 0.2 s`);
  });

  it("gives up on a body that never ends, naming the URL and the total timeout", async () => {
    await expect(fetchCrdText(`${base}/slow-body`, limits)).rejects.toThrow(`--crds ${base}/slow-body: download not finished within 0.4 s`);
  });
});
