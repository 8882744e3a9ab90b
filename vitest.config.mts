import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

/**
 * The integration tier: tests that start another process (moto, the backend service, esbuild,
 * main.ts, the scan's Python, bash reading the toolchain env file), and the handlers', which keep
 * per-process state such as SDK clients, so each file is isolated. Everything else is the unit
 * tier: synthesized JSON and pure functions (the runtime code's validation and configuration
 * included), in one process per worker.
 */
const INTEGRATION_TESTS = [
  "__tests__/lambdas/tips/*.test.ts",
  "__tests__/lambdas/tips/lib/!(validation).test.ts",
  "__tests__/services/backend/!(config).test.ts",
  "__tests__/main.test.ts",
  "__tests__/modules/core/lambda-bundle.test.ts",
  // The GuardDuty cleanup's aws CLI calls, against moto.
  "__tests__/modules/network/guard-duty-endpoint-cleanup.test.ts",
  "__tests__/scripts/scan-suppressions.test.ts",
  "__tests__/scripts/toolchain-cache.test.ts",
  // The TypeScript 7 compiler API runs the native tsgo binary as a child process.
  "__tests__/scripts/docs/modules.test.ts",
];
/** The emulator tier (IAM enforced, real Terraform) runs only through `npm run e2e`, never in `npm test`. */
const E2E_TESTS = ["__tests__/e2e/**"];

export default defineConfig({
  test: {
    pool: "threads",
    // Tests are CPU-bound and the main process mostly waits: one worker per core (vitest keeps one
    // core back by default, half the machine on two cores).
    maxWorkers: availableParallelism(),
    // Synthesis is CPU-bound; a few seconds covers the slowest file on two cores.
    testTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["__tests__/**/*.test.ts"],
          exclude: [...INTEGRATION_TESTS, ...E2E_TESTS],
          // Unit test files only read synthesized JSON, so they share a worker's module cache: the
          // provider bindings load, and the shipped app synthesizes, once per worker.
          isolate: false,
          setupFiles: ["__tests__/support/unit-setup.ts"],
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: INTEGRATION_TESTS,
          // moto comes from the toolchain's Python venv: install it (cached after the first run).
          globalSetup: ["__tests__/support/integration-setup.ts"],
        },
      },
      ...(process.env.E2E === "1"
        ? [{ extends: true as const, test: { name: "e2e", include: ["__tests__/e2e/**/*.e2e.test.ts"], testTimeout: 30 * 60_000, hookTimeout: 20 * 60_000, fileParallelism: false } }]
        : []),
    ],
  },
});
