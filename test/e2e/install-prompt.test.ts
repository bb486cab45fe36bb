import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Writable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { startKubeApiServer, type KubeApiServer } from "../kube-api-server/index.js";
import { gatewaysOnly } from "./kube-helpers.js";

// The prompt only appears on a terminal, which execa cannot provide: these tests run the CLI in-process with a
// standard input that says it is a TTY.

let server: KubeApiServer;
let env: NodeJS.ProcessEnv;
beforeEach(async () => {
  server = await startKubeApiServer({ crdEstablishDelayMs: 20, deploymentReadyAfterReads: 0 });
  const home = mkdtempSync(join(tmpdir(), "mesh-prompt-"));
  env = { HOME: home, KUBECONFIG: server.kubeconfigPath(home), NO_COLOR: "1" };
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

async function runWithAnswers(args: string[], answers: string, terminal: { columns?: number } = {}) {
  const stdin = Object.assign(new PassThrough(), { isTTY: true });
  stdin.end(answers);
  const stdout = capture();
  const stderr = capture();
  // What a tty.WriteStream offers beyond a Writable, for the spinner.
  const terminalMethods = {
    isTTY: true,
    columns: terminal.columns,
    cursorTo: (x: number) => stderr.stream.write(`\u001b[${x + 1}G`),
    clearLine: () => stderr.stream.write("\u001b[2K"),
    moveCursor: () => true,
  };
  const stderrStream = terminal.columns === undefined ? stderr.stream : Object.assign(stderr.stream, terminalMethods);
  const exitCode = await main(args, { stdin, stdout: stdout.stream, stderr: stderrStream, env });
  return { exitCode, stdout: stdout.text(), stderr: stderr.text() };
}

const installed = () =>
  server.objects({ labelSelector: { "operator.istio.io/managed": "Reconcile" } }).filter((object) => object.kind !== "Endpoints");

describe("the install prompt", () => {
  it.each([["n\n"], ["no\n"], ["\n"], [""]])("cancels on %j with exit 1 and applies nothing", async (answer) => {
    const result = await runWithAnswers(["install", "--set", "profile=demo", ...gatewaysOnly], answer);
    expect(result.stdout).toBe('This will install the Istio 1.30.3 profile "demo" into the cluster. Proceed? (y/N) ');
    expect(result.stderr).toBe("Cancelled.\n");
    expect(result.exitCode).toBe(1);
    expect(installed()).toEqual([]);
  });

  it("asks again on anything else and proceeds on yes", async () => {
    const result = await runWithAnswers(["install", "--set", "profile=default", ...gatewaysOnly], "maybe\nYES\n");
    expect(result.stdout).toBe('This will install the Istio 1.30.3 profile "default" into the cluster. Proceed? (y/N) '.repeat(2));
    expect(result.exitCode).toBe(0);
    expect(installed()).toHaveLength(6);
  });

  it("asks before purging", async () => {
    await runWithAnswers(["install", "--set", "profile=demo", ...gatewaysOnly, "-y"], "");
    const result = await runWithAnswers(["uninstall", "--purge"], "y\n");
    expect(result.stdout).toBe("All Istio resources will be pruned from the cluster\nProceed? (y/N) ");
    expect(result.exitCode).toBe(0);
    expect(installed()).toEqual([]);
  });
});

describe("progress on a terminal", () => {
  it("falls back to plain lines on a terminal that reports no width (a spinner would redraw forever)", async () => {
    const result = await runWithAnswers(["install", "--set", "profile=demo", ...gatewaysOnly, "-y"], "", { columns: 0 });
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain("- Processing resources for Ingress gateways.\n");
    expect(result.stderr).toContain("✔ Installation complete");
  });

  it("shows a spinner line and permanent ✔ lines on a terminal", async () => {
    const result = await runWithAnswers(["install", "--set", "profile=demo", ...gatewaysOnly, "-y"], "", { columns: 100 });
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toMatch(/\u001b\[\?25l/);
    expect(result.stderr).toContain("✔ Egress gateways installed 🛫\n");
    expect(result.stderr).toContain("✔ Installation complete\n");
  });
});
