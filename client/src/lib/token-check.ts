/** Asks the server what a token from a link grants before the browser trusts it
 * (storage.ts keeps it apart until then). */
import { docInfoSchema } from "../../../shared/api";
import { TOKEN_CHECK_TIMEOUT_MS } from "../../../shared/limits";
import type { Role } from "../../../shared/protocol";
import { markRefused, markVerified, unverifiedTokens } from "./storage";

/** `unknown`: no answer (offline, timed out, the server failed): ask again later. */
/** `missing`: the server has no document with this id (a deleted one answers 410, and its socket says so). */
export type TokenCheck = { kind: "granted"; role: Role } | { kind: "refused" } | { kind: "missing" } | { kind: "unknown" };

export async function checkToken(id: string, token: string): Promise<TokenCheck> {
  let res: Response;
  try {
    res = await fetch(`/api/docs/${encodeURIComponent(id)}`, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(TOKEN_CHECK_TIMEOUT_MS),
    });
  } catch {
    return { kind: "unknown" };
  }
  if (res.status === 401 || res.status === 403) return { kind: "refused" };
  if (res.status === 404) return { kind: "missing" };
  if (!res.ok) return { kind: "unknown" };
  const info = docInfoSchema.safeParse(await res.json().catch(() => null));
  return info.success ? { kind: "granted", role: info.data.role } : { kind: "unknown" };
}

/** Checks every unconfirmed token of a document and files the answers: confirmed ones
 * join the stored tokens under the role the server named, refused ones are dropped,
 * the rest wait for the next check. Returns the answers. */
export async function verifyPending(id: string, check: typeof checkToken = checkToken): Promise<TokenCheck[]> {
  const pending = Object.values(unverifiedTokens(id)).filter((t): t is string => typeof t === "string");
  return Promise.all(
    pending.map(async (token) => {
      const result = await check(id, token);
      if (result.kind === "granted") markVerified(id, token, result.role);
      else if (result.kind === "refused" || result.kind === "missing") markRefused(id, token);
      return result;
    }),
  );
}
