import { fileURLToPath } from "node:url";
import { cloudflare } from "@cloudflare/vite-plugin";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  root: here("./client"),
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
    cloudflare({
      configPath: here("./wrangler.toml"),
      // Same folder `npm start` (wrangler dev --persist-to) uses, so dev and start share documents.
      persistState: { path: here("./.wrangler/state") },
      // No inspector: parallel servers (tests, bench) would fight over port 9229.
      inspectorPort: false,
    }),
  ],
});
