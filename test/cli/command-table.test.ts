import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { commandTable } from "../../src/cli/main.js";

const commandFiles = readdirSync(new URL("../../src/cli/commands/", import.meta.url))
  .filter((file) => file.endsWith(".ts"))
  .map((file) => file.slice(0, -".ts".length));

describe("the command table", () => {
  it.each(commandTable.map((entry) => [entry.name, entry] as const))(
    "%s loads a module that registers the command",
    async (name, entry) => {
      const module = await entry.load();
      expect(typeof module.register).toBe("function");
      expect(commandFiles).toContain(name);
    },
  );

  it("names each command once", () => {
    const names = commandTable.map((entry) => entry.name);
    expect(new Set(names).size).toBe(names.length);
  });
});
