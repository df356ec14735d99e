/**
 * The storage half of "Rebuild from this version" (routes/history.ts runs it, through
 * DocHistory, while the room takes no changes): the live state becomes a version first
 * (always, so nothing is lost), then a fresh state made from the version
 * (content/rebuild.ts) replaces the whole stored state and the epoch moves on (epoch.ts),
 * in one commit; then that state becomes a version too, so R2's newest snapshot (what a
 * recovery starts from) is of the new epoch. Throws, having replaced nothing, when R2
 * refuses the first version.
 */
import type * as Y from "yjs";
import { freshState } from "../content/rebuild";
import { errorMessage, log } from "../lib/log";
import { CODEC_V2_GZIP, encodeSnapshot } from "./codec";
import type { Compactor } from "./compactor";
import type { Epoch } from "./epoch";
import type { DocStore } from "./store";
import type { VersionRow } from "./version-index";
import type { Versions } from "./versions";

export interface RebuildParts {
  docId: string;
  store: DocStore;
  versions: Versions;
  compactor: Compactor;
  epoch: Epoch;
  /** The stored state's version could not be made now: schedule one. */
  versionLater: () => void;
}

export interface Rebuilt {
  epoch: number;
  before: VersionRow | null;
  rebuilt: VersionRow | null;
  /** Encoded size of the new state. */
  bytes: number;
}

export async function rebuildStorage(parts: RebuildParts, version: Y.Doc, title: string): Promise<Rebuilt> {
  const { docId, store, versions, compactor } = parts;
  await compactor.idle();
  const before = await versions.make("before-rebuild", { force: true });
  const state = freshState(version, title);
  const stored = await encodeSnapshot(state, CODEC_V2_GZIP);
  // A fold started before the room was frozen would commit the old state over the new.
  await compactor.idle();
  let epoch = 0;
  const upto = store.replaceWith({ rawBytes: state.byteLength, stored, codec: CODEC_V2_GZIP }, () => {
    epoch = parts.epoch.advance();
  });
  log("warn", "rebuilt", { doc: docId, epoch, bytes: state.byteLength, seq: upto });
  let rebuilt: VersionRow | null = null;
  try {
    rebuilt = await versions.make("rebuilt", { from: { upto, rawBytes: state.byteLength, stored } });
  } catch (err) {
    // The state is stored; its version comes with the next alarm.
    log("warn", "version-failed", { doc: docId, error: errorMessage(err) });
    parts.versionLater();
  }
  return { epoch, before, rebuilt, bytes: state.byteLength };
}
