/**
 * How an image node shows in the editor: the picture (this document's files through
 * their keyed address, file-key.ts), and, for editors, when the image is selected, a
 * small panel to describe it (alt text) and pick its width. The panel is part of the
 * node view, not of the document; its changes are ordinary attribute changes.
 */
import type { Editor } from "@tiptap/core";
import type { Node as PMNode } from "@tiptap/pm/model";
import type { NodeView } from "@tiptap/pm/view";
import { MAX_ATTRIBUTE_CHARS } from "../../../shared/limits";
import { QuireImage } from "../../../shared/schema-image";
import { displaySrc, fileKey } from "./file-key";

export interface FileImageOptions {
  docId: string;
  /** The token this tab opened the document with, or null (no keyed files then). */
  token: string | null;
  editable: boolean;
}

/** Widths offered, in CSS pixels; "" is the picture's own size (up to the page width). */
const WIDTHS: [string, string][] = [
  ["", "Original size"],
  ["240", "Small"],
  ["400", "Medium"],
  ["640", "Large"],
];

class ImageView implements NodeView {
  readonly dom: HTMLElement;
  private readonly img: HTMLImageElement;
  private readonly panel: HTMLElement | null = null;
  private readonly alt: HTMLInputElement | null = null;
  private readonly width: HTMLSelectElement | null = null;
  private key: string | null = null;

  constructor(
    private node: PMNode,
    private readonly getPos: () => number | undefined,
    private readonly editor: Editor,
    private readonly options: FileImageOptions,
  ) {
    this.dom = document.createElement("figure");
    this.dom.className = "quire-image";
    this.img = document.createElement("img");
    this.img.draggable = true;
    this.dom.append(this.img);
    if (options.editable) {
      this.panel = document.createElement("div");
      this.panel.className = "quire-image-panel";
      this.panel.contentEditable = "false";
      this.panel.hidden = true;
      this.alt = document.createElement("input");
      this.alt.type = "text";
      this.alt.maxLength = MAX_ATTRIBUTE_CHARS;
      this.alt.placeholder = "Describe this image for people who can't see it";
      this.alt.setAttribute("aria-label", "Alt text");
      this.alt.addEventListener("change", () => this.setAttrs({ alt: this.alt!.value.trim() || null }));
      this.alt.addEventListener("keydown", (e) => {
        if (e.key === "Enter") this.alt!.blur();
      });
      this.width = document.createElement("select");
      this.width.setAttribute("aria-label", "Image width");
      for (const [value, label] of WIDTHS) this.width.append(new Option(label, value));
      this.width.addEventListener("change", () => this.setAttrs({ width: Number(this.width!.value) || null }));
      this.panel.append(this.alt, this.width);
      this.dom.append(this.panel);
    }
    this.render();
    if (options.token) {
      void fileKey(options.docId, options.token).then((key) => {
        this.key = key;
        this.render();
      });
    }
  }

  private render(): void {
    const { src, alt, title, width } = this.node.attrs as { src: unknown; alt: string | null; title: string | null; width: number | null };
    const shown = displaySrc(src, this.options.docId, this.key);
    if (shown === null) this.img.removeAttribute("src");
    else if (this.img.getAttribute("src") !== shown) this.img.setAttribute("src", shown);
    this.img.alt = alt ?? "";
    if (title) this.img.title = title;
    else this.img.removeAttribute("title");
    this.img.style.width = typeof width === "number" ? `${width}px` : "";
    if (this.alt && document.activeElement !== this.alt) this.alt.value = alt ?? "";
    if (this.width) {
      const known = WIDTHS.some(([v]) => v === String(width ?? ""));
      if (!known && typeof width === "number") this.width.append(new Option(`${Math.round(width)} px`, String(width)));
      this.width.value = typeof width === "number" ? String(width) : "";
    }
  }

  private setAttrs(attrs: Record<string, unknown>): void {
    const pos = this.getPos();
    if (typeof pos !== "number" || !this.editor.isEditable) return;
    this.editor.view.dispatch(this.editor.state.tr.setNodeMarkup(pos, undefined, { ...this.node.attrs, ...attrs }));
  }

  update(node: PMNode): boolean {
    if (node.type !== this.node.type) return false;
    this.node = node;
    this.render();
    return true;
  }

  selectNode(): void {
    this.dom.classList.add("ProseMirror-selectednode");
    if (this.panel && this.editor.isEditable) this.panel.hidden = false;
  }

  deselectNode(): void {
    this.dom.classList.remove("ProseMirror-selectednode");
    // Keep the panel while someone is typing in it (focus left the editor for it).
    if (this.panel && !this.panel.contains(document.activeElement)) this.panel.hidden = true;
  }

  /** Typing and clicking in the panel are the panel's, not the editor's. */
  stopEvent(event: Event): boolean {
    return this.panel !== null && event.target instanceof Node && this.panel.contains(event.target);
  }

  ignoreMutation(): boolean {
    return true;
  }
}

/** The schema's image node (same name, attributes and parsing) with this view. */
export const FileImage = QuireImage.extend<FileImageOptions>({
  addOptions() {
    return { ...this.parent!(), docId: "", token: null, editable: false } as ReturnType<NonNullable<typeof this.parent>> & FileImageOptions;
  },
  addNodeView() {
    const options = this.options;
    return ({ node, getPos, editor }) => new ImageView(node, getPos as () => number | undefined, editor, options);
  },
});
