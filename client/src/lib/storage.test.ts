/** Tokens from links are trusted only once the server confirms them: a crafted link
 * (`#owner=<junk>`) must never overwrite the owner's stored token. */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Role } from "../../../shared/protocol";
import { noAccessMessage } from "./link-messages";
import {
  bestToken,
  deadLink,
  docTokens,
  forgetDocToken,
  saveDocTokens,
  strongerUnverified,
  takeTokenFromFragment,
  unverifiedTokens,
} from "./storage";
import { verifyPending, type TokenCheck } from "./token-check";

const ID = "AAAAAAAAAAAAAAAAAAAAAA";
const OWNER = "o".repeat(43);
const EDIT = "e".repeat(43);
const VIEW = "v".repeat(43);
const JUNK = "j".repeat(43);

function memoryStorage(): Storage {
  const map = new Map<string, string>();
  return {
    get length() {
      return map.size;
    },
    clear: () => map.clear(),
    getItem: (k) => map.get(k) ?? null,
    key: (i) => [...map.keys()][i] ?? null,
    removeItem: (k) => void map.delete(k),
    setItem: (k, v) => void map.set(k, String(v)),
  };
}

/** Opens the page at `/d/<ID>` with `hash`, as a link would. */
function openLink(hash: string): boolean {
  window.location.hash = hash;
  return takeTokenFromFragment(ID);
}

/** A server that knows `valid` (token → role) and refuses anything else, or is unreachable. */
function server(valid: Record<string, Role> | "offline") {
  return vi.fn(async (_id: string, token: string): Promise<TokenCheck> => {
    if (valid === "offline") return { kind: "unknown" };
    const role = valid[token];
    return role ? { kind: "granted", role } : { kind: "refused" };
  });
}

beforeEach(() => {
  vi.stubGlobal("localStorage", memoryStorage());
  const location = { hash: "", pathname: `/d/${ID}`, search: "" };
  vi.stubGlobal("window", { location });
  vi.stubGlobal("history", { replaceState: vi.fn(() => (location.hash = "")) });
});
afterEach(() => vi.unstubAllGlobals());

describe("a token from a link", () => {
  it("never overwrites the stored owner token: junk is held apart, refused, and forgotten", async () => {
    saveDocTokens(ID, { owner: OWNER, edit: EDIT, view: VIEW });
    expect(openLink(`#owner=${JUNK}`)).toBe(true);
    expect(window.location.hash).toBe("");
    expect(docTokens(ID).owner).toBe(OWNER);
    expect(bestToken(ID)).toEqual({ token: OWNER, role: "owner", verified: true });
    // Not stronger than what is stored, so the page opens at once, as the owner.
    expect(strongerUnverified(ID)).toEqual([]);

    const check = server({ [OWNER]: "owner" });
    await verifyPending(ID, check);
    expect(check).toHaveBeenCalledWith(ID, JUNK);
    expect(docTokens(ID)).toEqual({ owner: OWNER, edit: EDIT, view: VIEW });
    expect(unverifiedTokens(ID)).toEqual({});
    expect(bestToken(ID)).toEqual({ token: OWNER, role: "owner", verified: true });
  });

  it("is stored once the server confirms it, under the role the server names", async () => {
    saveDocTokens(ID, { view: VIEW });
    openLink(`#owner=${EDIT}`);
    // It claims more than the stored view token: worth checking before opening.
    expect(strongerUnverified(ID)).toEqual([EDIT]);
    expect(bestToken(ID)).toEqual({ token: VIEW, role: "viewer", verified: true });

    await verifyPending(ID, server({ [EDIT]: "editor", [VIEW]: "viewer" }));
    // An edit token behind an "owner" label is filed as what it is.
    expect(docTokens(ID)).toEqual({ view: VIEW, edit: EDIT });
    expect(bestToken(ID)).toEqual({ token: EDIT, role: "editor", verified: true });
  });

  it("a comment link is filed as a commenter's, ranked between edit and view", async () => {
    const COMMENT = "c".repeat(43);
    saveDocTokens(ID, { view: VIEW });
    expect(openLink(`#comment=${COMMENT}`)).toBe(true);
    expect(strongerUnverified(ID)).toEqual([COMMENT]);
    await verifyPending(ID, server({ [COMMENT]: "commenter", [VIEW]: "viewer" }));
    expect(docTokens(ID)).toEqual({ view: VIEW, comment: COMMENT });
    expect(bestToken(ID)).toEqual({ token: COMMENT, role: "commenter", verified: true });
    saveDocTokens(ID, { edit: EDIT });
    expect(bestToken(ID)).toEqual({ token: EDIT, role: "editor", verified: true });
  });

  it("a new link replaces the stored token of its kind once confirmed (a reset link)", async () => {
    saveDocTokens(ID, { edit: EDIT });
    const fresh = "f".repeat(43);
    openLink(`#edit=${fresh}`);
    expect(docTokens(ID).edit).toBe(EDIT);
    await verifyPending(ID, server({ [fresh]: "editor" }));
    expect(docTokens(ID).edit).toBe(fresh);
  });

  it("offline, a stored token keeps working and the link's token waits, unverified", async () => {
    saveDocTokens(ID, { view: VIEW });
    openLink(`#owner=${JUNK}`);
    await verifyPending(ID, server("offline"));
    expect(docTokens(ID)).toEqual({ view: VIEW });
    expect(unverifiedTokens(ID)).toEqual({ owner: JUNK });
    // An unverified token never takes the place of a verified one, however much it claims.
    expect(bestToken(ID)).toEqual({ token: VIEW, role: "viewer", verified: true });
    // Back online, the check refuses it and nothing stored changed.
    await verifyPending(ID, server({ [VIEW]: "viewer" }));
    expect(unverifiedTokens(ID)).toEqual({});
    expect(docTokens(ID)).toEqual({ view: VIEW });
  });

  it("opens a never-seen document offline with the link's token, confirmed later", async () => {
    openLink(`#edit=${EDIT}`);
    await verifyPending(ID, server("offline"));
    expect(bestToken(ID)).toEqual({ token: EDIT, role: "editor", verified: false });
    expect(docTokens(ID)).toEqual({});
    await verifyPending(ID, server({ [EDIT]: "editor" }));
    expect(bestToken(ID)).toEqual({ token: EDIT, role: "editor", verified: true });
    expect(unverifiedTokens(ID)).toEqual({});
  });

  it("a token the live connection refuses is forgotten wherever it is kept", () => {
    saveDocTokens(ID, { view: VIEW });
    openLink(`#edit=${JUNK}`);
    forgetDocToken(ID, JUNK);
    expect(unverifiedTokens(ID)).toEqual({});
    forgetDocToken(ID, VIEW);
    expect(bestToken(ID)).toBeNull();
  });

  it("remembers why the last link failed once its token is gone, until a token works again", async () => {
    saveDocTokens(ID, { edit: EDIT });
    expect(deadLink(ID)).toBeNull();
    // The live connection was cut (the owner reset the edit link): after a reload there is
    // no token left, and the page must still say the link no longer works.
    forgetDocToken(ID, EDIT);
    expect(bestToken(ID)).toBeNull();
    expect(deadLink(ID)).toEqual({ kind: "edit", why: "refused" });
    expect(noAccessMessage(deadLink(ID)).title).toBe("This link no longer works");
    expect(noAccessMessage(deadLink(ID)).body).toContain("edit link");

    // A comment link that is refused is named as one.
    openLink(`#comment=${JUNK}`);
    await verifyPending(ID, server({}));
    expect(deadLink(ID)).toEqual({ kind: "comment", why: "refused" });
    expect(noAccessMessage(deadLink(ID)).body).toContain("comment link");

    // A link to a deleted document says so.
    openLink(`#view=${VIEW}`);
    await verifyPending(ID, async () => ({ kind: "deleted" }));
    expect(noAccessMessage(deadLink(ID)).title).toBe("This document was deleted");

    // A working link clears it.
    openLink(`#edit=${EDIT}`);
    await verifyPending(ID, server({ [EDIT]: "editor" }));
    expect(deadLink(ID)).toBeNull();
    expect(noAccessMessage(null).body).toMatch(/#edit=…, #comment=… or #view=…/);
  });

  it("ignores fragments that are not a token link", () => {
    for (const hash of ["", "#", "#heading", `#admin=${JUNK}`, "#owner=short", `#owner=${JUNK}&x=1`]) {
      expect(openLink(hash), hash).toBe(false);
    }
    expect(unverifiedTokens(ID)).toEqual({});
  });
});
