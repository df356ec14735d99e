/**
 * The platform floor (worker.ts) served like Quire: wrangler dev on 127.0.0.1 with its
 * own port, --persist-to state dir and process group, X_LOCAL_OBSERVABILITY=false as
 * scripts/serve.mjs sets it, and the compatibility date and flags of Quire's built
 * config (dist/quire/wrangler.json, which run.ts builds first) so they cannot drift.
 *
 * It is started through scripts/serve.mjs itself (QUIRE_WRANGLER_CONFIG points it at
 * the floor's config), so both run the same wrangler process with the same Node flags.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { ServerSpec } from "../managed";

interface BuiltConfig {
  compatibility_date?: string;
  compatibility_flags?: string[];
}

function quireCompat(root: string): string[] {
  const path = join(root, "dist/quire/wrangler.json");
  const built = JSON.parse(readFileSync(path, "utf8")) as BuiltConfig;
  if (!built.compatibility_date) throw new Error(`${path} has no compatibility_date`);
  const flags = (built.compatibility_flags ?? []).flatMap((f) => ["--compatibility-flag", f]);
  return ["--compatibility-date", built.compatibility_date, ...flags];
}

export function bareSpec(root: string): ServerSpec {
  return floorSpec(root, "bare");
}

/** The same floor with a durable SQLite append per update before its broadcast
 * (worker.ts): what the durability rule alone costs on this path. */
export function bareDurableSpec(root: string): ServerSpec {
  return floorSpec(root, "bare-durable");
}

function floorSpec(root: string, id: "bare" | "bare-durable"): ServerSpec {
  const projectNode = join(root, "node_modules/.bin/node");
  const durable = id === "bare-durable";
  return {
    id,
    label: durable ? "y-partyserver bare + durable append (durable floor)" : "y-partyserver bare (platform floor)",
    // It appends but never loads back: cold load, storage and crash stay n/a.
    persists: false,
    durableAck: false,
    healthPath: "/api/health",
    startTimeoutMs: 60_000,
    launch: (port, stateDir) => ({
      // Wrangler needs the project's Node 24, as in scripts/serve.mjs.
      cmd: existsSync(projectNode) ? projectNode : process.execPath,
      args: [join(root, "scripts/serve.mjs"), ...quireCompat(root), ...(durable ? ["--var", "DURABLE_APPEND:1"] : [])],
      env: {
        ...process.env,
        PORT: String(port),
        QUIRE_STATE_DIR: stateDir,
        QUIRE_WRANGLER_CONFIG: join(root, "bench/servers/bare/wrangler.toml"),
        X_LOCAL_OBSERVABILITY: "false",
        NO_COLOR: "1",
        WRANGLER_SEND_METRICS: "false",
      },
    }),
    createRoom: async (base, name) => ({ name, url: `${base.ws}/parties/document/${encodeURIComponent(name)}`, opts: {} }),
  };
}
