import { defineConfig } from "vitest/config";

/** Runtime code (handlers, service) keeps per-container state such as SDK clients: isolate its files. */
const RUNTIME_TESTS = ["__tests__/lambdas/**/*.test.ts", "__tests__/services/**/*.test.ts"];

export default defineConfig({
  test: {
    pool: "threads",
    // Synthesis is CPU-bound; a few seconds covers the slowest file on two cores.
    testTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: {
          name: "infrastructure",
          include: ["__tests__/**/*.test.ts"],
          exclude: RUNTIME_TESTS,
          // Infrastructure test files only read synthesized JSON, so they share a worker's module
          // cache: the provider bindings load, and the shipped app synthesizes, once per worker.
          isolate: false,
        },
      },
      { extends: true, test: { name: "runtime", include: RUNTIME_TESTS } },
    ],
  },
});
