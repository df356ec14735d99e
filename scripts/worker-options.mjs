/**
 * `node scripts/worker-options.mjs <wrangler config> <out.json>`: writes the Miniflare
 * worker options wrangler derives from a config (bindings, Durable Objects, R2, assets,
 * .dev.vars) as JSON. scripts/serve.mjs runs it in a short-lived process so the
 * serving process never loads wrangler (~150 MiB of RSS for as long as it serves).
 */
import { writeFileSync } from "node:fs";
import { unstable_getMiniflareWorkerOptions } from "wrangler";

const [configPath, out] = process.argv.slice(2);
if (!configPath || !out) throw new Error("usage: worker-options.mjs <config> <out.json>");
const { workerOptions } = unstable_getMiniflareWorkerOptions(configPath);
// Wrangler's module rules hold RegExps and the build output needs none.
const { modulesRules: _rules, ...rest } = workerOptions;
writeFileSync(out, JSON.stringify(rest), { mode: 0o600 });
