/**
 * Starts Quire as `npm start` serves it (scripts/serve.mjs: one workerd via Miniflare,
 * SQLite-backed DOs under a state folder) in its own process group, so tests and the
 * bench can kill -9 the whole tree and restart it on the same state.
 */
import { execSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { CreateDocResponse } from "../../shared/api";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
/** The project's Node 24 (a devDependency), whatever node runs the tests. */
const NODE = existsSync(join(ROOT, "node_modules/.bin/node")) ? join(ROOT, "node_modules/.bin/node") : process.execPath;

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Builds the app once if no build exists (npm test builds first; this covers direct runs). */
export function ensureBuilt(root = ROOT): void {
  if (!existsSync(join(root, "dist/quire/wrangler.json"))) {
    execSync(`"${NODE}" node_modules/vite/bin/vite.js build`, { cwd: root, stdio: "inherit" });
  }
}

export interface QuireServer {
  port: number;
  stateDir: string;
  http: string;
  ws: string;
  /** SIGKILL to the whole process group: wrangler, workerd, everything. */
  kill9(): Promise<void>;
  stop(): Promise<void>;
  log(): string;
  /** Resident memory of the whole server process tree (wrangler + workerd), bytes. */
  rssBytes(): number;
  /** The server's process group (its Node supervisor's pid), for per-process readings. */
  pgid: number;
}

/** Sums VmRSS over every process in a process group (Linux /proc). */
export function groupRssBytes(pgid: number): number {
  let total = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // Fields after the ")" of the command name: state ppid pgrp ...
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[2]) !== pgid) continue;
      const status = readFileSync(`/proc/${entry}/status`, "utf8");
      const kb = /VmRSS:\s+(\d+)/.exec(status)?.[1];
      if (kb) total += Number(kb) * 1024;
    } catch {
      /* the process ended while we looked */
    }
  }
  return total;
}

const AI_SETTINGS = ["OPENAI_API_KEY", "OPENAI_BASE_URL", "AI_MODEL"];
/** The per-address creation limit for servers that tests and benches start. */
export const TEST_CREATE_DOCS_PER_MINUTE = "100000";

export interface StartOptions {
  port?: number;
  stateDir?: string;
  /** Extra environment. AI settings are never inherited from the shell: a test that
   * wants AI passes them here (pass none for a server with AI not configured). */
  env?: Record<string, string>;
  /** Another checkout to serve (its scripts/serve.mjs and build): bench/wear.ts
   * compares an older commit's server with this one on the same machine. */
  root?: string;
}

export async function startQuire(opts: StartOptions = {}): Promise<QuireServer> {
  const root = opts.root ?? ROOT;
  ensureBuilt(root);
  const port = opts.port ?? (await freePort());
  const stateDir = opts.stateDir ?? mkdtempSync(join(tmpdir(), "quire-state-"));
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), QUIRE_STATE_DIR: stateDir, WRANGLER_SEND_METRICS: "false" };
  for (const k of AI_SETTINGS) delete env[k];
  // Every test client comes from 127.0.0.1 and some create documents by the dozen; the
  // limit itself is tested in workerd (worker/api/create-limit.workers.test.ts).
  env.CREATE_DOCS_PER_MINUTE = TEST_CREATE_DOCS_PER_MINUTE;
  Object.assign(env, opts.env);
  let output = "";
  // Exactly `npm run serve` (scripts/serve.mjs → Miniflare → workerd), in its own process group.
  const child: ChildProcess = spawn(NODE, [join(root, "scripts/serve.mjs")], {
    cwd: root,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env,
  });
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const http = `http://127.0.0.1:${port}`;

  const killGroup = async (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      /* already gone */
    }
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  };

  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${output}`);
    try {
      const res = await fetch(`${http}/api/health`);
      if (res.ok) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) {
      await killGroup("SIGKILL");
      throw new Error(`server did not become healthy:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  return {
    port,
    stateDir,
    http,
    ws: `ws://127.0.0.1:${port}`,
    kill9: () => killGroup("SIGKILL"),
    stop: () => killGroup("SIGTERM"),
    log: () => output,
    rssBytes: () => groupRssBytes(child.pid!),
    pgid: child.pid!,
  };
}

export async function createDoc(server: { http: string }, title?: string): Promise<CreateDocResponse> {
  const res = await fetch(`${server.http}/api/docs`, { method: "POST", body: JSON.stringify(title ? { title } : {}) });
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as CreateDocResponse;
}

export function docUrl(server: { ws: string }, id: string, token: string): string {
  return `${server.ws}/parties/document/${id}?token=${token}`;
}
