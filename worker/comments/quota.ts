/**
 * What one link may add to a document's threads. Every link holder is a possible
 * vandal: a comment link once posted 2,000 comments of 10,000 characters in 5–7 s and
 * 500 threads in 1.2 s, which locked everyone (the owner too) out of new threads for
 * good. So: per-document totals (bytes, threads, comments per thread) that the owner
 * may always exceed by a reserve, and a per-link rate for writes (429 + Retry-After).
 * Deleting is never limited: it only frees room.
 */
import type { ErrorBody } from "../../shared/api";
import {
  COMMENT_ROW_BYTES,
  COMMENT_WRITES_PER_MINUTE_PER_LINK,
  MAX_COMMENT_BYTES_PER_DOCUMENT,
  MAX_COMMENTS_PER_THREAD,
  MAX_THREADS_PER_DOCUMENT,
  OWNER_RESERVE_COMMENT_BYTES,
  OWNER_RESERVE_COMMENTS_PER_THREAD,
  OWNER_RESERVE_THREADS,
} from "../../shared/limits";
import type { LinkKind } from "../../shared/sharing";
import { admit } from "../ai/limiter";
import { json, jsonError } from "../lib/http";
import type { ThreadStore } from "./store";

const MINUTE_MS = 60_000;
const utf8 = new TextEncoder();

/** What a comment costs against MAX_COMMENT_BYTES_PER_DOCUMENT (store.ts sums the same). */
export const commentBytes = (body: string, author: string): number =>
  utf8.encode(body).byteLength + utf8.encode(author).byteLength + COMMENT_ROW_BYTES;
export const threadBytes = (quote: string): number => utf8.encode(quote).byteLength + COMMENT_ROW_BYTES;

/** 429 with Retry-After (seconds) and the same in milliseconds in the body. */
export function tooMany(retryAfterMs: number, message: string): Response {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  const body: ErrorBody & { retryAfterMs: number } = { error: "rate-limited", message, retryAfterMs };
  return json(body, 429, { "retry-after": String(seconds) });
}

export class CommentQuota {
  private readonly writes = new Map<LinkKind, number[]>();

  constructor(
    private readonly store: ThreadStore,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one write by `link`; 429 when the link is over its rate. */
  rate(link: LinkKind): Response | null {
    const a = admit(this.writes.get(link) ?? [], this.now(), COMMENT_WRITES_PER_MINUTE_PER_LINK, MINUTE_MS);
    this.writes.set(link, a.times);
    if (a.ok) return null;
    return tooMany(a.retryAfterMs, `This link may post ${COMMENT_WRITES_PER_MINUTE_PER_LINK} comments per minute; try again shortly.`);
  }

  /** A new thread with its first comment (`bytes` for both), and `answers` more comments
   * to come (the AI's, for a question to @AI). */
  thread(link: LinkKind, bytes: number, answers = 0): Response | null {
    const owner = link === "owner";
    const max = MAX_THREADS_PER_DOCUMENT - (owner ? 0 : OWNER_RESERVE_THREADS);
    if (this.store.threadCount() >= max) {
      return jsonError(409, "too-many-threads", `This document is full of threads (${max}); its owner can delete some`);
    }
    return this.bytes(link, bytes) ?? this.perThread(link, 1 + answers);
  }

  /** `count` new comments in a thread, `bytes` in all. */
  comment(link: LinkKind, threadId: string, bytes: number, count = 1): Response | null {
    return this.perThread(link, count, threadId) ?? this.bytes(link, bytes);
  }

  /** A change that grows the texts by `delta` bytes (an edit). */
  bytes(link: LinkKind, delta: number): Response | null {
    if (delta <= 0) return null;
    const max = MAX_COMMENT_BYTES_PER_DOCUMENT - (link === "owner" ? 0 : OWNER_RESERVE_COMMENT_BYTES);
    if (this.store.bytes() + delta <= max) return null;
    return jsonError(409, "comments-full", "This document's comments are full; its owner can delete some threads");
  }

  /** Whether `bytes` more fit under the hard total (the AI's answer, admitted earlier). */
  fits(threadId: string, bytes: number): boolean {
    return this.store.bytes() + bytes <= MAX_COMMENT_BYTES_PER_DOCUMENT && this.store.commentCount(threadId) < MAX_COMMENTS_PER_THREAD;
  }

  private perThread(link: LinkKind, count: number, threadId?: string): Response | null {
    const max = MAX_COMMENTS_PER_THREAD - (link === "owner" ? 0 : OWNER_RESERVE_COMMENTS_PER_THREAD);
    const has = threadId === undefined ? 0 : this.store.commentCount(threadId);
    if (has + count <= max) return null;
    return jsonError(409, "too-many-comments", `A thread keeps at most ${max} comments; start a new thread`);
  }
}
