import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, defineConfig } from "@playwright/test";
import { TEST_CREATE_DOCS_PER_MINUTE } from "./e2e/support/server";

// A random high port unless one is given, so parallel runs (another checkout, a
// second terminal) never collide; workers inherit it through the environment.
process.env.E2E_PORT ??= String(20_000 + Math.floor(Math.random() * 20_000));
const PORT = Number(process.env.E2E_PORT);
const BASE = `http://127.0.0.1:${PORT}`;

/** Playwright's own Chromium when it is installed; otherwise the system's (Debian's
 * `chromium` package), or whatever CHROMIUM_PATH names. */
function chromiumPath(): string | undefined {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  try {
    if (existsSync(chromium.executablePath())) return undefined;
  } catch {
    /* no bundled browser */
  }
  return ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].find((p) => existsSync(p));
}

// A fresh state folder per run: tests never see documents from earlier runs.
const stateDir = process.env.E2E_STATE_DIR ?? mkdtempSync(join(tmpdir(), "quire-e2e-"));

export default defineConfig({
  testDir: "e2e",
  testMatch: /.*\.spec\.ts$/,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: process.env.CI ? [["list"]] : [["list"]],
  use: {
    baseURL: BASE,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: chromiumPath(),
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    },
  },
  webServer: {
    // Exactly what `npm start` serves (the build is made by `npm test` beforehand).
    command: `npm run serve`,
    // Every browser here comes from 127.0.0.1 and the suite creates dozens of documents;
    // the per-address limit itself is tested in workerd (create-limit.workers.test.ts).
    env: { PORT: String(PORT), QUIRE_STATE_DIR: stateDir, CREATE_DOCS_PER_MINUTE: TEST_CREATE_DOCS_PER_MINUTE },
    url: `${BASE}/api/health`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "ignore",
    stderr: "pipe",
  },
});
