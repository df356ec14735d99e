/** The editor page's up-front download (entry + static imports, gzip) against its budget.
 * Needs a build (`npm run build`, as `npm test` does first). */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a plain .mjs script without type declarations
import { INITIAL_GZIP_BUDGET_BYTES, initialLoad, RATCHET_GZIP_BYTES } from "../../scripts/bundle-size.mjs";

const built = existsSync(fileURLToPath(new URL("../../dist/client/index.html", import.meta.url)));

describe.runIf(built)("editor page bundle (gzip, before any interaction)", () => {
  const files = initialLoad() as { file: string; gzip: number }[];
  const total = files.reduce((n, f) => n + f.gzip, 0);

  it("loads no more than it did when last measured (ratchet toward the 250 KB target)", () => {
    console.log(
      `initial editor page: ${(total / 1024).toFixed(1)} KB gzip in ${files.length} files (target ${INITIAL_GZIP_BUDGET_BYTES / 1024} KB)`,
    );
    expect(total).toBeLessThanOrEqual(RATCHET_GZIP_BYTES);
  });

  it("keeps what the first keystroke needs in the initial load: the editor, its schema, collaboration", () => {
    const code = files
      .filter((f) => f.file.endsWith(".js"))
      .map((f) => readFileSync(fileURLToPath(new URL(`../../dist/client/${f.file}`, import.meta.url)), "utf8"))
      .join("\n");
    // Strings that survive minification: the editor's own label, a schema node, Tiptap's
    // Collaboration extension, the Yjs binding's plugin key, the provider's custom messages.
    const q = "[`\"']";
    for (const marker of ["Document content", "tableCell", `name:${q}collaboration${q}`, `${q}y-sync${q}`, "__YPS:"]) {
      expect(new RegExp(marker).test(code), marker).toBe(true);
    }
  });

  it("keeps what is not needed to type out of the initial load", () => {
    const names = files.map((f) => f.file).join(" ");
    for (const lazy of [
      "AiAssist",
      "FindBar",
      "Outline",
      "ShareDialog",
      "ShortcutsDialog",
      "VersionPreview",
      "Home",
      "slash-extension",
      "ExportMenu",
      "MoreList",
      "HeaderSettings",
      "TableTools",
    ]) {
      expect(names, lazy).not.toContain(`/${lazy}-`);
    }
  });
});
