/** Loads the editing traces in bench/traces (CC BY 4.0, see bench/traces/README.md). */
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";
import type * as Y from "yjs";

export type Patch = [position: number, deleteCount: number, insert: string];
export interface Trace {
  startContent: string;
  endContent: string;
  txns: { time?: string; patches: Patch[] }[];
}

export type TraceName = "friendsforever_flat" | "automerge-paper";

export function loadTrace(name: TraceName): Trace {
  const path = fileURLToPath(new URL(`../../bench/traces/${name}.json.gz`, import.meta.url));
  const trace = JSON.parse(gunzipSync(readFileSync(path)).toString("utf8")) as Trace;
  // Trace positions count code points, Yjs counts UTF-16 units; they agree only
  // without astral characters, which holds for the shipped traces. Say so loudly if not.
  if (/[\u{10000}-\u{10FFFF}]/u.test(trace.endContent)) throw new Error(`${name}: astral characters need position mapping`);
  return trace;
}

/** Applies one transaction's patches to a Y.Text (or XmlText), clamping positions to
 * the current length so a trace can continue on a document that diverged (crash tests). */
export function applyTxn(text: Y.Text, patches: Patch[]): void {
  for (const [pos, del, ins] of patches) {
    const at = Math.min(pos, text.length);
    if (del > 0) text.delete(at, Math.min(del, text.length - at));
    if (ins) text.insert(at, ins);
  }
}
