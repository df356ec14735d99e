/**
 * Figure 8, client bundle: what a browser downloads to open Quire's editor page
 * (/d/<id> is the single-page app, so index.html and every script and stylesheet it
 * references), gzip-compressed at level 9 like the build's own report; plus any other
 * JavaScript in the build (lazy chunks), listed separately.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

export interface BundleResult {
  editorPageGzipBytes: number;
  editorPageRawBytes: number;
  files: { file: string; rawBytes: number; gzipBytes: number }[];
  otherJsGzipBytes: number;
}

const gz = (b: Buffer): number => gzipSync(b, { level: 9 }).byteLength;

export function bundle(root: string): BundleResult {
  const dir = join(root, "dist/client");
  const html = readFileSync(join(dir, "index.html"));
  const refs = [...html.toString().matchAll(/(?:src|href)="\/?(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]!);
  const files = [
    { file: "index.html", rawBytes: html.byteLength, gzipBytes: gz(html) },
    ...refs.map((file) => {
      const b = readFileSync(join(dir, file));
      return { file, rawBytes: b.byteLength, gzipBytes: gz(b) };
    }),
  ];
  const others = readdirSync(join(dir, "assets"))
    .map((f) => `assets/${f}`)
    .filter((f) => f.endsWith(".js") && !refs.includes(f));
  return {
    editorPageGzipBytes: files.reduce((n, f) => n + f.gzipBytes, 0),
    editorPageRawBytes: files.reduce((n, f) => n + f.rawBytes, 0),
    files,
    otherJsGzipBytes: others.reduce((n, f) => n + gz(readFileSync(join(dir, f))), 0),
  };
}
