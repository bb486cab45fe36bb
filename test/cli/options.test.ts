import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { requestTimeoutOption, timeoutOption } from "../../src/cli/options.js";

function parse(option: ReturnType<typeof timeoutOption>, args: string[]): Record<string, unknown> {
  const program = new Command()
    .exitOverride()
    .configureOutput({ writeErr: () => undefined })
    .addOption(option);
  program.parse(args, { from: "user" });
  return program.opts();
}

describe("duration flags are checked when they are read", () => {
  it.each([
    ["--timeout", timeoutOption()],
    ["--request-timeout", requestTimeoutOption()],
  ])("%s refuses a malformed duration even when the command would not use it", (flag, option) => {
    expect(() => parse(option, [flag, "banana"])).toThrow(/use a duration such as 30s/);
    expect(() => parse(option, [flag, "-5s"])).toThrow(/use a duration/);
  });

  it("keeps a valid duration's text for the command", () => {
    expect(parse(timeoutOption(), ["--timeout", "1m30s"]).timeout).toBe("1m30s");
    expect(parse(requestTimeoutOption(), []).requestTimeout).toBe("30s");
  });
});
