/**
 * Starts Quire as `npm start` serves it (wrangler dev on the built app, via
 * scripts/serve.mjs) on a free port with its own state folder and environment, for
 * tests that need a server configured their own way (e.g. AI pointed at a stub, or
 * no AI at all). Builds the app first if dist/ is missing.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
/** Wrangler needs the project's Node (a devDependency), whatever node runs the tests. */
const projectNode = existsSync(join(root, "node_modules/.bin/node")) ? join(root, "node_modules/.bin/node") : process.execPath;

export interface QuireServer {
  url: string;
  output: () => string;
  stop: () => Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds unless dist/ is newer than every source file (a stale build would test old code). */
export function ensureBuilt(): void {
  const built = join(root, "dist/quire/wrangler.json");
  const sources = ["client", "worker", "shared"].map((d) => newestSource(join(root, d)));
  if (existsSync(built) && statSync(built).mtimeMs > Math.max(...sources, statSync(join(root, "wrangler.toml")).mtimeMs)) return;
  const r = spawnSync(projectNode, [join(root, "node_modules/vite/bin/vite.js"), "build"], { cwd: root, stdio: "inherit" });
  if (r.status !== 0) throw new Error("vite build failed");
}

/** `env` replaces the AI settings entirely: pass {} for a server with no AI configured. */
export async function startQuire(env: Record<string, string>): Promise<QuireServer> {
  ensureBuilt();
  const port = await freePort();
  const state = mkdtempSync(join(tmpdir(), "quire-e2e-"));
  const childEnv: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), QUIRE_STATE_DIR: state, ...env };
  for (const k of ["OPENAI_API_KEY", "OPENAI_BASE_URL", "AI_MODEL"]) if (!(k in env)) delete childEnv[k];
  let log = "";
  const child: ChildProcess = spawn(projectNode, [join(root, "scripts/serve.mjs")], {
    cwd: root,
    env: childEnv,
    detached: true, // its own process group, so stop() ends wrangler and workerd too
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (d: Buffer) => (log += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (log += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.pid) {
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        /* already gone */
      }
      await new Promise((r) => child.once("exit", r));
    }
    rmSync(state, { recursive: true, force: true });
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${log}`);
    try {
      if ((await fetch(`${url}/api/health`)).ok) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`server did not start:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, output: () => log, stop };
}

export async function createDocument(base: string, title = "AI test"): Promise<{ id: string; editUrl: string; viewUrl: string }> {
  const res = await fetch(`${base}/api/docs`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ title }) });
  if (res.status !== 201) throw new Error(`create failed: ${res.status}`);
  const d = (await res.json()) as { id: string; editUrl: string; viewUrl: string };
  // The API answers with its own origin; tests talk to this server.
  const local = (u: string) => u.replace(/^https?:\/\/[^/]+/, base);
  return { id: d.id, editUrl: local(d.editUrl), viewUrl: local(d.viewUrl) };
}
