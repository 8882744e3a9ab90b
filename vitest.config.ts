import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["__tests__/**/*.test.ts"],
    pool: "threads",
    // Synthesis is CPU-bound; a few seconds covers the slowest file on two cores.
    testTimeout: 30_000,
  },
});
