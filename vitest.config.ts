import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["test/conformance/**", "node_modules/**"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    coverage: {
      provider: "v8",
      include: ["src/**/*.ts"],
      exclude: ["src/build/**"],
      reporter: ["text-summary", "json-summary"],
      // The pure core is where the rules live; its line coverage must not fall below this.
      thresholds: { "src/core/**": { lines: 85 } },
    },
  },
});
