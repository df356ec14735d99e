/**
 * The outermost Worker of `npm start` (scripts/serve.mjs): it stands where Cloudflare's
 * edge hands a request to Quire's Worker, and carries Quire's compatibility date and
 * flags, so the WebSocket handshake follows Quire's flags as it does on Cloudflare.
 * The server listens on loopback only, so every client is 127.0.0.1: like Cloudflare's
 * edge, this sets CF-Connecting-IP itself and never passes on a client's own (which
 * would let a client pick the address the creation limit counts against).
 */
export default {
  fetch(request, env) {
    const headers = new Headers(request.headers);
    headers.set("cf-connecting-ip", "127.0.0.1");
    return env.APP.fetch(new Request(request, { headers }));
  },
};
