import { defineConfig } from "vitest/config";

// Two projects: fast unit tests (Pulumi mocks, pure functions) and integration tests on the real
// engine. The machine has 2 cores; engine tests each start several processes, so they run one file
// at a time.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["test/unit/**/*.test.ts"],
          // Every file imports @pulumi/aws (seconds to load); sharing loaded modules across files in a
          // worker cut the unit run from ~90 s to ~27 s. Each test installs its own mocks and config.
          isolate: false,
        },
      },
      {
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          fileParallelism: false,
          testTimeout: 240_000,
          hookTimeout: 240_000,
        },
      },
    ],
  },
});
