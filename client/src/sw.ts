/// <reference lib="webworker" />
/**
 * Quire's service worker: keeps the app shell available offline so a document can be
 * reopened without a network (its content comes from IndexedDB). Built by
 * vite-plugin-pwa (injectManifest): the list of hashed files is written in at build
 * time, each deploy gets a new precache and outdated ones are deleted. It never
 * touches the API or the WebSocket: document data is always live or local, never
 * stale HTTP.
 */
import { clientsClaim } from "workbox-core";
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from "workbox-precaching";
import { NavigationRoute, registerRoute } from "workbox-routing";

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: { url: string; revision: string | null }[] };

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();
// The app's pages (/, /d/<id>) are the single-page app's shell, offline too. Any other
// address goes to the network, which answers 404 (worker/api/app-shell.ts).
registerRoute(new NavigationRoute(createHandlerBoundToURL("/index.html"), { allowlist: [/^\/$/, /^\/d\/[^/]+\/?$/] }));
void self.skipWaiting();
clientsClaim();
