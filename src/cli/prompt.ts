import { UsageError } from "../core/errors.js";
import type { CliContext } from "./context.js";

/** Asks on stdout, reads stdin: y/yes proceeds, n/no/empty/EOF cancels, anything else asks again. */
export async function confirm(context: CliContext, question: string, action: string): Promise<boolean> {
  if (!context.io.stdin.isTTY) {
    throw new UsageError(`refusing to ${action} without confirmation: standard input is not a terminal`, {
      hint: "pass -y (--skip-confirmation) to proceed without a prompt",
    });
  }
  const { createInterface } = await import("node:readline");
  const lines = createInterface({ input: context.io.stdin, terminal: false })[Symbol.asyncIterator]();
  try {
    for (;;) {
      context.io.stdout.write(`${question} (y/N) `);
      const next = await lines.next();
      const answer = next.done ? "" : String(next.value).trim().toLowerCase();
      if (answer === "y" || answer === "yes") return true;
      if (answer === "" || answer === "n" || answer === "no") return false;
    }
  } finally {
    await lines.return?.();
  }
}
