/**
 * The comment anchor: a mark on the text a thread is about, holding only the thread's
 * id. Being a mark in the Y.Doc, it moves with concurrent edits, comes back with undo
 * and redo, and travels with cut and paste inside the document. The thread itself
 * (comments, status) lives in the Durable Object, where Yjs writes cannot reach it.
 *
 * Not inclusive: typing at the edge of commented text does not extend the anchor.
 * One anchor per character (marks of one type exclude each other): a new thread on
 * text that already has one takes that text over; the older thread keeps what is left,
 * or shows as detached with its last quote.
 */
import { Mark } from "@tiptap/core";
import { COMMENT_MARK, isThreadId } from "./comments";

export const CommentMark = Mark.create({
  name: COMMENT_MARK,
  inclusive: false,
  addAttributes() {
    return {
      threadId: {
        default: null,
        validate: (v: unknown) => {
          if (!isThreadId(v)) throw new RangeError("Invalid value for comment.threadId");
        },
        parseHTML: (el: { getAttribute(name: string): string | null }) => el.getAttribute("data-thread-id"),
        renderHTML: (attrs: Record<string, unknown>) => ({ "data-thread-id": attrs.threadId }),
      },
    };
  },
  parseHTML() {
    return [{ tag: "span[data-thread-id]" }];
  },
  renderHTML({ HTMLAttributes }) {
    return ["span", { ...HTMLAttributes, class: "comment-anchor" }, 0];
  },
  // Exports leave anchors out: the text reads as if it had none.
  renderMarkdown: (node, h) => h.renderChildren(node),
});
