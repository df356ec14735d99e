import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";
import { aiStubBindings } from "./e2e/support/openai-stub.global-setup";

// The AI tests talk to a local OpenAI-compatible SSE stub (no model is reachable in
// tests) through the real @ai-sdk/openai provider; this setup starts it.
const AI_STUB_SETUP = "e2e/support/openai-stub.global-setup.ts";

export default defineConfig({
  test: {
    projects: [
      {
        // Pure logic, next to the code it tests.
        test: {
          name: "unit",
          environment: "node",
          include: ["shared/**/*.test.ts", "worker/**/*.unit.test.ts", "client/**/*.test.ts", "e2e/repo/*.test.ts"],
          globalSetup: [AI_STUB_SETUP],
        },
      },
      {
        // The Worker and Durable Object inside workerd, as deployed.
        plugins: [
          cloudflareTest(({ inject }) => ({
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: { bindings: aiStubBindings(inject("aiStubUrl")) },
          })),
        ],
        test: { name: "workers", include: ["worker/**/*.workers.test.ts"], globalSetup: [AI_STUB_SETUP] },
      },
      {
        // Real server processes (wrangler dev on the built app): crash, replay, load, hibernation.
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
