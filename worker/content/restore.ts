/**
 * Restoring a version = one ordinary Yjs change on the live document that makes its
 * content equal to the version's. It goes through y-prosemirror's own `updateYFragment`
 * (what every browser edit goes through), which keeps nodes that did not change and
 * rewrites only the rest, so carets and concurrent edits elsewhere survive, and the
 * change is appended, broadcast and undoable like any other. Only the content field
 * is restored; the title stays as it is.
 */
import { updateYFragment } from "@tiptap/y-tiptap";
import type * as Y from "yjs";
import { YDOC_CONTENT_FIELD } from "../../shared/api";
import { fragmentToDoc } from "../../shared/content";
import { editorSchema } from "../../shared/schema";

/** Makes `target`'s content equal to `version`'s. Call inside a transaction (the
 * caller's: it decides the origin and how the change is stored). */
export function restoreInto(target: Y.Doc, version: Y.Doc): void {
  // The version is read like an export (unknown or too-deep content becomes what the
  // editor can show), so a restore never writes back anything the editor cannot render.
  const node = fragmentToDoc(version.getXmlFragment(YDOC_CONTENT_FIELD), editorSchema());
  updateYFragment(target, target.getXmlFragment(YDOC_CONTENT_FIELD), node, {
    mapping: new Map(),
    isOMark: new Map(),
  });
}
