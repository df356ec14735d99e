/**
 * `npm run serve` (and so `npm start`): wrangler dev on the built app. AI settings
 * set in the shell (OPENAI_API_KEY, OPENAI_BASE_URL, AI_MODEL) are passed on as
 * --var, which wrangler shows as "(hidden)" and which override .dev.vars; nothing
 * here prints their values.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const AI_SETTINGS = ["OPENAI_API_KEY", "OPENAI_BASE_URL", "AI_MODEL"];
const env = process.env;

const args = [
  "dev",
  "-c",
  "dist/quire/wrangler.json",
  "--ip",
  "127.0.0.1",
  "--port",
  env.PORT || "8787",
  "--persist-to",
  env.QUIRE_STATE_DIR || ".wrangler/state",
  "--inspector-port",
  "0",
  "--show-interactive-dev-session=false",
];
for (const name of AI_SETTINGS) {
  if (env[name]) args.push("--var", `${name}:${env[name]}`);
}
const passed = AI_SETTINGS.filter((n) => env[n]);
if (passed.length) console.log(`AI settings from the environment: ${passed.join(", ")}`);

const wrangler = fileURLToPath(new URL("../node_modules/wrangler/bin/wrangler.js", import.meta.url));
// Wrangler needs the project's Node 24 (a devDependency) even if an older node runs this.
const projectNode = fileURLToPath(new URL("../node_modules/.bin/node", import.meta.url));
const node = existsSync(projectNode) ? projectNode : process.execPath;
// wrangler dev's local observability collector turns every WebSocket message into
// tail events: measured 2.3–2.7 ms of extra Durable Object CPU per write (bench/README.md).
// It feeds only wrangler's local dashboard, never production; our log lines still print.
const childEnv = { ...env, X_LOCAL_OBSERVABILITY: env.X_LOCAL_OBSERVABILITY ?? "false" };
const child = spawn(node, [wrangler, ...args], { stdio: "inherit", env: childEnv });
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
child.on("exit", (code, signal) => process.exit(signal ? 1 : (code ?? 1)));
