/**
 * The editing traces in bench/traces (CC BY 4.0, see its README), replayed into a
 * Y.Doc shaped like Quire's: XmlFragment "default" → paragraph → XmlText, the shape
 * the raw client's `.paragraph()` creates. Each group of transactions becomes one
 * Yjs update, so a trace can be sent to a server as a stream of ordinary updates.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import * as Y from "yjs";
import { YDOC_CONTENT_FIELD } from "../../shared/api";

export interface Trace {
  startContent: string;
  endContent: string;
  txns: { patches: [number, number, string][] }[];
}

export function loadTrace(root: string, name: "automerge-paper" | "friendsforever_flat"): Trace {
  const raw = gunzipSync(readFileSync(join(root, "bench/traces", `${name}.json.gz`)));
  return JSON.parse(raw.toString("utf8")) as Trace;
}

export interface ReplayedTrace {
  updates: Uint8Array[];
  text: string;
  /** Yjs V1 encoding of the final state (what a sync sends). */
  stateBytes: number;
}

/** Code-point positions → UTF-16 offsets (Y.Text counts UTF-16 units). */
function utf16Offset(text: string, codePoints: number): number {
  let off = 0;
  for (let i = 0; i < codePoints && off < text.length; i++) {
    off += (text.codePointAt(off) ?? 0) > 0xffff ? 2 : 1;
  }
  return off;
}

export function replayTrace(trace: Trace, txnsPerUpdate: number): ReplayedTrace {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on("update", (u: Uint8Array) => updates.push(u));
  const fragment = doc.getXmlFragment(YDOC_CONTENT_FIELD);
  const p = new Y.XmlElement("paragraph");
  p.insert(0, [new Y.XmlText()]);
  fragment.insert(0, [p]);
  const text = p.get(0) as Y.XmlText;
  if (trace.startContent) text.insert(0, trace.startContent);
  const ascii =
    !/[\u{10000}-\u{10FFFF}]/u.test(trace.endContent) &&
    trace.txns.every((t) => t.patches.every(([, , s]) => !/[\u{10000}-\u{10FFFF}]/u.test(s)));
  for (let i = 0; i < trace.txns.length; i += txnsPerUpdate) {
    doc.transact(() => {
      for (const txn of trace.txns.slice(i, i + txnsPerUpdate)) {
        for (const [pos, del, ins] of txn.patches) {
          const at = ascii ? pos : utf16Offset(text.toString(), pos);
          if (del > 0) text.delete(at, ascii ? del : utf16Offset(text.toString().slice(at), del));
          if (ins) text.insert(at, ins);
        }
      }
    });
  }
  const final = text.toString();
  if (final !== trace.endContent) throw new Error("trace replay does not reproduce endContent");
  return { updates, text: final, stateBytes: Y.encodeStateAsUpdate(doc).byteLength };
}
