/**
 * Hocuspocus's SQLite extension uses better-sqlite3, a native addon built by
 * `npm ci` for the Node that ran npm (the system Node here), while the bench and its
 * servers run on the project's Node 24. If the addon does not load under this Node,
 * rebuild it once against this Node's own headers, taken from the registry's
 * node-<platform>-<arch> package of the same version (no other download).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { progress } from "./log";

function loads(root: string): boolean {
  const r = spawnSync(process.execPath, ["-e", "new (require('better-sqlite3'))(':memory:').close()"], { cwd: root, stdio: "ignore" });
  return r.status === 0;
}

export function ensureBetterSqlite(root: string): void {
  if (loads(root)) return;
  const version = process.versions.node;
  const pkg = `node-${process.platform}-${process.arch}@${version}`;
  const dir = join(root, ".tmp", `node-headers-${version}`);
  if (!existsSync(join(dir, "package", "include", "node", "node.h"))) {
    progress(`better-sqlite3 was built for another Node; fetching ${pkg} headers (one time)`);
    mkdirSync(dir, { recursive: true });
    const tgz = execFileSync("npm", ["pack", pkg, "--silent"], { cwd: dir, encoding: "utf8" }).trim().split("\n").pop()!;
    execFileSync("tar", ["xzf", tgz, "package/include"], { cwd: dir });
  }
  progress(`rebuilding better-sqlite3 for Node ${version} (one time, ~1-2 min)`);
  execFileSync("npm", ["rebuild", "better-sqlite3", `--nodedir=${join(dir, "package")}`], {
    cwd: root,
    stdio: "ignore",
    // node-gyp must run on this Node so the addon gets its ABI.
    env: { ...process.env, PATH: `${join(root, "node_modules/.bin")}:${process.env.PATH ?? ""}` },
  });
  if (!loads(root)) throw new Error("better-sqlite3 still does not load; see `npm rebuild better-sqlite3`");
}
