/**
 * Images as block nodes (src, alt, title, width). Every way in and out goes through the
 * link allowlist: pasted HTML (parse rule), rendering in the editor and in HTML export
 * (no src is written for a refused address), Markdown import and export. No `data:`
 * sources: an image is an address, never megabytes of base64 inside the document.
 */
import Image from "@tiptap/extension-image";
import { NODE_ATTR_RULES, validatorFor } from "./content-attrs";
import { isAllowedHref, safeHref } from "./links";
import { markdownImage } from "./markdown-escape";

const rules = NODE_ATTR_RULES.image!;

/** The part of a DOM element the parse rules read (shared code has no DOM types). */
interface HasAttributes {
  getAttribute(name: string): string | null;
}

export const QuireImage = Image.extend({
  addOptions() {
    return { ...this.parent!(), inline: false, allowBase64: false, resize: false as const };
  },

  addAttributes() {
    return {
      src: {
        default: null,
        validate: validatorFor(rules.src!, "image.src"),
        parseHTML: (el: HasAttributes) => safeHref(el.getAttribute("src")),
        renderHTML: (attrs: Record<string, unknown>) => (isAllowedHref(attrs.src) ? { src: attrs.src } : {}),
      },
      alt: { default: null, validate: validatorFor(rules.alt!, "image.alt") },
      title: { default: null, validate: validatorFor(rules.title!, "image.title") },
      width: {
        default: null,
        validate: validatorFor(rules.width!, "image.width"),
        parseHTML: (el: HasAttributes) => {
          const w = Number.parseFloat(el.getAttribute("width") ?? "");
          return Number.isFinite(w) && w > 0 ? w : null;
        },
      },
    };
  },

  parseHTML() {
    return [
      {
        tag: "img[src]",
        getAttrs: (el: HasAttributes) => (isAllowedHref(el.getAttribute("src")) ? null : false),
      },
    ];
  },

  renderMarkdown: (node) => markdownImage(node.attrs ?? {}),
});
