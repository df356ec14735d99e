/**
 * The threads API of one document (docs/COMMENTS.md): reads (reads.ts), new threads,
 * replies, resolve/reopen, edits, and deletes (deletes.ts). Any link reads; the owner, editors and
 * commenters write, within the totals and per-link rate of quota.ts. Authors change
 * their own comments; the owner deletes anything. Anchors are set (and taken off) by
 * the server in a Yjs transaction, so they reach everyone through the normal update
 * path even when the caller (a commenter) may not write Yjs itself. Every change is
 * announced live with a `thread-changed` message.
 */
import type * as Y from "yjs";
import {
  AI_NAME,
  addCommentRequestSchema,
  cleanBody,
  createThreadRequestSchema,
  editCommentRequestSchema,
  patchThreadRequestSchema,
  personName,
} from "../../shared/comment-input";
import { type ThreadChange, authorIdOf } from "../../shared/comments";
import { randomId } from "../../shared/ids";
import { COMMENT_ROW_BYTES, MAX_COMMENT_BODY_CHARS } from "../../shared/limits";
import type { AiActivity } from "../ai/activity";
import type { AiGate } from "../ai/gate";
import type { Links } from "../access/links";
import { json, jsonError } from "../lib/http";
import { log } from "../lib/log";
import { type AiModel, type AiTicket, ThreadAi, asksAi } from "./ai-reply";
import { findQuote, markAnchor } from "./anchor";
import { ThreadsBackup } from "./backup";
import { ThreadDeletes, noComment } from "./deletes";
import { CommentQuota, commentBytes, threadBytes } from "./quota";
import { ThreadReader, publicComment } from "./reads";
import { type Ctx, ThreadRequests } from "./requests";
import { type CommentRow, ThreadStore } from "./store";

const ID_BYTES = 12;
const DEFAULT_AUTHOR = "Anonymous";
/** The most an AI answer can cost (kept free when @AI is asked). */
const AI_ANSWER_BYTES = MAX_COMMENT_BODY_CHARS * 3 + AI_NAME.length + COMMENT_ROW_BYTES;

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
  /** Tells every connected client, and lets the R2 copy know (backup.ts). */
  announce(threadId: string, change: ThreadChange): void;
  /** The configured model, or null. */
  aiModel(): AiModel;
  /** The document's one AI gate (shared with AI assist). */
  aiGate: AiGate;
  /** The owner's record of AI calls. */
  aiActivity: AiActivity;
  waitUntil(p: Promise<unknown>): void;
}

type Sender = { author?: string | undefined; authorKey?: string | undefined; connectionId?: string | undefined };

export class Threads {
  readonly store: ThreadStore;
  /** The copy in R2, written and read by the storage layer (storage/r2.ts ThreadsCopy). */
  readonly copy: ThreadsBackup;
  /** DELETE …/threads/<t> and …/comments/<c>. */
  readonly deletes: ThreadDeletes;
  private readonly reader: ThreadReader;
  private readonly quota: CommentQuota;
  private readonly ai: ThreadAi;
  private readonly req: ThreadRequests;

  constructor(private readonly host: ThreadsHost) {
    this.store = new ThreadStore(host.sql);
    this.copy = new ThreadsBackup(this.store, () => host.docId());
    this.reader = new ThreadReader(this.store, () => host.doc());
    this.quota = new CommentQuota(this.store);
    this.ai = new ThreadAi(() => host.aiModel(), host.aiGate, host.aiActivity);
    this.req = new ThreadRequests(host.links);
    this.deletes = new ThreadDeletes(host, this.store, this.req);
  }

  // ---------------------------------------------------------------- reads

  async listRoute(request: Request, url: URL): Promise<Response> {
    const ctx = await this.req.authorize(request, false);
    if (ctx instanceof Response) return ctx;
    const since = Number(url.searchParams.get("since") ?? 0);
    if (!Number.isSafeInteger(since) || since < 0) return jsonError(400, "bad-request", "since: a change number from an earlier answer");
    return json(this.reader.page(since));
  }

  async getRoute(request: Request, threadId: string, url: URL): Promise<Response> {
    const ctx = await this.req.authorize(request, false);
    if (ctx instanceof Response) return ctx;
    const after = Number(url.searchParams.get("after") ?? 0);
    if (!Number.isSafeInteger(after) || after < 0) return jsonError(400, "bad-request", "after: the `next` of an earlier answer");
    const page = this.reader.thread(threadId, after);
    return page ? json(page) : noThread();
  }

  // ---------------------------------------------------------------- writes

  async createRoute(request: Request): Promise<Response> {
    const ctx = await this.req.authorize(request, true);
    if (ctx instanceof Response) return ctx;
    const body = await this.req.body(request, createThreadRequestSchema);
    if (body instanceof Response) return body;
    const author = authorName(body);
    const wantsAi = asksAi(body.body);
    const refused =
      this.quota.rate(ctx.grant.kind) ??
      this.quota.thread(
        ctx.grant.kind,
        threadBytes(body.quote) + commentBytes(body.body, author) + (wantsAi ? AI_ANSWER_BYTES : 0),
        wantsAi ? 1 : 0,
      );
    if (refused) return refused;
    const authorId = body.authorKey ? await authorIdOf(body.authorKey) : null;
    const stale = this.req.stale(ctx);
    if (stale) return stale;
    this.host.flush();
    const found = findQuote(this.host.doc(), body.quote, body.occurrence ?? 0);
    if (!found) return jsonError(400, "quote-not-found", "The quoted text is not in the document (it must lie within one paragraph)");
    const ticket = wantsAi ? this.ai.admit(ctx.grant.kind, this.person(ctx, authorId, body.connectionId)) : null;
    if (ticket instanceof Response) return ticket;
    const now = Date.now();
    const id = randomId(ID_BYTES);
    try {
      this.host.serverChange(() => markAnchor(found.text, found.index, body.quote.length, id));
    } catch (err) {
      ticket?.slot?.release();
      throw err;
    }
    this.store.addThread({ id, status: "open", quote: body.quote, createdAt: now }, this.row(id, body, author, authorId, now));
    log("info", "thread-created", { doc: this.host.docId(), thread: id, conn: this.connOf(body.connectionId) ?? undefined });
    this.host.announce(id, "created");
    if (ticket) this.askAi(id, ticket);
    return json(this.reader.one(id), 201);
  }

  async replyRoute(request: Request, threadId: string): Promise<Response> {
    const ctx = await this.req.authorize(request, true);
    if (ctx instanceof Response) return ctx;
    const body = await this.req.body(request, addCommentRequestSchema);
    if (body instanceof Response) return body;
    const author = authorName(body);
    const wantsAi = asksAi(body.body);
    const authorId = body.authorKey ? await authorIdOf(body.authorKey) : null;
    const stale = this.req.stale(ctx);
    if (stale) return stale;
    if (!this.store.thread(threadId)) return noThread();
    const refused =
      this.quota.rate(ctx.grant.kind) ??
      this.quota.comment(ctx.grant.kind, threadId, commentBytes(body.body, author) + (wantsAi ? AI_ANSWER_BYTES : 0), wantsAi ? 2 : 1);
    if (refused) return refused;
    const ticket = wantsAi ? this.ai.admit(ctx.grant.kind, this.person(ctx, authorId, body.connectionId)) : null;
    if (ticket instanceof Response) return ticket;
    const row = this.row(threadId, body, author, authorId, Date.now());
    this.store.addComment(row);
    this.host.announce(threadId, "replied");
    if (ticket) this.askAi(threadId, ticket);
    return json(publicComment(row), 201);
  }

  async patchRoute(request: Request, threadId: string): Promise<Response> {
    const ctx = await this.req.authorize(request, true);
    if (ctx instanceof Response) return ctx;
    const body = await this.req.body(request, patchThreadRequestSchema);
    if (body instanceof Response) return body;
    const stale = this.req.stale(ctx);
    if (stale) return stale;
    if (!this.store.thread(threadId)) return noThread();
    const refused = this.quota.rate(ctx.grant.kind);
    if (refused) return refused;
    this.store.setStatus(threadId, body.status);
    this.host.announce(threadId, "status");
    return json(this.reader.one(threadId));
  }

  async editCommentRoute(request: Request, threadId: string, commentId: string): Promise<Response> {
    const ctx = await this.req.authorize(request, true);
    if (ctx instanceof Response) return ctx;
    const body = await this.req.body(request, editCommentRequestSchema);
    if (body instanceof Response) return body;
    const presented = await authorIdOf(body.authorKey);
    const stale = this.req.stale(ctx);
    if (stale) return stale;
    const c = this.store.comment(commentId, threadId);
    if (!c) return noComment();
    if (c.kind !== "person" || c.authorId !== presented) return jsonError(403, "not-yours", "Only its author can edit a comment");
    const refused =
      this.quota.rate(ctx.grant.kind) ??
      this.quota.bytes(ctx.grant.kind, commentBytes(body.body, c.author) - commentBytes(c.body, c.author));
    if (refused) return refused;
    this.store.editComment(commentId, threadId, body.body, Date.now());
    this.host.announce(threadId, "edited");
    return json(publicComment(this.store.comment(commentId)!));
  }

  // ---------------------------------------------------------------- helpers

  /** After a comment starting with @AI: the model's answer, posted as the AI. */
  private askAi(threadId: string, ticket: AiTicket): void {
    const t = this.store.thread(threadId);
    if (!t) {
      ticket.slot?.release();
      return;
    }
    const context = { id: t.id, quote: t.quote, comments: this.store.comments(threadId) };
    const asker = context.comments.at(-1)?.author ?? DEFAULT_AUTHOR;
    this.host.waitUntil(
      this.ai.answer(this.host.docId(), context, ticket, asker).then((answer) => {
        const body = cleanBody(answer) || "(no answer)";
        if (!this.store.thread(threadId) || !this.quota.fits(threadId, commentBytes(body, AI_NAME))) {
          log("warn", "thread-ai-dropped", { doc: this.host.docId(), thread: threadId });
          return;
        }
        this.store.addComment({
          id: randomId(ID_BYTES),
          threadId,
          author: AI_NAME,
          authorId: null,
          kind: "ai",
          conn: null,
          body,
          createdAt: Date.now(),
          editedAt: null,
        });
        this.host.announce(threadId, "replied");
      }),
    );
  }

  private row(threadId: string, body: Sender & { body: string }, author: string, authorId: string | null, at: number): CommentRow {
    return {
      id: randomId(ID_BYTES),
      threadId,
      author,
      authorId,
      kind: "person",
      conn: this.connOf(body.connectionId),
      body: body.body,
      createdAt: at,
      editedAt: null,
    };
  }

  /** Who asks @AI, for the gate's per-person limit: their author key, else their
   * socket, else only their link. */
  private person(ctx: Ctx, authorId: string | null, connectionId: string | undefined): string {
    return authorId !== null ? `author:${authorId}` : (this.connOf(connectionId) ?? `link:${ctx.grant.kind}`);
  }

  /** A connection id is recorded only when it names a socket of this room. */
  private connOf(id: string | undefined): string | null {
    return id !== undefined && this.host.isConnection(id) ? id : null;
  }
}

/** A person's name as stored: never one that reads as the AI's (shared/comments.ts). */
const authorName = (body: Sender): string => personName(body.author || DEFAULT_AUTHOR);
const noThread = () => jsonError(404, "not-found", "No such thread");
