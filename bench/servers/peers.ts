/** The peers Quire is compared with, each run by Node (the same Node 24 as the bench). */
import { join } from "node:path";
import type { ServerSpec } from "./managed";

export function hocuspocusSpec(root: string): ServerSpec {
  return {
    id: "hocuspocus",
    label: "Hocuspocus 4 + SQLite",
    persists: true,
    durableAck: false,
    healthPath: "/",
    startTimeoutMs: 20_000,
    launch: (port, stateDir) => ({
      cmd: process.execPath,
      args: [join(root, "bench/servers/hocuspocus-entry.ts")],
      env: { ...process.env, HOCUSPOCUS_PORT: String(port), HOCUSPOCUS_DB: join(stateDir, "hocuspocus.sqlite"), NODE_ENV: "production" },
    }),
    createRoom: async (base, name) => ({ name, url: base.ws, opts: { hocuspocusName: name } }),
  };
}

export function yWebsocketSpec(root: string): ServerSpec {
  return {
    id: "y-websocket",
    label: "@y/websocket-server (in memory)",
    persists: false,
    durableAck: false,
    healthPath: "/",
    startTimeoutMs: 20_000,
    // The package's own server script, exactly as `npx y-websocket` runs it.
    launch: (port) => ({
      cmd: process.execPath,
      args: [join(root, "bench/node_modules/@y/websocket-server/src/server.js")],
      env: { ...process.env, HOST: "127.0.0.1", PORT: String(port) },
    }),
    createRoom: async (base, name) => ({ name, url: `${base.ws}/${encodeURIComponent(name)}`, opts: {} }),
  };
}
