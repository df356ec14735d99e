/**
 * POST /create: a new document with its title, optional imported Markdown and fresh
 * links. R2 first, then one synchronous block (one commit), so a crash leaves either
 * nothing or a whole document that can be recovered from R2 alone.
 */
import { DEFAULT_TITLE, YDOC_CONTENT_FIELD, YDOC_META_MAP, YDOC_META_TITLE, createDocRequestSchema } from "../../shared/api";
import { MAX_IMPORT_BODY_BYTES } from "../../shared/limits";
import { readJson } from "../lib/body";
import { json, jsonError } from "../lib/http";
import { errorMessage, log } from "../lib/log";
import { issueAll } from "../access/links";
import { applyBlocks, parseMarkdown, type ParsedBlocks } from "../content/markdown";
import type { RoomContext } from "../room/context";

/** The part of the room (RoomContext) creation uses. */
export type CreateDeps = Pick<RoomContext, "docId" | "doc" | "store" | "links" | "history" | "serverChange" | "writerFor">;

export async function createDocument(request: Request, d: CreateDeps): Promise<Response> {
  // The Worker validated this body already; the cap keeps the DO safe on its own too.
  const body = await readJson(request, MAX_IMPORT_BODY_BYTES);
  if (!body.ok) return body.response;
  const parsed = createDocRequestSchema.safeParse(body.value);
  if (!parsed.success) return jsonError(400, "bad-request", "Invalid create request");
  const title = parsed.data.title || DEFAULT_TITLE;
  let content: ParsedBlocks | null = null;
  try {
    if (parsed.data.markdown) content = await parseMarkdown(parsed.data.markdown);
  } catch (err) {
    log("warn", "markdown-rejected", { doc: d.docId(), error: errorMessage(err) });
    return jsonError(400, "bad-markdown", "The Markdown could not be turned into document content");
  }
  const issued = await issueAll(d.docId());
  const createdAt = Date.now();
  const tokenHashes = {
    owner: issued.owner.hash,
    edit: issued.edit.hash,
    comment: issued.comment.hash,
    view: issued.view.hash,
  };
  const sealedLinks = { edit: issued.edit.sealed, comment: issued.comment.sealed, view: issued.view.sealed };
  if (!(await d.history.created({ format: 1, createdAt, title, tokenHashes, sealedLinks }))) {
    return jsonError(503, "storage-unavailable", "Storage is unavailable; try again");
  }
  d.links.create(issued);
  d.store.setMeta("created_at", createdAt);
  d.history.markCreated();
  d.serverChange(() => d.doc().getMap(YDOC_META_MAP).set(YDOC_META_TITLE, title));
  // Nobody holds a token before this answers: a crash part-way leaves a document no one
  // can open, never a half document someone was told about.
  if (content) {
    const write = d.writerFor({ link: "owner", name: "Imported by the owner" });
    await applyBlocks(content, "append", (change) => write(() => change(d.doc().getXmlFragment(YDOC_CONTENT_FIELD))));
  }
  log("info", "created", { doc: d.docId() });
  return json(
    {
      title,
      ownerToken: issued.owner.token,
      editToken: issued.edit.token,
      commentToken: issued.comment.token,
      viewToken: issued.view.token,
    },
    201,
  );
}
