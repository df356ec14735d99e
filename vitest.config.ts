import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      {
        // Pure logic, next to the code it tests.
        test: {
          name: "unit",
          environment: "node",
          include: ["shared/**/*.test.ts", "worker/**/*.unit.test.ts", "client/**/*.test.ts"],
        },
      },
      {
        // The Worker and Durable Object inside workerd, as deployed.
        plugins: [cloudflareTest({ wrangler: { configPath: "./wrangler.toml" } })],
        test: { name: "workers", include: ["worker/**/*.workers.test.ts"] },
      },
      {
        // Real server processes (wrangler dev on the built app): crash and replay tests.
        test: {
          name: "integration",
          environment: "node",
          include: ["e2e/**/*.int.test.ts"],
          testTimeout: 300_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
