/**
 * The outermost Worker of `npm start` (scripts/serve.mjs): it stands where Cloudflare's
 * edge hands a request to Quire's Worker, and carries Quire's compatibility date and
 * flags, so the WebSocket handshake follows Quire's flags as it does on Cloudflare.
 * Locally every client is 127.0.0.1; wrangler dev fills CF-Connecting-IP in the same way.
 */
export default {
  fetch(request, env) {
    if (request.headers.has("cf-connecting-ip")) return env.APP.fetch(request);
    const headers = new Headers(request.headers);
    headers.set("cf-connecting-ip", "127.0.0.1");
    return env.APP.fetch(new Request(request, { headers }));
  },
};
