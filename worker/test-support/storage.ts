/** Storage helpers for the workers tests: what a document holds on disk, reached inside its DO. */
import { env, runInDurableObject } from "cloudflare:test";
import * as Y from "yjs";
import { YDOC_META_MAP, YDOC_META_TITLE } from "../../shared/api";
import { VERSION_IDLE_DELAY_MS } from "../../shared/limits";
import type { Document } from "../Document";
import type { Compactor } from "../storage/compactor";
import { DocStore } from "../storage/store";
import { roomOf } from "./room";
import { allText, paragraphs } from "./ydoc";

export const stub = (id: string) => env.Document.getByName(id);

export const internals = (i: Document) => {
  const room = roomOf(i);
  const { compactor } = room.history as unknown as { compactor: Compactor };
  return { compactor, store: room.store, document: room.doc() };
};

/** Rebuilds the document from what is on disk, exactly as a cold DO would. */
export function storedDoc(id: string): Promise<{ text: string; paragraphs: string[]; title: unknown }> {
  return runInDurableObject(stub(id), async (_i: Document, state) => {
    const doc = new Y.Doc();
    await new DocStore(state.storage).loadInto(doc);
    return { text: allText(doc), paragraphs: paragraphs(doc), title: doc.getMap(YDOC_META_MAP).get(YDOC_META_TITLE) };
  });
}

export function tableCounts(id: string): Promise<{ updates: number; snapshot: number; maxChunk: number; upto: number; codec: unknown }> {
  return runInDurableObject(stub(id), (_i: Document, s) => {
    const sql = s.storage.sql;
    const meta = (k: string) => sql.exec("SELECT value FROM meta WHERE key = ?", k).toArray()[0]?.value ?? null;
    return {
      updates: Number(sql.exec("SELECT count(*) AS n FROM updates").one().n),
      snapshot: Number(sql.exec("SELECT count(*) AS n FROM snapshot").one().n),
      maxChunk: Number(sql.exec("SELECT coalesce(max(length(data)), 0) AS n FROM snapshot").one().n),
      upto: Number(meta("snapshot_upto") ?? 0),
      codec: meta("snapshot_codec"),
    };
  });
}

/** Restarts the DO as after a crash or eviction: memory gone, storage kept. */
export async function restart(id: string): Promise<void> {
  await runInDurableObject(stub(id), (_i: Document, s) => s.abort("test: restart")).catch(() => {});
}

export async function compactNow(id: string): Promise<void> {
  await runInDurableObject(stub(id), async (i: Document) => {
    await internals(i).compactor.idle();
    await internals(i).compactor.start(internals(i).document);
  });
}

/** Waits for the last-leave alarm (the first edit already set one VERSION_INTERVAL_MS
 * ahead; leaving pulls it in to VERSION_IDLE_DELAY_MS). */
export async function waitForIdleAlarm(id: string): Promise<number> {
  for (let i = 0; i < 100; i++) {
    const at = await runInDurableObject(stub(id), (_i: Document, s) => s.storage.getAlarm());
    if (at !== null && at <= Date.now() + VERSION_IDLE_DELAY_MS + 1000) return at;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error("no last-leave alarm was scheduled");
}

export function randomText(chars: number): string {
  const bytes = new Uint8Array(Math.ceil((chars * 3) / 4));
  for (let off = 0; off < bytes.length; off += 65536) crypto.getRandomValues(bytes.subarray(off, off + 65536));
  let bin = "";
  for (let i = 0; i < bytes.length; i += 8192) bin += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return btoa(bin).slice(0, chars);
}
