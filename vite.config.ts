import { fileURLToPath } from "node:url";
import { cloudflare } from "@cloudflare/vite-plugin";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  root: here("./client"),
  publicDir: "public",
  build: { outDir: here("./dist"), emptyOutDir: true },
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
