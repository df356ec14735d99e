/**
 * `npm run serve` (and so `npm start`): serves the built app with ONE workerd and no
 * dev proxy in front of it, through Miniflare's API: Quire's Worker, its Durable
 * Objects (SQLite) and R2 persisted under QUIRE_STATE_DIR (default .wrangler/state,
 * the same v3/ layout `wrangler dev --persist-to` uses), its static assets, on PORT.
 *
 * Clients reach a small "edge" Worker on a socket of its own, which hands every
 * request to Quire's Worker (assets router first, as on Cloudflare). It carries
 * Quire's compatibility date and flags, so it is the outermost Worker, as Quire's
 * Worker is on Cloudflare: a flag such as `no_web_socket_compression` in wrangler.toml
 * then decides the WebSocket handshake here too (with Miniflare's own entry Worker or
 * wrangler dev's proxy in front, their flags did; bench/README.md "Serving path").
 *
 * AI settings set in the shell (OPENAI_API_KEY, OPENAI_BASE_URL, AI_MODEL) become
 * Worker vars and override .dev.vars; nothing here prints their values.
 * CREATE_DOCS_PER_MINUTE is passed on the same way. QUIRE_TRUSTED_PROXY (opt-in) goes to
 * the edge: behind a reverse proxy, the client address is taken from X-Forwarded-For
 * (scripts/edge.js); a malformed entry stops the server from starting. Arguments `--var NAME:VALUE`,
 * `--compatibility-date D` and `--compatibility-flag F` are accepted (the bench's
 * floors use them). QUIRE_SERVE=wrangler serves with `wrangler dev` instead, as
 * before issue 17 (scripts/serve-wrangler.mjs), for comparison.
 */
import { execFileSync, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const env = process.env;
const IPADDR_PATH = fileURLToPath(new URL("../node_modules/ipaddr.js/lib/ipaddr.js", import.meta.url));
// The serving Node process only supervises workerd (no request passes through it), so
// it favours memory over speed, as wrangler's did (node flags cannot be set in an npm script).
const NODE_FLAGS = ["--no-warnings", "--optimize-for-size", "--max-semi-space-size=1"];
if (env.QUIRE_SERVE === "wrangler") {
  await import("./serve-wrangler.mjs");
} else if (!env.QUIRE_SERVE_FLAGS_SET) {
  // Miniflare needs the project's Node 24 (a devDependency) even if an older node runs this.
  const projectNode = fileURLToPath(new URL("../node_modules/.bin/node", import.meta.url));
  const node = existsSync(projectNode) ? projectNode : process.execPath;
  const argv = [...NODE_FLAGS, fileURLToPath(import.meta.url), ...process.argv.slice(2)];
  const childEnv = { ...env, QUIRE_SERVE_FLAGS_SET: "1" };
  if (typeof process.execve === "function") {
    // Become the server rather than wait beside it: one process fewer, and signals
    // (kill -9 of the group in the crash tests) reach it directly.
    process.execve(node, [node, ...argv], childEnv);
  }
  const child = spawn(node, argv, { stdio: "inherit", env: childEnv });
  for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
  child.on("exit", (code, signal) => process.exit(signal ? 1 : (code ?? 1)));
} else {
  await serve();
}

async function serve() {
  const { Miniflare, Log, LogLevel, convertV4MiniflareOptions } = await import("miniflare");
  const root = fileURLToPath(new URL("..", import.meta.url));
  const AI_SETTINGS = ["OPENAI_API_KEY", "OPENAI_BASE_URL", "AI_MODEL"];

  // The bench serves its platform floor (bench/servers/bare) through this same script.
  const configPath = resolve(root, env.QUIRE_WRANGLER_CONFIG || "dist/quire/wrangler.json");
  const { args, vars } = parseArgs(process.argv.slice(2));
  const cleanup = [];

  // Quire's build output is a ready bundle; a config whose main is TypeScript (the
  // floors) is bundled first by wrangler itself, as wrangler dev would.
  const optionsDir = mkdtempSync(join(tmpdir(), "quire-serve-"));
  const optionsFile = join(optionsDir, "worker-options.json");
  execFileSync(process.execPath, [join(root, "scripts/worker-options.mjs"), configPath, optionsFile], { stdio: "inherit" });
  const workerOptions = JSON.parse(readFileSync(optionsFile, "utf8"));
  rmSync(optionsDir, { recursive: true, force: true });
  const text = readFileSync(configPath, "utf8");
  const parsed = configPath.endsWith(".json") ? JSON.parse(text) : null;
  const mainField = parsed ? parsed.main : /^main\s*=\s*"([^"]+)"/m.exec(text)?.[1];
  // The Worker's name keys its Durable Objects' storage (v3/do/<name>-<Class>), as in wrangler dev.
  const configName = parsed ? parsed.name : /^name\s*=\s*"([^"]+)"/m.exec(text)?.[1];
  if (!mainField) throw new Error(`${configPath} has no main`);
  const main = resolve(dirname(configPath), mainField);
  let scriptPath = main;
  if (!main.endsWith(".js")) {
    const out = mkdtempSync(join(tmpdir(), "quire-serve-"));
    cleanup.push(() => rmSync(out, { recursive: true, force: true }));
    execFileSync(
      process.execPath,
      [join(root, "node_modules/wrangler/wrangler-dist/cli.js"), "deploy", "--dry-run", "--outdir", out, "-c", configPath],
      { stdio: "ignore", env: { ...env, WRANGLER_SEND_METRICS: "false" } },
    );
    const js = readdirSync(out).find((f) => f.endsWith(".js"));
    if (!js) throw new Error(`wrangler produced no bundle for ${configPath}`);
    scriptPath = join(out, js);
  }

  const { rootPath: _rootPath, defaultPersistRoot: _persist, ...worker } = workerOptions;
  const compatibilityDate = args.compatibilityDate ?? worker.compatibilityDate;
  const compatibilityFlags = args.compatibilityFlags.length ? args.compatibilityFlags : (worker.compatibilityFlags ?? []);
  const bindings = { ...worker.bindings, ...vars };
  for (const name of AI_SETTINGS) if (env[name]) bindings[name] = env[name];
  if (env.CREATE_DOCS_PER_MINUTE) bindings.CREATE_DOCS_PER_MINUTE = env.CREATE_DOCS_PER_MINUTE;
  // bench/cost.ts counts what Cloudflare bills inside the Durable Object (worker/lib/meter.ts).
  if (env.QUIRE_METER) bindings.QUIRE_METER = env.QUIRE_METER;
  const passed = AI_SETTINGS.filter((n) => env[n]);
  if (passed.length) console.log(`AI settings from the environment: ${passed.join(", ")}`);

  const name = configName ?? "quire";
  const port = Number(env.PORT || 8787);
  const trustedProxy = trustedProxySetting(env.QUIRE_TRUSTED_PROXY);
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      host: "127.0.0.1",
      // Miniflare's own entry socket (unused: clients come in through the edge's).
      port: 0,
      ...(env.QUIRE_INSPECTOR_PORT ? { inspectorPort: Number(env.QUIRE_INSPECTOR_PORT) } : {}),
      resourcePersistencePath: resolve(env.QUIRE_STATE_DIR || ".wrangler/state", "v3"),
      log: new Log(LogLevel.WARN),
      logRequests: false,
      cf: false,
      workers: [
        {
          name: "edge",
          modulesRoot: join(root, "scripts"),
          modules: [
            { type: "ESModule", path: join(root, "scripts/edge.js"), contents: readFileSync(join(root, "scripts/edge.js"), "utf8") },
            // The address parser the Worker uses too (worker/api/create-limit.ts), as `ipaddr.js`.
            { type: "CommonJS", path: join(root, "scripts/ipaddr.js"), contents: readFileSync(IPADDR_PATH, "utf8") },
          ],
          compatibilityDate,
          compatibilityFlags,
          bindings: { TRUSTED_PROXY: trustedProxy },
          serviceBindings: { APP: name },
          unsafeDirectSockets: [{ host: "127.0.0.1", port }],
        },
        {
          ...worker,
          name,
          bindings,
          compatibilityDate,
          compatibilityFlags,
          modules: true,
          scriptPath,
          modulesRoot: dirname(scriptPath),
        },
      ],
    }),
  );
  await mf.ready;
  console.log(`Ready on http://127.0.0.1:${port}`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await mf.dispose().catch(() => {});
    for (const f of cleanup) f();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

/** QUIRE_TRUSTED_PROXY, checked: "" (off), "1" (the proxy in front), or addresses and
 * CIDR ranges of further proxies, comma-separated. Exits on anything else. */
function trustedProxySetting(raw) {
  const value = (raw ?? "").trim();
  if (value === "" || value === "0") return "";
  const require = createRequire(import.meta.url);
  const ipaddr = require(IPADDR_PATH);
  const bad = value
    .split(",")
    .map((p) => p.trim())
    .filter((p) => p !== "" && p !== "1" && !(p.includes("/") ? ipaddr.isValidCIDR(p) : ipaddr.isValid(p)));
  if (bad.length > 0) {
    console.error(`QUIRE_TRUSTED_PROXY: not an address or CIDR range: ${bad.join(", ")}`);
    process.exit(1);
  }
  console.log(`Behind a trusted proxy: client addresses come from X-Forwarded-For (QUIRE_TRUSTED_PROXY=${value})`);
  return value;
}

function parseArgs(argv) {
  const args = { compatibilityDate: undefined, compatibilityFlags: [] };
  const vars = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === "--var") {
      const v = next();
      const at = v.indexOf(":");
      vars[v.slice(0, at)] = v.slice(at + 1);
    } else if (a === "--compatibility-date") args.compatibilityDate = next();
    else if (a === "--compatibility-flag") args.compatibilityFlags.push(next());
    else throw new Error(`scripts/serve.mjs: unknown argument ${a}`);
  }
  return { args, vars };
}
