/**
 * What Cloudflare bills a Durable Object for, counted in the object itself for the
 * bench's cost session (bench/cost.ts): SQLite rows read and written (from each
 * cursor's rowsRead/rowsWritten) and R2 operations by class (A: put, list, multipart;
 * B: get, head; delete is free). Off unless the var QUIRE_METER is "1" (bench/cost.ts
 * serves with `--var QUIRE_METER:1`): it wraps the storage API, which production never
 * needs. Totals are kept per isolate (they survive hibernation, which makes a new
 * object instance, and sum every object of the isolate: the cost session has one
 * document) and logged as one "meter" line at most once a second, on activity.
 */
import { log } from "./log";

export interface MeterCounts {
  rowsRead: number;
  rowsWritten: number;
  r2ClassA: number;
  r2ClassB: number;
}

const CLASS_A = ["put", "list", "createMultipartUpload", "resumeMultipartUpload"] as const;
const CLASS_B = ["get", "head"] as const;
const METERED = Symbol("metered");

export function meterEnabled(env: unknown): boolean {
  return (env as Record<string, unknown>)["QUIRE_METER"] === "1";
}

const counts: MeterCounts = { rowsRead: 0, rowsWritten: 0, r2ClassA: 0, r2ClassB: 0 };
let open: SqlStorageCursor<Record<string, SqlStorageValue>>[] = [];
let scheduled = false;
let lastLog = 0;
let docName = "";

export function installMeter(storage: DurableObjectStorage, bucket: R2Bucket, doc: () => string): MeterCounts {
  docName = doc();
  const fold = () => {
    scheduled = false;
    for (const c of open) {
      counts.rowsRead += c.rowsRead;
      counts.rowsWritten += c.rowsWritten;
    }
    open = [];
    const now = Date.now();
    if (now - lastLog >= 1000) {
      lastLog = now;
      log("info", "meter", { doc: docName, ...counts });
    }
  };
  const sql = storage.sql;
  const exec = sql.exec.bind(sql);
  // Cursors are read when the synchronous code that made them is done (a microtask later).
  (sql as { exec: typeof sql.exec }).exec = ((query: string, ...bindings: unknown[]) => {
    const cursor = exec(query, ...bindings);
    open.push(cursor as SqlStorageCursor<Record<string, SqlStorageValue>>);
    if (!scheduled) {
      scheduled = true;
      queueMicrotask(fold);
    }
    return cursor;
  }) as typeof sql.exec;
  const b = bucket as unknown as Record<string | symbol, unknown>;
  if (!b[METERED]) {
    b[METERED] = true;
    const wrap = (name: string, count: () => void) => {
      const fn = b[name];
      if (typeof fn !== "function") return;
      b[name] = (...args: unknown[]) => {
        count();
        if (!scheduled) {
          scheduled = true;
          queueMicrotask(fold);
        }
        return (fn as (...a: unknown[]) => unknown).apply(bucket, args);
      };
    };
    for (const m of CLASS_A) wrap(m, () => counts.r2ClassA++);
    for (const m of CLASS_B) wrap(m, () => counts.r2ClassB++);
  }
  return counts;
}
