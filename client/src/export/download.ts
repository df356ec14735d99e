/** Saving an export: fetch it with this tab's token (lib/api.ts), then hand the bytes
 * to the browser as a download under a file name made from the title. */
import type { DownloadFormat } from "../../../shared/api";
import { safeFilename } from "../../../shared/filename";
import { downloadExport } from "../lib/api";

export const FORMAT_LABELS: Record<DownloadFormat, string> = {
  md: "Markdown (.md)",
  html: "Web page (.html)",
  txt: "Plain text (.txt)",
  json: "ProseMirror JSON (.json)",
  docx: "Word (.docx)",
};

/** The formats the menu offers, in its order (JSON is for developers: API only). */
export const MENU_FORMATS: DownloadFormat[] = ["docx", "md", "html", "txt"];

export async function saveExport(docId: string, token: string, format: DownloadFormat, title: string): Promise<string> {
  const { blob, filename } = await downloadExport(docId, token, format);
  const name = filename ?? safeFilename(title, format);
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  // The download has started from the URL; give the browser a moment before revoking.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return name;
}
