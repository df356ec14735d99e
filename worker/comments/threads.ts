/**
 * The threads API of one document (GET/POST …/threads, POST …/threads/<t>/comments,
 * PATCH …/threads/<t>, PATCH/DELETE …/threads/<t>/comments/<c>). Any link reads; the
 * owner, editors and commenters write. Anchors are set by the server in a Yjs
 * transaction, so they reach everyone through the normal update path even when the
 * caller (a commenter) may not write Yjs itself. Every change is announced live with
 * a `thread-changed` message.
 */
import type * as Y from "yjs";
import {
  type Thread,
  type ThreadChange,
  addCommentRequestSchema,
  authorIdOf,
  createThreadRequestSchema,
  deleteCommentRequestSchema,
  editCommentRequestSchema,
  patchThreadRequestSchema,
} from "../../shared/comments";
import { randomId } from "../../shared/ids";
import { MAX_API_BODY_BYTES, MAX_COMMENTS_PER_THREAD, MAX_THREADS_PER_DOCUMENT } from "../../shared/limits";
import { type Role, canComment } from "../../shared/protocol";
import { bearerToken } from "../access/auth";
import { type Grant, type Links, roleOfGrant } from "../access/links";
import { readJson } from "../lib/body";
import { badRequest, json, jsonError } from "../lib/http";
import { log } from "../lib/log";
import { AI_AUTHOR, type AiModel, ThreadAi, asksAi } from "./ai-reply";
import { anchoredQuotes, findQuote, markAnchor } from "./anchor";
import { type CommentRow, type ThreadRow, ThreadStore } from "./store";

const ID_BYTES = 12;
const DEFAULT_AUTHOR = "Anonymous";

export interface ThreadsHost {
  docId(): string;
  doc(): Y.Doc;
  readonly links: Links;
  sql: SqlStorage;
  /** Applies every update received so far, so a quote just typed can be found. */
  flush(): void;
  /** Runs a change made by the server in one Yjs transaction: stored, then broadcast. */
  serverChange(change: () => void): void;
  /** Whether this id is a socket connected to the room now. */
  isConnection(id: string): boolean;
  /** Tells every connected client. */
  announce(threadId: string, change: ThreadChange): void;
  /** The configured model, or null. */
  aiModel(): AiModel;
  waitUntil(p: Promise<unknown>): void;
}

type Ctx = { grant: Grant; role: Role };

export class Threads {
  readonly store: ThreadStore;
  private readonly ai: ThreadAi;

  constructor(private readonly host: ThreadsHost) {
    this.store = new ThreadStore(host.sql);
    this.ai = new ThreadAi(() => host.aiModel());
  }

  /** After a comment starting with @AI: the model's answer, posted as "AI". */
  private askAi(threadId: string): void {
    const thread = this.one(threadId);
    if (!thread) return;
    this.host.waitUntil(
      this.ai.answer(this.host.docId(), thread).then((body) => {
        if (!this.store.thread(threadId) || this.store.commentCount(threadId) >= MAX_COMMENTS_PER_THREAD) return;
        this.store.addComment({
          id: randomId(ID_BYTES),
          threadId,
          author: AI_AUTHOR,
          authorId: null,
          conn: null,
          body,
          createdAt: Date.now(),
          editedAt: null,
        });
        this.host.announce(threadId, "replied");
      }),
    );
  }

  /** Every thread with its comments, as it reads now. Refreshes remembered quotes. */
  list(): Thread[] {
    const quotes = anchoredQuotes(this.host.doc());
    const comments = this.store.comments();
    return this.store.threads().map((t) => this.view(t, quotes, comments));
  }

  private view(t: ThreadRow, quotes: Map<string, string>, comments: CommentRow[]): Thread {
    const now = quotes.get(t.id);
    if (now !== undefined) this.store.setQuote(t.id, now);
    return {
      id: t.id,
      // A resolved thread stays resolved; an open one whose text is gone is detached.
      status: t.status === "resolved" ? "resolved" : now === undefined ? "detached" : "open",
      quote: now ?? t.quote,
      createdAt: t.createdAt,
      comments: comments
        .filter((c) => c.threadId === t.id)
        .map(({ id, author, authorId, body, createdAt, editedAt }) => ({ id, author, authorId, body, createdAt, editedAt })),
    };
  }

  private one(id: string): Thread | null {
    const t = this.store.thread(id);
    return t ? this.view(t, anchoredQuotes(this.host.doc()), this.store.comments(id)) : null;
  }

  // ---------------------------------------------------------------- routes

  async getRoute(request: Request): Promise<Response> {
    const ctx = await this.authorize(request, false);
    return ctx instanceof Response ? ctx : json({ threads: this.list() });
  }

  async createRoute(request: Request): Promise<Response> {
    const ctx = await this.authorize(request, true);
    if (ctx instanceof Response) return ctx;
    const body = await this.body(request, createThreadRequestSchema);
    if (body instanceof Response) return body;
    if (this.store.threadCount() >= MAX_THREADS_PER_DOCUMENT) {
      return jsonError(409, "too-many-threads", `A document keeps at most ${MAX_THREADS_PER_DOCUMENT} threads`);
    }
    const authorId = body.authorKey ? await authorIdOf(body.authorKey) : null;
    const stale = this.stale(ctx);
    if (stale) return stale;
    this.host.flush();
    const found = findQuote(this.host.doc(), body.quote, body.occurrence ?? 0);
    if (!found) return jsonError(400, "quote-not-found", "The quoted text is not in the document (it must lie within one paragraph)");
    const now = Date.now();
    const thread: ThreadRow = { id: randomId(ID_BYTES), status: "open", quote: body.quote, createdAt: now };
    this.host.serverChange(() => markAnchor(found.text, found.index, body.quote.length, thread.id));
    this.store.addThread(thread, this.comment(thread.id, body, authorId, now));
    log("info", "thread-created", { doc: this.host.docId(), thread: thread.id, conn: this.connOf(body.connectionId) ?? undefined });
    this.host.announce(thread.id, "created");
    if (asksAi(body.body)) this.askAi(thread.id);
    return json(this.one(thread.id), 201);
  }

  async replyRoute(request: Request, threadId: string): Promise<Response> {
    const ctx = await this.authorize(request, true);
    if (ctx instanceof Response) return ctx;
    const body = await this.body(request, addCommentRequestSchema);
    if (body instanceof Response) return body;
    const authorId = body.authorKey ? await authorIdOf(body.authorKey) : null;
    const stale = this.stale(ctx);
    if (stale) return stale;
    if (!this.store.thread(threadId)) return noThread();
    if (this.store.commentCount(threadId) >= MAX_COMMENTS_PER_THREAD) {
      return jsonError(409, "too-many-comments", `A thread keeps at most ${MAX_COMMENTS_PER_THREAD} comments`);
    }
    const row = this.comment(threadId, body, authorId, Date.now());
    this.store.addComment(row);
    this.host.announce(threadId, "replied");
    if (asksAi(row.body)) this.askAi(threadId);
    return json(
      this.one(threadId)?.comments.find((c) => c.id === row.id),
      201,
    );
  }

  async patchRoute(request: Request, threadId: string): Promise<Response> {
    const ctx = await this.authorize(request, true);
    if (ctx instanceof Response) return ctx;
    const body = await this.body(request, patchThreadRequestSchema);
    if (body instanceof Response) return body;
    const stale = this.stale(ctx);
    if (stale) return stale;
    if (!this.store.thread(threadId)) return noThread();
    this.store.setStatus(threadId, body.status);
    this.host.announce(threadId, "status");
    return json(this.one(threadId));
  }

  async editCommentRoute(request: Request, threadId: string, commentId: string): Promise<Response> {
    const ctx = await this.authorize(request, true);
    if (ctx instanceof Response) return ctx;
    const body = await this.body(request, editCommentRequestSchema);
    if (body instanceof Response) return body;
    const own = await this.own(ctx, threadId, commentId, body.authorKey);
    if (own instanceof Response) return own;
    this.store.editComment(commentId, body.body, Date.now());
    this.host.announce(threadId, "edited");
    return json(this.one(threadId)?.comments.find((c) => c.id === commentId));
  }

  async deleteCommentRoute(request: Request, threadId: string, commentId: string): Promise<Response> {
    const ctx = await this.authorize(request, true);
    if (ctx instanceof Response) return ctx;
    const body = await this.body(request, deleteCommentRequestSchema);
    if (body instanceof Response) return body;
    const own = await this.own(ctx, threadId, commentId, body.authorKey);
    if (own instanceof Response) return own;
    this.store.deleteComment(commentId);
    this.host.announce(threadId, "deleted");
    return json({ id: commentId, deleted: true });
  }

  // ---------------------------------------------------------------- helpers

  private comment(
    threadId: string,
    body: { body: string; author?: string | undefined; connectionId?: string | undefined },
    authorId: string | null,
    at: number,
  ): CommentRow {
    return {
      id: randomId(ID_BYTES),
      threadId,
      author: body.author || DEFAULT_AUTHOR,
      authorId,
      conn: this.connOf(body.connectionId),
      body: body.body,
      createdAt: at,
      editedAt: null,
    };
  }

  /** A connection id is recorded only when it names a socket of this room. */
  private connOf(id: string | undefined): string | null {
    return id !== undefined && this.host.isConnection(id) ? id : null;
  }

  private async own(ctx: Ctx, threadId: string, commentId: string, key: string): Promise<true | Response> {
    const presented = await authorIdOf(key);
    const stale = this.stale(ctx);
    if (stale) return stale;
    const c = this.store.comment(commentId);
    if (!c || c.threadId !== threadId) return jsonError(404, "not-found", "No such comment");
    if (c.authorId === null || c.authorId !== presented) return jsonError(403, "not-yours", "Only its author can change a comment");
    return true;
  }

  private async authorize(request: Request, write: boolean): Promise<Ctx | Response> {
    const token = bearerToken(request);
    if (!token) return jsonError(401, "unauthorized", "Send Authorization: Bearer <token>");
    const grant = await this.host.links.grantFor(token);
    if (!grant) return jsonError(403, "forbidden", "This token does not open this document");
    const role = roleOfGrant(grant);
    if (write && !canComment(role)) return jsonError(403, "forbidden", "A view link cannot comment");
    return { grant, role };
  }

  private stale(ctx: Ctx): Response | null {
    return this.host.links.isCurrent(ctx.grant) ? null : jsonError(403, "forbidden", "This link no longer works");
  }

  private async body<T>(
    request: Request,
    schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: Parameters<typeof badRequest>[0] } },
  ): Promise<T | Response> {
    const read = await readJson(request, MAX_API_BODY_BYTES);
    if (!read.ok) return read.response;
    if (read.value === undefined) return jsonError(400, "bad-json", "A JSON body is required");
    const parsed = schema.safeParse(read.value);
    return parsed.success ? parsed.data : badRequest(parsed.error);
  }
}

const noThread = () => jsonError(404, "not-found", "No such thread");
