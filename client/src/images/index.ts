/**
 * Images in the editor: the schema's image node shown through file-key.ts (every
 * reader), and uploads by button, paste and drop with placeholders (editors only).
 */
import type { AnyExtension } from "@tiptap/core";
import { bestToken } from "../lib/storage";
import { FileImage } from "./image-view";
import { ImageUpload } from "./upload";
import "./images.css";

export { chooseImageFile } from "./upload";

/** `base` (the shared schema's extensions) with the image node given its view, plus
 * uploads when the reader can edit. */
export function withImages(base: AnyExtension[], docId: string, editable: boolean): AnyExtension[] {
  const token = bestToken(docId)?.token ?? null;
  const out = base.map((ext) => (ext.name === "image" ? FileImage.configure({ docId, token, editable }) : ext));
  return editable ? [...out, ImageUpload.configure({ docId, token })] : out;
}
