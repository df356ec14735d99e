/**
 * One open document: the Y.Doc, the y-partyserver provider, the save tracker and the
 * connection status the UI shows. React subscribes through `subscribe`/`snapshot`.
 */
import { IndexeddbPersistence } from "y-indexeddb";
import * as Y from "yjs";
import { type AiPolicy, DEFAULT_AI_POLICY } from "../../../shared/ai";
import { CloseCode, FATAL_CLOSE_CODES } from "../../../shared/close-codes";
import { authorKey } from "../comments/author-key";
import { loadIdentity } from "../lib/identity";
import {
  ClientMessageType,
  EPOCH_PARAM,
  ServerMessageType,
  parseServerMessage,
  type ReadOnlyReason,
  type Role,
} from "../../../shared/protocol";
import { hadUnsent, localCopyName, markUnsent, storeEpoch, storedEpoch } from "./epoch";
import { QuireProvider } from "./provider";
import { SaveTracker } from "./save-tracker";
import { DOCUMENT_DELETED, NO_SUCH_DOCUMENT, linkNoLongerWorks } from "../lib/link-messages";

export type Status = "connecting" | "reconnecting" | "offline" | "saving" | "saved";

export interface SessionSnapshot {
  status: Status;
  /** The copy on this device (IndexedDB) has been loaded. */
  localReady: boolean;
  role: Role | null;
  synced: boolean;
  /** Set when the server refused us for good (bad link, deleted document). */
  fatal: { code: number; reason: string } | null;
  /** The last error the server sent about something we did. */
  lastError: string | null;
  /** Set when the whole document is read-only for everyone (damaged, or over its size
   * limit), with the server's explanation. */
  docReadOnly: { reason: ReadOnlyReason; message: string } | null;
  /** This socket's id on the server (from its welcome), sent with comments. */
  connectionId: string | null;
  /** Grows on every live `thread-changed`: comment views re-read the threads. */
  threadsSeq: number;
  /** Set once the server said the document was rebuilt (another epoch): this session's
   * copy was dropped (what it had not sent is kept aside, collab/epoch.ts) and the page
   * opens a new session on the new epoch. */
  rebuiltTo: number | null;
  /** The owner's AI policy for the document (welcome, then live `ai-policy`). */
  aiPolicy: AiPolicy;
}

export class DocSession {
  readonly doc = new Y.Doc();
  readonly provider: QuireProvider;
  private readonly local: IndexeddbPersistence;
  private everConnected = false;
  private readonly tracker: SaveTracker;
  private listeners = new Set<() => void>();
  private state: SessionSnapshot;
  /** The epoch of this browser's copy (collab/epoch.ts), sent when connecting. */
  readonly epoch: number;
  private unsentMarked = false;

  constructor(
    readonly id: string,
    token: string,
    expectedRole: Role,
  ) {
    this.state = {
      status: "connecting",
      localReady: false,
      role: expectedRole,
      synced: false,
      fatal: null,
      lastError: null,
      docReadOnly: null,
      connectionId: null,
      threadsSeq: 0,
      rebuiltTo: null,
      aiPolicy: DEFAULT_AI_POLICY,
    };
    this.epoch = storedEpoch(id);
    // The device keeps its own copy, so the document opens and stays editable offline;
    // whatever was typed offline syncs (and is acknowledged) once the socket is back.
    this.local = new IndexeddbPersistence(localCopyName(id, this.epoch), this.doc);
    void this.local.whenSynced.then(() => this.update({ localReady: true }));
    this.provider = new QuireProvider(window.location.host, id, this.doc, {
      party: "document",
      // Who this browser writes as: the server records it with the client ids it
      // introduces (who wrote what), under the same key its comments are "mine" with.
      params: { token, [EPOCH_PARAM]: String(this.epoch), authorKey: authorKey(), name: loadIdentity().name },
      // Each tab has its own socket and role; no cross-tab BroadcastChannel shortcut.
      disableBc: true,
      maxBackoffTime: 5000,
    });
    this.tracker = new SaveTracker(
      (seq) => this.sendCheck(seq),
      () => this.update({}),
    );

    this.doc.on("update", (_update: Uint8Array, origin: unknown) => {
      if (origin !== this.provider) this.tracker.bump();
    });
    this.provider.on("status", ({ status }: { status: string }) => {
      if (status === "connected") {
        this.everConnected = true;
        this.unreachable = false;
      }
      this.update({});
    });
    this.provider.on("sync", (synced: boolean) => {
      if (synced) this.tracker.resynced();
      this.update({ synced });
    });
    this.provider.on("custom-message", (raw: string) => this.onServerMessage(raw));
    // A socket that fails to open may mean the network is gone even when the browser
    // still says it is online (navigator.onLine is only a hint; a page reloaded while
    // offline reads true in Chromium): ask the server directly.
    this.provider.on("connection-error", () => this.probeNetwork());
    this.provider.on("connection-close", (event: CloseEvent | null) => {
      // Closed after a welcome naming another epoch (handled there): never reconnect.
      if (event?.code === CloseCode.Rebuilt) {
        this.provider.shouldConnect = false;
        return;
      }
      this.probeNetwork();
      if (event && FATAL_CLOSE_CODES.has(event.code)) {
        this.provider.shouldConnect = false;
        // A deleted document, or one this link no longer opens, must not stay readable
        // from this device's offline copy; a refused change must not be sent again
        // from it on the next visit.
        if (event.code === CloseCode.Gone || event.code === CloseCode.Forbidden || event.code === CloseCode.Unprocessable) {
          void this.local.clearData();
        }
        // Too large for the document (or a frame): what this copy holds can never be
        // sent (an undo keeps the content for redo, so the update does not shrink), and
        // dialling again would be refused at once, for ever. Its text is kept aside and
        // offered back after the reload (history/UnsavedCopy.tsx), the copy dropped.
        if (event.code === CloseCode.TooLarge) void this.keepAsideAndDrop();
        this.update({ fatal: { code: event.code, reason: event.reason } });
      }
    });
    window.addEventListener("online", this.onNetwork);
    window.addEventListener("offline", this.onNetwork);
  }

  /** The browser knows before the socket does: drop it at once when the network goes
   * (so the status tells the truth and edits queue locally) and dial again when it returns. */
  private readonly onNetwork = () => {
    if (!this.state.fatal) {
      if (navigator.onLine) void this.provider.connect();
      else this.provider.disconnect();
    }
    this.update({});
  };

  private async keepAsideAndDrop(): Promise<void> {
    const { keepCopyOf } = await import("./unsaved-copy");
    keepCopyOf(this.id, this.doc, "too-large");
    await this.local.clearData().catch(() => undefined);
  }

  /** True while the last attempt to reach the server failed at the network level. */
  private unreachable = false;
  private probing = false;

  private probeNetwork(): void {
    if (this.probing || this.state.fatal) return;
    this.probing = true;
    fetch("/api/health", { cache: "no-store" })
      .then(
        () => (this.unreachable = false),
        () => (this.unreachable = true),
      )
      .finally(() => {
        this.probing = false;
        this.update({});
      });
  }

  private sendCheck(seq: number): boolean {
    if (!this.provider.wsconnected || !this.provider.synced) return false;
    this.provider.sendMessage(JSON.stringify({ type: ClientMessageType.SyncCheck, seq }));
    return true;
  }

  private onServerMessage(raw: string): void {
    const msg = parseServerMessage(raw);
    if (!msg) return;
    switch (msg.type) {
      case ServerMessageType.Saved:
        this.tracker.acked(msg.seq);
        if (!this.tracker.pending) this.noteUnsent(false);
        return;
      case ServerMessageType.ReadCheck:
        // Proves this tab is still reading; a tab that stops is dropped and resyncs.
        this.provider.sendMessage(JSON.stringify({ type: ClientMessageType.ReadAck, id: msg.id }));
        return;
      case ServerMessageType.Welcome:
        if (msg.epoch !== undefined && msg.epoch !== this.epoch) {
          void this.rebuilt(msg.epoch);
          return;
        }
        this.update({
          role: msg.role,
          docReadOnly: msg.readOnly ?? null,
          connectionId: msg.connectionId,
          aiPolicy: msg.ai ?? DEFAULT_AI_POLICY,
        });
        return;
      case ServerMessageType.ThreadChanged:
        this.update({ threadsSeq: this.state.threadsSeq + 1 });
        return;
      case ServerMessageType.AiPolicy:
        this.update({ aiPolicy: msg.ai });
        return;
      case ServerMessageType.Error:
        this.update({ lastError: msg.message });
        return;
    }
  }

  /** Remembers across reloads whether this browser holds changes the server has not
   * confirmed (offline edits live only in IndexedDB): they are what a rebuild must offer back. */
  private noteUnsent(unsent: boolean): void {
    if (unsent === this.unsentMarked) return;
    this.unsentMarked = unsent;
    markUnsent(this.id, unsent);
  }

  /**
   * The server's document is of another epoch (the owner rebuilt it): this copy is never
   * sent. What it had not saved is kept aside to offer back, the copy is deleted, and the
   * page opens a new session on the new epoch (`rebuiltTo`).
   */
  private async rebuilt(epoch: number): Promise<void> {
    if (this.state.rebuiltTo !== null) return;
    this.provider.shouldConnect = false;
    this.provider.disconnect();
    if (this.tracker.pending || this.unsentMarked || hadUnsent(this.id)) {
      // Loaded only on this rare path.
      const { keepCopyOf } = await import("./unsaved-copy");
      keepCopyOf(this.id, this.doc);
    }
    // The old copy goes before the new epoch is written: a crash in between leaves an
    // empty copy at the old epoch, which the next welcome corrects again.
    await this.local.clearData().catch(() => undefined);
    storeEpoch(this.id, epoch);
    this.noteUnsent(false);
    markUnsent(this.id, false);
    this.update({ rebuiltTo: epoch });
  }

  private computeStatus(): Status {
    // Offline wins even while a dying socket is still closing.
    if (!navigator.onLine || (this.unreachable && !this.provider.wsconnected)) return "offline";
    if (!this.provider.wsconnected) return this.everConnected ? "reconnecting" : "connecting";
    if (!this.provider.synced) return "connecting";
    return this.tracker.pending ? "saving" : "saved";
  }

  private update(patch: Partial<SessionSnapshot>): void {
    if (this.tracker.pending) this.noteUnsent(true);
    const next = { ...this.state, ...patch };
    next.status = this.computeStatus();
    const same = (Object.keys(next) as (keyof SessionSnapshot)[]).every((k) => next[k] === this.state[k]);
    if (same) return;
    this.state = next;
    for (const l of this.listeners) l();
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly snapshot = (): SessionSnapshot => this.state;

  destroy(): void {
    window.removeEventListener("online", this.onNetwork);
    window.removeEventListener("offline", this.onNetwork);
    this.tracker.destroy();
    this.provider.destroy();
    void this.local.destroy();
    this.doc.destroy();
  }
}

export const FATAL_MESSAGES: Record<number, { title: string; body: string }> = {
  [CloseCode.Unauthorized]: {
    title: "This link is incomplete",
    body: "Open the document with the full link: it ends in #edit=…, #comment=… or #view=… (the owner’s in #owner=…).",
  },
  [CloseCode.Forbidden]: linkNoLongerWorks(null),
  [CloseCode.NotFound]: NO_SUCH_DOCUMENT,
  [CloseCode.Unprocessable]: {
    title: "A change from this browser was refused",
    body: "This browser sent a change the document cannot hold, so it stopped sending changes. The document itself is safe. Reload the page to continue from the saved document; changes this browser had not saved are discarded.",
  },
  [CloseCode.TooLarge]: {
    title: "Your last change was too large for this document",
    body: "The document has reached its size limit, so the server did not save your last change (everything before it is saved). Reload the page to continue from the saved document: what you had not saved is offered back as a copy.",
  },
  [CloseCode.TooManyClientIds]: {
    title: "This document takes no new editing sessions now",
    body: "Too many browser sessions have written to this document (a sign that someone is wearing it down), so it stopped taking changes from new ones. What you typed is kept in this browser. The owner sees this under Share → Document health and can rebuild the document from History.",
  },
  [CloseCode.ForeignClientId]: {
    title: "A change from this browser was refused",
    body: "This browser sent a change written under another person’s editing session, so the server refused it and this browser stopped sending changes. The document itself is safe. Reload the page to continue.",
  },
  [CloseCode.Gone]: DOCUMENT_DELETED,
};
