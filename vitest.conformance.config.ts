import { defineConfig } from "vitest/config";

// Conformance compares mesh with the upstream data in ../shared/reference; it is not part of `npm test`
// because a fresh clone does not have that directory.
export default defineConfig({
  test: {
    include: ["test/conformance/**/*.test.ts"],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    passWithNoTests: true,
  },
});
