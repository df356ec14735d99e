/** Small helpers for JSON responses with Quire's standard headers. */
import { config } from "zod/mini";
import { en } from "zod/locales";
import type { ErrorBody, HttpErrorCode } from "../../shared/api";

// The shared schemas are zod/mini (small for the browser), which carries no messages;
// the server's 400s (badRequest below) name what is wrong in English.
config(en());

const BASE_HEADERS: Record<string, string> = {
  "content-type": "application/json; charset=utf-8",
  // API answers can carry tokens (create) or private content (export): never cache.
  "cache-control": "no-store",
  "x-content-type-options": "nosniff",
};

/** Set by the Worker on requests it forwards to a document (never taken from the
 * client): the site's origin, for the absolute addresses exports write. */
export const ORIGIN_HEADER = "x-quire-origin";

export function json(body: unknown, status = 200, extra: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { ...BASE_HEADERS, ...extra } });
}

export function jsonError(status: number, error: HttpErrorCode, message: string): Response {
  const body: ErrorBody = { error, message };
  return json(body, status);
}

/** A text answer; the body may be a stream (exports are written as they are read). */
export function text(body: string | ReadableStream<Uint8Array>, contentType: string, status = 200): Response {
  return new Response(body, {
    status,
    headers: { ...BASE_HEADERS, "content-type": contentType },
  });
}

/** 400 for a body that failed its zod schema, saying where and why. */
export function badRequest(error: { issues: { path: PropertyKey[]; message: string }[] }): Response {
  return jsonError(400, "bad-request", error.issues.map((i) => `${i.path.map(String).join(".") || "body"}: ${i.message}`).join("; "));
}
