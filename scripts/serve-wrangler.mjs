/**
 * `QUIRE_SERVE=wrangler npm run serve`: the serving path before issue 17, wrangler dev
 * on the built app (a proxy workerd in front of the runtime workerd), kept to compare
 * with scripts/serve.mjs. AI settings set in the shell (OPENAI_API_KEY, OPENAI_BASE_URL,
 * AI_MODEL) are passed on as --var, which wrangler shows as "(hidden)"; nothing here
 * prints their values. CREATE_DOCS_PER_MINUTE is passed on the same way.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const AI_SETTINGS = ["OPENAI_API_KEY", "OPENAI_BASE_URL", "AI_MODEL"];
const env = process.env;

const args = [
  "dev",
  "-c",
  // The bench serves its platform floor (bench/servers/bare) through this same script.
  env.QUIRE_WRANGLER_CONFIG || "dist/quire/wrangler.json",
  "--ip",
  "127.0.0.1",
  "--port",
  env.PORT || "8787",
  "--persist-to",
  env.QUIRE_STATE_DIR || ".wrangler/state",
  "--inspector-port",
  // 0 picks a free port; bench/profile-do.ts sets one to profile the Durable Object.
  env.QUIRE_INSPECTOR_PORT || "0",
  "--show-interactive-dev-session=false",
];
// Extra wrangler dev arguments after the script name are passed on.
args.push(...process.argv.slice(2));
for (const name of AI_SETTINGS) {
  if (env[name]) args.push("--var", `${name}:${env[name]}`);
}
// Not secret, so passed in the open: the per-address limit on new documents (the test
// servers and the bench raise it; see wrangler.toml).
if (env.CREATE_DOCS_PER_MINUTE) args.push("--var", `CREATE_DOCS_PER_MINUTE:${env.CREATE_DOCS_PER_MINUTE}`);
const passed = AI_SETTINGS.filter((n) => env[n]);
if (passed.length) console.log(`AI settings from the environment: ${passed.join(", ")}`);

// wrangler's bin script only re-launches Node on wrangler-dist/cli.js; starting that
// directly saves a Node process (~40 MiB).
const wrangler = fileURLToPath(new URL("../node_modules/wrangler/wrangler-dist/cli.js", import.meta.url));
// Wrangler needs the project's Node 24 (a devDependency) even if an older node runs this.
const projectNode = fileURLToPath(new URL("../node_modules/.bin/node", import.meta.url));
const node = existsSync(projectNode) ? projectNode : process.execPath;
// wrangler's Node process only supervises workerd (no request passes through it), so
// it is told to favour memory over speed: 340 → 290 MiB RSS, measured after start.
const nodeFlags = ["--no-warnings", "--optimize-for-size", "--max-semi-space-size=1"];
// wrangler dev's local observability collector turns every WebSocket message into
// tail events: measured 2.3–2.7 ms of extra Durable Object CPU per write (bench/README.md).
// It feeds only wrangler's local dashboard, never production; our log lines still print.
const childEnv = { ...env, X_LOCAL_OBSERVABILITY: env.X_LOCAL_OBSERVABILITY ?? "false" };
const argv = [node, ...nodeFlags, wrangler, ...args];

if (typeof process.execve === "function" && !env.QUIRE_SERVE_SPAWN) {
  // Become wrangler rather than wait beside it (Node ≥ 23.11): one process fewer
  // (~44 MiB), and signals reach wrangler directly.
  process.execve(node, argv, childEnv);
}
const child = spawn(node, argv.slice(1), { stdio: "inherit", env: childEnv });
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
child.on("exit", (code, signal) => process.exit(signal ? 1 : (code ?? 1)));
