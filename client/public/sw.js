// Quire's service worker: keeps the app shell available offline so a document can be
// reopened without a network (its content comes from IndexedDB). It never caches the
// API or the WebSocket: document data is always live or local, never stale HTTP.
const CACHE = "quire-shell-v1";

// Precache the shell and the hashed bundles it references, so even the first visit
// can be reopened offline.
self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      const res = await fetch("/", { cache: "no-store" });
      if (!res.ok) return;
      const html = await res.clone().text();
      await cache.put("/", res);
      const assets = [...new Set(html.match(/\/assets\/[^"']+/g) || [])];
      await cache.addAll(assets);
    })().then(() => self.skipWaiting()),
  );
});
self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/api/") || url.pathname.startsWith("/parties/")) return;

  if (req.mode === "navigate") {
    // Network first, so a deploy is picked up at once; the cached shell when offline.
    event.respondWith(
      fetch(req)
        .then((res) => {
          if (res.ok) {
            const copy = res.clone();
            void caches.open(CACHE).then((c) => c.put("/", copy));
          }
          return res;
        })
        .catch(() => caches.match("/").then((hit) => hit || Response.error())),
    );
    return;
  }
  if (url.pathname.startsWith("/assets/")) {
    // Hashed file names never change content: cache first.
    event.respondWith(
      caches.match(req).then(
        (hit) =>
          hit ||
          fetch(req).then((res) => {
            if (res.ok) {
              const copy = res.clone();
              void caches.open(CACHE).then((c) => c.put(req, copy));
            }
            return res;
          }),
      ),
    );
  }
});
