import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Writable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { syntheticBundle } from "../fixtures/gateway-api/synthetic-bundle.js";
import { startKubeApiServer, type KubeApiServer } from "../kube-api-server/index.js";

// Prompts appear only on a terminal, which execa cannot provide: these tests run the CLI in-process with a
// standard input that says it is a TTY.

let server: KubeApiServer;
let env: NodeJS.ProcessEnv;
let bundle: string;
beforeEach(async () => {
  server = await startKubeApiServer({ crdEstablishDelayMs: 20 });
  const home = mkdtempSync(join(tmpdir(), "mesh-gwapi-prompt-"));
  env = { HOME: home, KUBECONFIG: server.kubeconfigPath(home), NO_COLOR: "1" };
  bundle = join(home, "standard-install.yaml");
  writeFileSync(bundle, syntheticBundle("v1.2.1", "standard"));
});
afterEach(async () => {
  await server.stop();
});

function capture() {
  let text = "";
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  });
  return { stream, text: () => text };
}

async function runWithAnswers(args: string[], answers: string) {
  const stdin = Object.assign(new PassThrough(), { isTTY: true });
  stdin.end(answers);
  const stdout = capture();
  const stderr = capture();
  const exitCode = await main(args, { stdin, stdout: stdout.stream, stderr: stderr.stream, env });
  return { exitCode, stdout: stdout.text(), stderr: stderr.text() };
}

const crds = () => server.objects({ kind: "CustomResourceDefinition" });
const install = ["gateway-api", "install", "--version", "v1.2.1", "--from-file"];

describe("the gateway-api prompts", () => {
  it.each([["n\n"], ["\n"], [""]])("install cancels on %j with exit 1 and applies nothing", async (answer) => {
    const result = await runWithAnswers([...install, bundle], answer);
    expect(result.stdout).toBe("Install Gateway API v1.2.1 (standard) in the cluster. Proceed? (y/N) ");
    expect(result.stderr).toMatch(/Cancelled\.\n$/);
    expect(result.exitCode).toBe(1);
    expect(crds()).toEqual([]);
  });

  it("install asks again on anything else and proceeds on y", async () => {
    const result = await runWithAnswers([...install, bundle], "sure\ny\n");
    expect(result.stdout).toBe("Install Gateway API v1.2.1 (standard) in the cluster. Proceed? (y/N) ".repeat(2));
    expect(result.exitCode).toBe(0);
    expect(crds()).toHaveLength(5);
  });

  it("install does not ask when nothing would change", async () => {
    await runWithAnswers([...install, bundle, "-y"], "");
    const again = await runWithAnswers([...install, bundle], "");
    expect(again.stdout).toBe("");
    expect(again.exitCode).toBe(0);
  });

  it("uninstall says that every Gateway and route goes with the CRDs, and keeps them on no", async () => {
    await runWithAnswers([...install, bundle, "-y"], "");
    const result = await runWithAnswers(["gateway-api", "uninstall"], "no\n");
    expect(result.stderr).toContain(
      "Deleting the Gateway API CRDs deletes every Gateway, HTTPRoute and other Gateway API resource in the cluster.",
    );
    expect(result.stdout).toBe("Proceed? (y/N) ");
    expect(result.exitCode).toBe(1);
    expect(crds()).toHaveLength(5);
    const confirmed = await runWithAnswers(["gateway-api", "uninstall"], "yes\n");
    expect(confirmed.exitCode).toBe(0);
    expect(crds()).toEqual([]);
  });
});
