/**
 * Getting images into the document: the toolbar's file picker, pasted and dropped
 * files (Tiptap's FileHandler), and `data:` images inside pasted HTML (which the
 * schema would drop: they are uploaded instead, never inlined). Each file gets a
 * placeholder (placeholder.ts), is uploaded (a few at a time), and replaced by an
 * image node that references the stored file; a failure shows in the placeholder.
 */
import { Extension, type Editor } from "@tiptap/core";
import { FileHandler } from "@tiptap/extension-file-handler";
import type { Node as PMNode } from "@tiptap/pm/model";
import { Plugin } from "@tiptap/pm/state";
import { IMAGE_TYPES, isImageType } from "../../../shared/files";
import { CLIENT_UPLOAD_CONCURRENCY, MAX_FILE_BYTES } from "../../../shared/limits";
import { ApiError, uploadFile } from "../lib/api";
import { addPlaceholder, failPlaceholder, pendingUpload, placeholderPlugin, removePlaceholder } from "./placeholder";

export interface UploadOptions {
  docId: string;
  /** The owner or edit token uploads are sent with. */
  token: string | null;
}

/** How long a failed upload's message stays in the document before it goes. */
const FAILED_NOTICE_MS = 8_000;
const MIB = 1024 * 1024;

/** Uploads waiting for a free slot, per editor. */
const queues = new WeakMap<Editor, { running: number; waiting: (() => Promise<void>)[] }>();

function enqueue(editor: Editor, job: () => Promise<void>): void {
  let q = queues.get(editor);
  if (!q) {
    q = { running: 0, waiting: [] };
    queues.set(editor, q);
  }
  const queue = q;
  const next = (): void => {
    while (queue.running < CLIENT_UPLOAD_CONCURRENCY && queue.waiting.length > 0) {
      const run = queue.waiting.shift()!;
      queue.running += 1;
      void run().finally(() => {
        queue.running -= 1;
        next();
      });
    }
  };
  queue.waiting.push(job);
  next();
}

function reason(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  return err instanceof Error ? err.message : "something went wrong";
}

function fail(editor: Editor, id: string, message: string, preview: string | null): void {
  if (preview) URL.revokeObjectURL(preview);
  if (editor.isDestroyed) return;
  editor.view.dispatch(failPlaceholder(editor.state.tr, id, message));
  setTimeout(() => {
    if (!editor.isDestroyed) editor.view.dispatch(removePlaceholder(editor.state.tr, id));
  }, FAILED_NOTICE_MS);
}

/** Where a block image goes for a position in text: before a paragraph whose start
 * (or emptiness) it is, after one whose end it is, so no text block is split or
 * replaced (an empty line the cursor is on stays, after the image); mid-text splits. */
function blockPosition(doc: PMNode, pos: number): number {
  const $pos = doc.resolve(Math.min(pos, doc.content.size));
  if (!$pos.parent.isTextblock || $pos.depth === 0) return $pos.pos;
  if ($pos.parentOffset === 0) return $pos.before();
  if ($pos.parentOffset === $pos.parent.content.size) return $pos.after();
  return $pos.pos;
}

/** Uploads `files` and inserts each as an image at `pos` (kept while others edit). */
export function uploadImages(editor: Editor, files: File[], pos: number, opts: UploadOptions): void {
  for (const file of files) {
    const id = crypto.randomUUID();
    const name = file.name || "image";
    const preview = isImageType(file.type) ? URL.createObjectURL(file) : null;
    editor.view.dispatch(addPlaceholder(editor.state.tr, { id, at: Math.min(pos, editor.state.doc.content.size), preview, name }));
    if (!isImageType(file.type)) {
      fail(editor, id, "only PNG, JPEG, GIF and WebP images can be added", preview);
      continue;
    }
    if (file.size > MAX_FILE_BYTES) {
      fail(editor, id, `it is over ${MAX_FILE_BYTES / MIB} MiB`, preview);
      continue;
    }
    if (!opts.token) {
      fail(editor, id, "this link cannot upload", preview);
      continue;
    }
    const token = opts.token;
    enqueue(editor, async () => {
      try {
        const stored = await uploadFile(opts.docId, token, file);
        if (editor.isDestroyed) return;
        const at = pendingUpload(editor.state, id);
        if (!at) return;
        editor
          .chain()
          .command(({ tr }) => {
            removePlaceholder(tr, id);
            return true;
          })
          // No alt text from the file name ("IMG_2041" describes nothing): the image
          // panel asks for a description.
          // The uploader may be typing elsewhere by now: their cursor stays put.
          .insertContentAt(
            blockPosition(editor.state.doc, at.pos),
            { type: "image", attrs: { src: stored.url } },
            { updateSelection: false },
          )
          .run();
        if (preview) URL.revokeObjectURL(preview);
      } catch (err) {
        fail(editor, id, reason(err), preview);
      }
    });
  }
}

/** Opens the file picker and uploads what is chosen at the cursor. */
export function chooseImageFile(editor: Editor): void {
  const ext = editor.extensionManager.extensions.find((e) => e.name === "imageUpload");
  if (!ext || !editor.isEditable) return;
  const input = document.createElement("input");
  input.type = "file";
  input.accept = IMAGE_TYPES.join(",");
  input.multiple = true;
  input.hidden = true;
  document.body.append(input);
  input.addEventListener("change", () => {
    const files = [...(input.files ?? [])];
    input.remove();
    if (files.length > 0) uploadImages(editor, files, editor.state.selection.from, ext.options as UploadOptions);
  });
  input.addEventListener("cancel", () => input.remove());
  input.click();
}

/** `data:` images in pasted HTML as files (the schema refuses them as addresses). */
function dataImages(doc: Document): File[] {
  const out: File[] = [];
  for (const img of [...doc.querySelectorAll("img")]) {
    const src = img.getAttribute("src") ?? "";
    const m = /^data:(image\/[a-z+.-]+);base64,([\s\S]*)$/i.exec(src.trim());
    if (!m) continue;
    img.remove();
    try {
      const bin = atob(m[2]!.replace(/\s+/g, ""));
      const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
      out.push(new File([bytes], `pasted-image.${m[1]!.split("/")[1]!.replace(/\W.*$/, "")}`, { type: m[1]!.toLowerCase() }));
    } catch {
      /* not base64 after all: dropped, as the schema would have */
    }
  }
  return out;
}

export const ImageUpload = Extension.create<UploadOptions>({
  name: "imageUpload",
  addOptions: () => ({ docId: "", token: null }),

  addExtensions() {
    const options = this.options;
    return [
      FileHandler.configure({
        onDrop: (editor, files, pos) => uploadImages(editor, files, pos, options),
        onPaste: (editor, files) => {
          // The same paste's HTML (a copied web image comes as both) must not add the
          // picture a second time: the upload is the copy the document keeps.
          const storage = this.storage as { filesPasted: boolean };
          storage.filesPasted = true;
          // Only for this paste: its HTML, if any, is read in the same event.
          setTimeout(() => (storage.filesPasted = false), 0);
          uploadImages(editor, files, editor.state.selection.from, options);
        },
      }),
    ];
  },

  addStorage: () => ({ filesPasted: false }),

  addProseMirrorPlugins() {
    const { editor, options, storage } = this;
    return [
      placeholderPlugin(),
      new Plugin({
        props: {
          transformPastedHTML(html) {
            const stripAll = storage.filesPasted;
            storage.filesPasted = false;
            if (!stripAll && !/<img[^>]+src\s*=\s*["']?\s*data:/i.test(html)) return html;
            const doc = new DOMParser().parseFromString(html, "text/html");
            if (stripAll) for (const img of [...doc.querySelectorAll("img")]) img.remove();
            const files = stripAll ? [] : dataImages(doc);
            if (files.length > 0) {
              // After the paste itself is in: the images go where it ended.
              setTimeout(() => {
                if (!editor.isDestroyed) uploadImages(editor, files, editor.state.selection.from, options);
              }, 0);
            }
            return doc.body.innerHTML;
          },
        },
      }),
    ];
  },
});
