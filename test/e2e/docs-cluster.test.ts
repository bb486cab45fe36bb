import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestCluster, type TestCluster } from "./kube-helpers.js";

// Every `mesh …` line of a ```sh block in docs/cluster.md runs, in order, against one test cluster.
const text = readFileSync(new URL("../../docs/cluster.md", import.meta.url), "utf8");
const blocks = [...text.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((match) => match[1]!);
const lines = blocks.flatMap((block) => block.split("\n")).filter((line) => line.startsWith("mesh ") || line.startsWith("kubectl "));

/** `mesh a b  # exit 1: …` → args and expected exit code (0 unless the comment says otherwise). */
function parse(line: string): { args: string[]; exitCode: number } {
  const [command, comment = ""] = line.split(/\s+#\s*/);
  const exitCode = Number(/exit (\d)/.exec(comment)?.[1] ?? "0");
  return { args: command!.trim().split(/\s+/).slice(1), exitCode };
}

let cluster: TestCluster;
beforeAll(async () => {
  cluster = await startTestCluster();
  cluster.server.createObject({ apiVersion: "v1", kind: "Namespace", metadata: { name: "shop" } });
});
afterAll(async () => {
  await cluster.stop();
});

describe("docs/cluster.md examples", () => {
  it("has examples", () => {
    expect(lines.filter((line) => line.startsWith("mesh ")).length).toBeGreaterThan(5);
  });

  it("run in order with the documented exit codes", async () => {
    for (const line of lines) {
      if (line.startsWith("kubectl label namespace shop istio.io/rev=prod")) {
        // What the kubectl line does, through the API.
        await cluster.mergePatch("/api/v1/namespaces/shop", { metadata: { labels: { "istio.io/rev": "prod" } } }, "kubectl-label");
        continue;
      }
      if (!line.startsWith("mesh ")) continue;
      const { args, exitCode } = parse(line);
      const result = await cluster.mesh(args);
      expect({ line, exitCode: result.exitCode, stderr: result.exitCode === exitCode ? "" : result.stderr }).toEqual({
        line,
        exitCode,
        stderr: "",
      });
      if (args[0] === "tag" && args[1] === "list") expect(result.stdout).toMatch(/^prod +canary +shop$/m);
    }
  });
});
