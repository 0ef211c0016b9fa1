import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/**
 * The one vitest setup of the repo's packages. `withMock` adds the global setup that starts
 * the Prism mock once per run (through @components-analytics/mock) and hands tests its URL.
 */
export function packageTestConfig({ withMock = false } = {}) {
  return defineConfig({
    test: {
      globalSetup: withMock
        ? [fileURLToPath(new URL("./scripts/vitest-mock-setup.ts", import.meta.url))]
        : [],
      include: ["test/**/*.test.ts"],
      testTimeout: 30_000,
      hookTimeout: 60_000,
    },
  });
}
