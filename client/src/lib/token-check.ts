/** Asks the server what a token from a link grants before the browser trusts it
 * (storage.ts keeps it apart until then). */
import { TOKEN_CHECK_TIMEOUT_MS } from "../../../shared/limits";
import type { Role } from "../../../shared/protocol";
import { checkAccess } from "./api";
import { markRefused, markVerified, unverifiedTokens } from "./storage";

/** `unknown`: no answer (offline, timed out, the server failed): ask again later.
 * `missing`: the server has no document with this id; `deleted`: its owner deleted it. */
export type TokenCheck =
  | { kind: "granted"; role: Role }
  | { kind: "refused" }
  | { kind: "missing" }
  | { kind: "deleted" }
  | { kind: "unknown" };

/** GET …/access answers 200 whatever the token opens, so a refused token is an answer
 * here, not a failed request in the console. */
export async function checkToken(id: string, token: string): Promise<TokenCheck> {
  try {
    const answer = await checkAccess(id, token, AbortSignal.timeout(TOKEN_CHECK_TIMEOUT_MS));
    return answer.access === "open" ? { kind: "granted", role: answer.info.role } : { kind: answer.access };
  } catch {
    return { kind: "unknown" };
  }
}

/** Checks every unconfirmed token of a document and files the answers: confirmed ones
 * join the stored tokens under the role the server named, refused ones are dropped
 * (and remembered as a link that no longer works), the rest wait for the next check.
 * Returns the answers. */
export async function verifyPending(id: string, check: typeof checkToken = checkToken): Promise<TokenCheck[]> {
  const pending = Object.values(unverifiedTokens(id)).filter((t): t is string => typeof t === "string");
  return Promise.all(
    pending.map(async (token) => {
      const result = await check(id, token);
      if (result.kind === "granted") markVerified(id, token, result.role);
      else if (result.kind !== "unknown") markRefused(id, token, result.kind);
      return result;
    }),
  );
}
