/**
 * The per-address limit on creating documents (POST /api/docs), checked before the
 * body is read. Each address (an IPv6 /64) has its own CreateLimiter instance.
 */
import ipaddr from "ipaddr.js";
import type { ErrorBody } from "../../shared/api";
import { CREATE_DOCS_PER_MINUTE } from "../../shared/limits";
import { json } from "../lib/http";
import { errorMessage, log } from "../lib/log";

/** Cloudflare sets CF-Connecting-IP on every request (and wrangler dev fills it in when
 * absent); requests without a usable one come from local tooling and share one budget. */
const NO_ADDRESS = "no-address";

export function clientKey(request: Request): string {
  const raw = request.headers.get("cf-connecting-ip")?.trim() ?? "";
  try {
    if (!ipaddr.isValid(raw)) return NO_ADDRESS;
    const addr = ipaddr.process(raw);
    if (addr.kind() === "ipv4") return addr.toString();
    // One IPv6 host usually holds a whole /64: count the prefix, not each address.
    return `${ipaddr.IPv6.networkAddressFromCIDR(`${addr.toString()}/64`).toRFC5952String()}/64`;
  } catch {
    return NO_ADDRESS;
  }
}

/** CREATE_DOCS_PER_MINUTE from `vars` (or --var), else the default in shared/limits.ts. */
export function createsPerMinute(env: Env): number {
  const n = Number(env.CREATE_DOCS_PER_MINUTE);
  return Number.isInteger(n) && n > 0 ? n : CREATE_DOCS_PER_MINUTE;
}

async function take(env: Env, key: string): Promise<{ ok: true } | { ok: false; retryAfterMs: number }> {
  try {
    return await env.CreateLimiter.getByName(key).take(createsPerMinute(env));
  } catch (err) {
    // Creating stays available when the limiter is not: it only slows abuse down.
    log("warn", "create-limit-unavailable", { error: errorMessage(err) });
    return { ok: true };
  }
}

/** 429 with Retry-After when the caller's address is over its budget, else null. */
export async function limitCreate(request: Request, env: Env): Promise<Response | null> {
  const admission = await take(env, clientKey(request));
  if (admission.ok) return null;
  const seconds = Math.max(1, Math.ceil(admission.retryAfterMs / 1000));
  log("info", "create-rate-limited", { retryAfterS: seconds });
  const body: ErrorBody = { error: "rate-limited", message: `Too many new documents from your address; try again in ${seconds} s` };
  return json(body, 429, {
    "retry-after": String(seconds),
  });
}
