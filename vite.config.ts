import { fileURLToPath } from "node:url";
import { cloudflare } from "@cloudflare/vite-plugin";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";
import { VitePWA } from "vite-plugin-pwa";

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  root: here("./client"),
  // Preact's React compatibility layer instead of react-dom: the same components and
  // Tiptap's React bindings, 55 KB gzip less in the editor's first load. (Only the
  // browser imports React; the Worker has no React.)
  resolve: {
    alias: [
      { find: /^react-dom\/client$/, replacement: "preact/compat/client" },
      { find: /^react-dom$/, replacement: "preact/compat" },
      { find: /^react\/jsx-runtime$/, replacement: "preact/jsx-runtime" },
      { find: /^react\/jsx-dev-runtime$/, replacement: "preact/jsx-runtime" },
      { find: /^react$/, replacement: "preact/compat" },
    ],
  },
  publicDir: "public",
  build: { outDir: here("./dist"), emptyOutDir: true },
  environments: {
    // The Worker bundle minified: 2.9 → 1.2 MB of script for workerd to parse in every
    // new isolate, and for wrangler's esbuild to scan (RSS, measured in bench/README.md).
    // Source maps still map stack traces back.
    quire: { build: { minify: true } },
  },
  plugins: [
    react(),
    // The offline shell (client/src/sw.ts): workbox precaching of the hashed build.
    VitePWA({
      strategies: "injectManifest",
      srcDir: "src",
      filename: "sw.ts",
      injectRegister: false,
      manifest: false,
      // A classic script (it is registered without `type: "module"`), built as an IIFE:
      // the plugin's ES build sets Rollup's deprecated inlineDynamicImports.
      injectManifest: { globPatterns: ["**/*.{js,css,html,svg,woff2}"], rollupFormat: "iife" },
      devOptions: { enabled: false },
    }),
    cloudflare({
      configPath: here("./wrangler.toml"),
      // Same folder `npm start` (wrangler dev --persist-to) uses, so dev and start share documents.
      persistState: { path: here("./.wrangler/state") },
      // No inspector: parallel servers (tests, bench) would fight over port 9229.
      inspectorPort: false,
    }),
  ],
});
