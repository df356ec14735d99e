/**
 * The threads' copy in R2 (docs/<id>/threads.json.gz, see storage/r2.ts): written by
 * the storage layer at its snapshot alarms whenever the threads changed since the last
 * copy, and read back when a document is rebuilt from R2, so threads no longer live in
 * one place only. Its size is bounded by MAX_COMMENT_BYTES_PER_DOCUMENT. What it reads
 * back is checked like any input: a copy that does not parse is not installed.
 */
import * as z from "zod/mini";
import { cleanAuthor, cleanBody } from "../../shared/comment-input";
import { COMMENT_KINDS, threadIdSchema } from "../../shared/comments";
import {
  MAX_AUTHOR_CHARS,
  MAX_COMMENT_BODY_CHARS,
  MAX_COMMENTS_PER_THREAD,
  MAX_QUOTE_CHARS,
  MAX_THREADS_PER_DOCUMENT,
} from "../../shared/limits";
import { errorMessage, log } from "../lib/log";
import type { ThreadsCopy } from "../storage/r2";
import { publicComment } from "./reads";
import type { CommentRow, ThreadStore } from "./store";

const FORMAT = 1;
const rowId = z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/));
const text = (max: number, clean: (s: string) => string) =>
  z.string().check(
    z.maxLength(max * 2),
    z.overwrite((s) => clean(s).slice(0, max)),
  );

const copySchema = z.object({
  format: z.literal(FORMAT),
  threads: z
    .array(
      z.object({
        id: threadIdSchema,
        status: z.enum(["open", "resolved"]),
        quote: text(MAX_QUOTE_CHARS, (s) => s),
        createdAt: z.number(),
        comments: z
          .array(
            z.object({
              id: rowId,
              author: text(MAX_AUTHOR_CHARS + 20, cleanAuthor),
              authorId: z.nullable(z.string().check(z.regex(/^[0-9a-f]{16}$/))),
              kind: z.enum(COMMENT_KINDS),
              body: text(MAX_COMMENT_BODY_CHARS, cleanBody),
              createdAt: z.number(),
              editedAt: z.nullable(z.number()),
            }),
          )
          .check(z.minLength(1), z.maxLength(MAX_COMMENTS_PER_THREAD)),
      }),
    )
    .check(z.maxLength(MAX_THREADS_PER_DOCUMENT)),
});

export class ThreadsBackup implements ThreadsCopy {
  constructor(
    private readonly store: ThreadStore,
    private readonly docId: () => string,
  ) {}

  pending(): { seq: number; json: string } | null {
    const seq = this.store.seq();
    if (seq === this.store.backedUpSeq()) return null;
    const threads = this.store.threads().map((t) => ({
      id: t.id,
      status: t.status,
      quote: t.quote,
      createdAt: t.createdAt,
      comments: this.store.comments(t.id).map(publicComment),
    }));
    return { seq, json: JSON.stringify({ format: FORMAT, threads }) };
  }

  written(seq: number): void {
    this.store.setBackedUpSeq(seq);
  }

  install(json: string): void {
    let raw: unknown;
    try {
      raw = JSON.parse(json);
    } catch (err) {
      log("warn", "threads-copy-unreadable", { doc: this.docId(), error: errorMessage(err) });
      return;
    }
    const parsed = copySchema.safeParse(raw);
    if (!parsed.success) {
      log("warn", "threads-copy-unreadable", { doc: this.docId(), error: parsed.error.issues[0]?.message ?? "bad shape" });
      return;
    }
    const threads = parsed.data.threads.filter((t) => t.comments.some((c) => c.body !== ""));
    const comments: CommentRow[] = threads.flatMap((t) =>
      t.comments.filter((c) => c.body !== "").map((c) => ({ ...c, threadId: t.id, conn: null })),
    );
    this.store.replaceAll(threads, comments);
    // What was just installed is what R2 holds.
    this.store.setBackedUpSeq(this.store.seq());
    log("warn", "threads-recovered", { doc: this.docId(), threads: threads.length, comments: comments.length });
  }
}
