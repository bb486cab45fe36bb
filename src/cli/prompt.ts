import { UsageError } from "../core/errors.js";
import type { CliContext } from "./context.js";

/** The exit code of a process ended by Ctrl-C (128 + SIGINT), as shells report it. */
export const INTERRUPTED_EXIT_CODE = 130;

/**
 * Asks on stdout, reads stdin: y/yes proceeds, n/no/empty/EOF cancels, anything else asks again.
 * The reader is closed as soon as there is an answer: an open reader on a terminal keeps the process alive until
 * stdin closes, so the command would print its result and then hang. Ctrl-C at the prompt exits 130 quietly.
 */
export async function confirm(context: CliContext, question: string, action: string): Promise<boolean> {
  if (!context.io.stdin.isTTY) {
    throw new UsageError(`refusing to ${action} without confirmation: standard input is not a terminal`, {
      hint: "pass -y (--skip-confirmation) to proceed without a prompt",
    });
  }
  const { createInterface } = await import("node:readline");
  const reader = createInterface({ input: context.io.stdin, terminal: false });
  const lines = reader[Symbol.asyncIterator]();
  const onInterrupt = () => {
    context.io.stdout.write("\n");
    process.exit(INTERRUPTED_EXIT_CODE);
  };
  process.once("SIGINT", onInterrupt);
  try {
    for (;;) {
      context.io.stdout.write(`${question} (y/N) `);
      const next = await lines.next();
      const answer = next.done ? "" : String(next.value).trim().toLowerCase();
      if (answer === "y" || answer === "yes") return true;
      if (answer === "" || answer === "n" || answer === "no") return false;
    }
  } finally {
    process.removeListener("SIGINT", onInterrupt);
    await lines.return?.();
    reader.close();
    context.io.stdin.pause();
  }
}
