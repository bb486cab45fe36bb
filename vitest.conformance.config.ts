import { defineConfig } from "vitest/config";

// Conformance compares mesh with the upstream data in ../shared/reference; it is not part of `npm test`
// because a fresh clone does not have that directory.
export default defineConfig({
  test: {
    include: ["test/conformance/**/*.test.ts"],
    testTimeout: 300_000,
    // The charts suite renders 300+ chart variations in its setup: minutes on a loaded two-core machine.
    hookTimeout: 1_200_000,
    passWithNoTests: true,
  },
});
