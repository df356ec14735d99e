/**
 * Deleting, the remedy for what a link holder added: the owner deletes any comment or
 * thread; anyone else their own comments, and a thread only when every comment in it is
 * theirs (by the author key the server hashes). A thread's last comment takes the
 * thread with it. A deleted thread's anchor leaves the text (a server change everyone
 * receives), its rows go, a tombstone tells `?since=` readers, and its slot is free.
 * Deleting is never rate limited: it only frees room.
 */
import type * as Y from "yjs";
import { deleteRequestSchema } from "../../shared/comment-input";
import { type ThreadChange, authorIdOf } from "../../shared/comments";
import { json, jsonError } from "../lib/http";
import { log } from "../lib/log";
import { removeAnchor } from "./anchor";
import type { ThreadRequests } from "./requests";
import type { ThreadStore } from "./store";

export interface DeletesHost {
  docId(): string;
  doc(): Y.Doc;
  flush(): void;
  serverChange(change: () => void): void;
  announce(threadId: string, change: ThreadChange): void;
}

export class ThreadDeletes {
  constructor(
    private readonly host: DeletesHost,
    private readonly store: ThreadStore,
    private readonly req: ThreadRequests,
  ) {}

  /** The owner deletes any comment; an author their own. A thread's last comment takes
   * the thread (and its anchor) with it. */
  async commentRoute(request: Request, threadId: string, commentId: string): Promise<Response> {
    const who = await this.deleter(request);
    if (who instanceof Response) return who;
    const c = this.store.comment(commentId, threadId);
    if (!c) return noComment();
    const mayDelete = who.owner || (c.kind === "person" && c.authorId !== null && c.authorId === who.presented);
    if (!mayDelete) return jsonError(403, "not-yours", "Only its author or the document's owner can delete a comment");
    if (this.store.commentCount(threadId) === 1) {
      this.removeThread(threadId);
      return json({ id: commentId, deleted: true, threadDeleted: true });
    }
    this.store.deleteComment(commentId, threadId);
    this.host.announce(threadId, "deleted");
    return json({ id: commentId, deleted: true, threadDeleted: false });
  }

  /** The owner deletes any thread; anyone else only a thread whose every comment is theirs. */
  async threadRoute(request: Request, threadId: string): Promise<Response> {
    const who = await this.deleter(request);
    if (who instanceof Response) return who;
    if (!this.store.thread(threadId)) return noThread();
    const mayDelete = who.owner || (who.presented !== null && this.store.allBy(threadId, who.presented));
    if (!mayDelete) return jsonError(403, "not-yours", "Only the document's owner can delete a thread with others' comments");
    this.removeThread(threadId);
    return json({ id: threadId, deleted: true, threadDeleted: true });
  }

  /** Who asks to delete: the owner link, or the author id of the key presented. */
  private async deleter(request: Request): Promise<{ owner: boolean; presented: string | null } | Response> {
    const ctx = await this.req.authorize(request, true);
    if (ctx instanceof Response) return ctx;
    const body = await this.req.optionalBody(request, deleteRequestSchema);
    if (body instanceof Response) return body;
    const presented = body.authorKey ? await authorIdOf(body.authorKey) : null;
    return this.req.stale(ctx) ?? { owner: ctx.grant.kind === "owner", presented };
  }

  /** Deletes a thread: its anchor leaves the text (a server change everyone receives),
   * then its rows; its slot is free again. */
  private removeThread(threadId: string): void {
    this.host.flush();
    this.host.serverChange(() => removeAnchor(this.host.doc(), threadId));
    this.store.deleteThread(threadId);
    log("info", "thread-deleted", { doc: this.host.docId(), thread: threadId });
    this.host.announce(threadId, "removed");
  }
}

const noThread = () => jsonError(404, "not-found", "No such thread");
export const noComment = () => jsonError(404, "not-found", "No such comment");
