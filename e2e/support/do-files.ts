/** Finds a document's Durable Object database in a local state folder (wrangler dev
 * keeps one SQLite file per DO under v3/do/<worker>-<Class>/), for tests that wipe or
 * edit a DO's storage behind the server's back. */
import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";

export function doDatabaseFor(stateDir: string, docId: string): string {
  const dir = join(stateDir, "v3/do/quire-Document");
  for (const f of readdirSync(dir)) {
    if (!f.endsWith(".sqlite") || f === "metadata.sqlite") continue;
    const file = join(dir, f);
    const db = new DatabaseSync(file, { readOnly: true });
    try {
      // partyserver stores the DO's name; V8 serializes this ASCII string as-is.
      const row = db.prepare("SELECT value FROM _cf_KV WHERE key = '__ps_name'").get() as { value?: Uint8Array } | undefined;
      if (row?.value && Buffer.from(row.value).toString("latin1").includes(docId)) return file;
    } catch {
      /* not a document database */
    } finally {
      db.close();
    }
  }
  throw new Error(`no Durable Object database for ${docId} in ${dir}`);
}

/** Deletes a DO's database as if its storage had been wiped (server must be stopped). */
export function wipeDoDatabase(stateDir: string, docId: string): string {
  const file = doDatabaseFor(stateDir, docId);
  for (const suffix of ["", "-wal", "-shm"]) rmSync(`${file}${suffix}`, { force: true });
  return file;
}
