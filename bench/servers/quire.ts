/**
 * Quire exactly as `npm start` serves it after `vite build`: the package.json "serve"
 * script (scripts/serve.mjs → Miniflare → one workerd, Durable Object with SQLite), run through `sh -c`
 * with its own PORT and QUIRE_STATE_DIR. Read from package.json so it cannot drift.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createDocResponseSchema } from "../../shared/api";
import { TEST_CREATE_DOCS_PER_MINUTE } from "../../e2e/support/server";
import { sleep } from "../lib/log";
import type { ServerSpec } from "./managed";
import type { MeterCounts, Room } from "./types";

/** The same server, its clients not offering permessage-deflate (the tests' client):
 * the second row, what Quire costs when compression is off end to end. */
export function quirePlainSpec(root: string): ServerSpec {
  return { ...quireSpec(root), id: "quire-plain", label: "Quire, clients without permessage-deflate", clientDeflate: false };
}

/** Quire served as before issue 17 (QUIRE_SERVE=wrangler: wrangler dev, its proxy
 * workerd in front of the runtime), to compare serving paths; not in the default set. */
export function quireWranglerSpec(root: string): ServerSpec {
  const spec = quireSpec(root);
  return {
    ...spec,
    id: "quire-wrangler",
    label: "Quire served by wrangler dev (before issue 17)",
    launch: (port, stateDir) => {
      const l = spec.launch(port, stateDir);
      return { ...l, env: { ...l.env, QUIRE_SERVE: "wrangler" } };
    },
  };
}

export function quireSpec(root: string): ServerSpec {
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { scripts: Record<string, string> };
  const serve = pkg.scripts["serve"];
  if (!serve) throw new Error('package.json has no "serve" script');
  return {
    id: "quire",
    label: "Quire (workerd + DO + SQLite)",
    persists: true,
    durableAck: true,
    healthPath: "/api/health",
    startTimeoutMs: 60_000,
    launch: (port, stateDir) => ({
      cmd: "sh",
      args: ["-c", serve],
      env: {
        ...process.env,
        PATH: `${join(root, "node_modules/.bin")}:${process.env.PATH ?? ""}`,
        PORT: String(port),
        QUIRE_STATE_DIR: stateDir,
        // No colour codes and no update check in the server log.
        NO_COLOR: "1",
        WRANGLER_SEND_METRICS: "false",
        // The rooms workload creates hundreds of documents from 127.0.0.1 at once.
        CREATE_DOCS_PER_MINUTE: TEST_CREATE_DOCS_PER_MINUTE,
      },
    }),
    meter: {
      env: { QUIRE_METER: "1" },
      read: readMeter,
    },
    async createRoom(base, name) {
      const res = await fetch(`${base.http}/api/docs`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ title: name }),
      });
      if (res.status !== 201) throw new Error(`POST /api/docs: ${res.status} ${await res.text()}`);
      const doc = createDocResponseSchema.parse(await res.json());
      return { name: doc.id, url: `${base.ws}/parties/document/${doc.id}?token=${doc.editToken}`, opts: {} };
    },
  };
}

/**
 * The meter logs its totals as one "meter" line at most once a second, on activity
 * (worker/lib/meter.ts). After a second of quiet, a /stats request (which reads a few
 * rows and writes none) makes it log everything so far; the last such line is read.
 */
async function readMeter(room: Room, logFile: string): Promise<MeterCounts | null> {
  const url = new URL(room.url);
  const token = url.searchParams.get("token") ?? "";
  await sleep(1100);
  const res = await fetch(`http://${url.host}/api/docs/${room.name}/stats`, { headers: { authorization: `Bearer ${token}` } });
  await res.text();
  await sleep(300);
  const last = readFileSync(logFile, "utf8")
    .split("\n")
    .filter((l) => l.includes('"event":"meter"'))
    .at(-1);
  if (!last) return null;
  const m = JSON.parse(last.slice(last.indexOf("{"))) as MeterCounts;
  return { rowsRead: m.rowsRead, rowsWritten: m.rowsWritten };
}
