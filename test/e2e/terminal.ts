/** Runs bin/mesh.js on a real pseudo-terminal (util-linux `script`), for prompts and Ctrl-C. */
import { spawn } from "node:child_process";
import { meshBin, repoRoot } from "./run-mesh.js";

const quote = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`;

export interface TerminalRun {
  exitCode: number | null;
  /** Everything the terminal showed (stdout and stderr, with the echoed input). */
  output: string;
}

/**
 * Starts mesh on a terminal, types `keys` once `prompt` appears, and keeps the terminal's input open afterwards:
 * the process must end by itself. Rejects when it has not ended `limitMs` after the answer.
 */
export function runOnTerminal(
  args: string[],
  options: { env: Record<string, string>; prompt: string; keys: string; limitMs?: number },
): Promise<TerminalRun> {
  return runCommandOnTerminal([process.execPath, meshBin, ...args].map(quote).join(" "), options);
}

/** The same for a shell command line. */
export function runCommandOnTerminal(
  command: string,
  options: { env: Record<string, string>; prompt: string; keys: string; limitMs?: number },
): Promise<TerminalRun> {
  const child = spawn("script", ["--quiet", "--flush", "--return", "--command", command, "/dev/null"], {
    cwd: repoRoot,
    env: { ...process.env, NO_COLOR: "1", TERM: "dumb", ...options.env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let output = "";
  let answered = false;
  return new Promise((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const onData = (chunk: Buffer) => {
      output += chunk.toString("utf8");
      if (!answered && output.includes(options.prompt)) {
        answered = true;
        child.stdin.write(options.keys);
        timer = setTimeout(() => {
          child.kill("SIGKILL");
          reject(new Error(`${command} did not exit after the answer; the terminal showed:\n${output}`));
        }, options.limitMs ?? 20_000);
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("error", reject);
    child.on("exit", (exitCode) => {
      clearTimeout(timer);
      child.stdin.destroy();
      resolve({ exitCode, output: output.replace(/\r\n/g, "\n") });
    });
  });
}
