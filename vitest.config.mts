import { defineConfig } from "vitest/config";

/** Runtime code (handlers, service) keeps per-container state such as SDK clients: isolate its files. */
const RUNTIME_TESTS = ["__tests__/lambdas/**/*.test.ts", "__tests__/services/**/*.test.ts"];
/** The emulator tier (`npm run e2e`): minutes of real Terraform against moto, never part of `npm test`. */
const E2E_TESTS = ["__tests__/e2e/**/*.e2e.test.ts"];

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
          exclude: [...RUNTIME_TESTS, ...E2E_TESTS],
          // Infrastructure test files only read synthesized JSON, so they share a worker's module
          // cache: the provider bindings load, and the shipped app synthesizes, once per worker.
          isolate: false,
        },
      },
      { extends: true, test: { name: "runtime", include: RUNTIME_TESTS } },
      ...(process.env.E2E === "1"
        ? [{ extends: true as const, test: { name: "e2e", include: E2E_TESTS, testTimeout: 30 * 60_000, hookTimeout: 20 * 60_000, fileParallelism: false } }]
        : []),
    ],
  },
});
