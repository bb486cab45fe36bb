/**
 * mesh's CLI run in-process against a Kubernetes API test server. Prompts appear only on a terminal, which execa
 * cannot provide: here standard input says it is a TTY.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Writable } from "node:stream";
import { main } from "../../src/cli/main.js";
import { startKubeApiServer, type KubeApiServer, type KubeApiServerOptions } from "../kube-api-server/index.js";

export interface InProcessCluster {
  server: KubeApiServer;
  /** Runs `main(args)` with `answers` on a TTY standard input; `columns` makes stderr a terminal that wide too. */
  runWithAnswers(
    args: string[],
    answers: string,
    terminal?: { columns?: number },
  ): Promise<{ exitCode: number; stdout: string; stderr: string }>;
  stop(): Promise<void>;
}

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

export async function startInProcessCluster(options: KubeApiServerOptions = {}): Promise<InProcessCluster> {
  const server = await startKubeApiServer({ crdEstablishDelayMs: 20, ...options });
  const home = mkdtempSync(join(tmpdir(), "mesh-prompt-"));
  const env = { HOME: home, KUBECONFIG: server.kubeconfigPath(home), NO_COLOR: "1" };
  return {
    server,
    async runWithAnswers(args, answers, terminal = {}) {
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
    },
    stop: () => server.stop(),
  };
}
