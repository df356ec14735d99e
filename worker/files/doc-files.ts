/**
 * What the Document Durable Object does for files and downloads: upload (POST /files),
 * serve (GET /files/<id>), exportDoc (GET /export), and `afterAlarm`, which sweeps
 * files nothing references any more.
 */
import type { AiDisclosure } from "../content/ai-disclosure";
import * as Y from "yjs";
import { errorMessage, log } from "../lib/log";
import { exportRoute } from "./export-route";
import { decodeSnapshot } from "../storage/codec";
import { SnapshotBucket } from "../storage/r2";
import { VersionIndex } from "../storage/version-index";
import { FileAccess, type LinkSource } from "./access";
import { serveFile } from "./serve";
import { FileStore } from "./store";
import { FileSweeper, type SweepResult } from "./sweep";
import { Uploads } from "./upload";

export interface DocFilesHost {
  bucket: R2Bucket;
  sql: SqlStorage;
  docId(): string;
  doc(): Y.Doc;
  title(): string;
  links: LinkSource;
  /** AI-written text in the document (exports disclose it). */
  aiText(): AiDisclosure | null;
}

export class DocFiles {
  private parts: { store: FileStore; uploads: Uploads; sweeper: FileSweeper; access: FileAccess } | null = null;

  constructor(private readonly host: DocFilesHost) {}

  /** Built on first use: the document's id (its name) is known only once a request
   * or alarm reached the object. */
  private get p() {
    if (this.parts) return this.parts;
    const { host } = this;
    const store = new FileStore(host.bucket, host.docId());
    const snapshots = new SnapshotBucket(host.bucket, host.docId());
    this.parts = {
      store,
      access: new FileAccess(() => host.docId(), host.links),
      uploads: new Uploads({ store, docId: () => host.docId(), authorize: (r) => host.links.authorize(r), now: () => Date.now() }),
      sweeper: new FileSweeper({
        sql: host.sql,
        store,
        liveState: () => Y.encodeStateAsUpdateV2(host.doc()),
        versions: () => new VersionIndex(host.sql).list(),
        versionState: async (row) => {
          const obj = await snapshots.getSnapshot(row.r2Key);
          return obj ? decodeSnapshot(obj.stored, obj.codec) : null;
        },
      }),
    };
    return this.parts;
  }

  /** GET /export */
  exportDoc(request: Request, url: URL): Promise<Response> {
    const { store, access } = this.p;
    const { host } = this;
    return exportRoute(request, url, {
      docId: () => host.docId(),
      doc: () => host.doc(),
      title: () => host.title(),
      authorize: (r) => host.links.authorize(r),
      aiText: () => host.aiText(),
      store,
      access,
    });
  }

  /** POST /files */
  upload(request: Request): Promise<Response> {
    return this.p.uploads.handle(request);
  }

  /** GET /files/<id> */
  serve(request: Request, url: URL, fileId: string): Promise<Response> {
    return serveFile(request, url, fileId, { store: this.p.store, access: this.p.access, links: this.host.links });
  }

  /** The sweep (sweep.ts), on the document's alarm. Never throws: a failed sweep is
   * logged and tried again at the next alarm. */
  async afterAlarm(now = Date.now()): Promise<SweepResult | null> {
    try {
      const result = await this.p.sweeper.sweep(now);
      if (result.deleted.length > 0 || result.versionsRead > 0)
        log("info", "file-sweep", { doc: this.host.docId(), ...result, deleted: result.deleted.length });
      return result;
    } catch (err) {
      log("error", "file-sweep-failed", { doc: this.host.docId(), error: errorMessage(err) });
      return null;
    }
  }
}
