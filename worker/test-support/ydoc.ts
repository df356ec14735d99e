/** The editor's content shape (XmlFragment "default" of paragraphs holding XmlText, as
 * Tiptap writes it), for tests that read or write documents directly with Yjs. The
 * server refuses anything else, so test peers type into this shape too. */
import * as Y from "yjs";
import { YDOC_CONTENT_FIELD } from "../../shared/api";

export function paragraphs(doc: Y.Doc): string[] {
  return doc
    .getXmlFragment(YDOC_CONTENT_FIELD)
    .toArray()
    .map((n) =>
      n instanceof Y.XmlElement
        ? n
            .toArray()
            .map((t) => (t instanceof Y.XmlText ? t.toString() : ""))
            .join("")
        : "",
    );
}

/** All the document's text, paragraphs joined without a separator. */
export const allText = (doc: Y.Doc): string => paragraphs(doc).join("");

export function appendParagraph(doc: Y.Doc, text: string): void {
  const p = new Y.XmlElement("paragraph");
  p.insert(0, [new Y.XmlText(text)]);
  const f = doc.getXmlFragment(YDOC_CONTENT_FIELD);
  f.insert(f.length, [p]);
}

/** The XmlText of paragraph `i` (created, with any before it, if missing). */
export function paragraphText(doc: Y.Doc, i = 0): Y.XmlText {
  const f = doc.getXmlFragment(YDOC_CONTENT_FIELD);
  while (f.length <= i) appendParagraph(doc, "");
  return (f.get(i) as Y.XmlElement).get(0) as Y.XmlText;
}
