/**
 * What the Document Durable Object does for files and downloads, behind two calls:
 * `route` answers POST /files, GET /files/<id> and GET /export (null for any other
 * path), and `afterAlarm` sweeps files nothing references any more.
 */
import * as Y from "yjs";
import { errorMessage, log } from "../lib/log";
import { exportRoute } from "./export-route";
import { decodeSnapshot } from "../storage/codec";
import { SnapshotBucket } from "../storage/r2";
import { VersionIndex } from "../storage/version-index";
import { jsonError } from "../lib/http";
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
}

const FILE_PATH = /^\/files(?:\/([^/]+))?$/;

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

  async route(request: Request, url: URL): Promise<Response | null> {
    if (url.pathname === "/export") {
      if (request.method !== "GET") return jsonError(405, "method-not-allowed", "Use GET to export");
      const { store, access } = this.p;
      const { host } = this;
      return exportRoute(request, url, {
        docId: () => host.docId(),
        doc: () => host.doc(),
        title: () => host.title(),
        authorize: (r) => host.links.authorize(r),
        store,
        access,
      });
    }
    const m = FILE_PATH.exec(url.pathname);
    if (!m) return null;
    const fileId = m[1];
    if (fileId === undefined) {
      if (request.method !== "POST") return jsonError(405, "method-not-allowed", "Use POST to upload a file");
      return this.p.uploads.handle(request);
    }
    if (request.method !== "GET") return jsonError(405, "method-not-allowed", "Use GET to read a file");
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
