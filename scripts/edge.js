/**
 * The outermost Worker of `npm start` (scripts/serve.mjs): it stands where Cloudflare's
 * edge hands a request to Quire's Worker, and carries Quire's compatibility date and
 * flags, so the WebSocket handshake follows Quire's flags as it does on Cloudflare.
 * The server listens on loopback only, so every client is 127.0.0.1: like Cloudflare's
 * edge, this sets CF-Connecting-IP itself and never passes on a client's own (which
 * would let a client pick the address the creation limit counts against).
 *
 * Behind a reverse proxy on the same machine (nginx, Caddy…), every request comes from
 * the proxy, so all clients would share one creation budget. QUIRE_TRUSTED_PROXY (opt-in,
 * passed as the TRUSTED_PROXY binding) says there is one: the proxy in front is trusted
 * (it is what reaches this loopback port), and so is every address or CIDR range listed
 * (`1` lists none: one proxy). The client is then the rightmost X-Forwarded-For address
 * that is not a trusted proxy: the last hop a trusted proxy saw. Anything a client wrote
 * further left is never used. A missing or malformed header falls back to 127.0.0.1.
 */
import ipaddr from "ipaddr.js";

const LOOPBACK = "127.0.0.1";

/** The trusted ranges from the setting (null: the setting is off). */
function trusted(setting) {
  const raw = typeof setting === "string" ? setting.trim() : "";
  if (raw === "" || raw === "0") return null;
  const ranges = [];
  for (const part of raw.split(",")) {
    const item = part.trim();
    if (item === "" || item === "1") continue;
    try {
      ranges.push(item.includes("/") ? ipaddr.parseCIDR(item) : [ipaddr.parse(item), item.includes(":") ? 128 : 32]);
    } catch {
      // serve.mjs refuses to start on a malformed entry; never trust one here either.
    }
  }
  return ranges;
}

function parse(address) {
  try {
    return ipaddr.isValid(address) ? ipaddr.process(address) : null;
  } catch {
    return null;
  }
}

function isTrusted(addr, ranges) {
  return ranges.some(([net, bits]) => {
    const a = addr.kind() === net.kind() ? addr : addr.kind() === "ipv4" ? addr.toIPv4MappedAddress() : null;
    return a !== null && a.kind() === net.kind() && a.match(net, bits);
  });
}

/** The client's address: the rightmost untrusted X-Forwarded-For hop, when trusted. */
export function clientAddress(headers, setting) {
  const ranges = trusted(setting);
  if (ranges === null) return LOOPBACK;
  const hops = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((h) => h.trim())
    .filter((h) => h !== "");
  for (let i = hops.length - 1; i >= 0; i--) {
    const addr = parse(hops[i]);
    if (addr === null) return LOOPBACK;
    if (!isTrusted(addr, ranges)) return addr.toString();
  }
  return LOOPBACK;
}

export default {
  fetch(request, env) {
    const headers = new Headers(request.headers);
    headers.set("cf-connecting-ip", clientAddress(request.headers, env.TRUSTED_PROXY));
    return env.APP.fetch(new Request(request, { headers }));
  },
};
