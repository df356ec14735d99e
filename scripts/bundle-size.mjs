/**
 * What the editor page downloads before anyone interacts with it: index.html's module
 * script and stylesheets, plus every chunk they import statically (what the browser
 * fetches at once; dynamic import() chunks load later, on demand). Prints gzip sizes;
 * `npm run size` after `npm run build` (exits 1 above the target). The unit test
 * e2e/repo/bundle-size.test.ts holds the size at RATCHET_GZIP_BYTES.
 */
import { readFileSync } from "node:fs";
import { dirname, join, posix } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

/** The target from issue 18. */
export const INITIAL_GZIP_BUDGET_BYTES = 250 * 1024;
/** What the budget test enforces today: the measured size plus a little slack. History:
 * 303.8 KB after lazy-loading AI, history previews, dialogs, find, outline, the slash menu
 * and the home page; 309.6 KB with suggestion mode's structural changes and the comments'
 * live thread list; 312.8 KB with the keyboard toolbar, panels and the owner's health;
 * 297.6 KB with the shared schemas in zod/mini and History loaded when opened; 240.7 KB
 * with Preact's compatibility layer in place of react-dom (vite.config.ts). Lower it as
 * the initial load shrinks; the largest parts left are Tiptap/ProseMirror and Yjs. */
export const RATCHET_GZIP_BYTES = 245 * 1024;

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "dist", "client");

/** Static imports of a built chunk: `import "./x.js"`, `import {a} from "./x.js"`, and
 * `export … from`, but not `import("./x.js")`. */
function staticImports(code) {
  const out = new Set();
  for (const m of code.matchAll(/(?:\bimport|\bfrom)\s*["']([^"']+\.js)["']/g)) out.add(m[1]);
  return [...out];
}

/** Every file (path under dist/client) the page loads up front, with its gzip size. */
export function initialLoad(dir = root) {
  const html = readFileSync(join(dir, "index.html"), "utf8");
  const entries = [...html.matchAll(/<(?:script|link)[^>]+(?:src|href)="(\/assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1].slice(1));
  const seen = new Map();
  const visit = (file) => {
    if (seen.has(file)) return;
    const body = readFileSync(join(dir, file));
    seen.set(file, { raw: body.length, gzip: gzipSync(body, { level: 9 }).length });
    if (file.endsWith(".js")) {
      for (const spec of staticImports(body.toString("utf8"))) {
        if (spec.startsWith(".")) visit(posix.normalize(posix.join(posix.dirname(file), spec)));
      }
    }
  };
  for (const f of entries) visit(f);
  return [...seen].map(([file, s]) => ({ file, ...s }));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const files = initialLoad();
  let total = 0;
  for (const f of files) {
    total += f.gzip;
    console.log(`${(f.gzip / 1024).toFixed(1).padStart(8)} KB gzip  ${(f.raw / 1024).toFixed(1).padStart(8)} KB raw  ${f.file}`);
  }
  console.log(`${(total / 1024).toFixed(1).padStart(8)} KB gzip total (budget ${INITIAL_GZIP_BUDGET_BYTES / 1024} KB)`);
  if (total > INITIAL_GZIP_BUDGET_BYTES) process.exitCode = 1;
}
