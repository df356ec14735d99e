/** What the page says when a document cannot be opened for want of a working link: one
 * place, so the message is the same after a socket refusal, a link check and a reload. */
import type { Role } from "../../../shared/protocol";
import type { DeadLink, Kind } from "./storage";

export interface PageMessage {
  title: string;
  body: string;
}

const KIND_OF_ROLE: Record<Role, Kind> = { owner: "owner", editor: "edit", commenter: "comment", viewer: "view" };

export const NEED_LINK: PageMessage = {
  title: "You need a link to open this document",
  body: "Documents open through a link someone shares: it ends in #edit=…, #comment=… or #view=… (the owner’s in #owner=…). Ask the person who shared it for the link.",
};

export const NO_SUCH_DOCUMENT: PageMessage = {
  title: "This document doesn't exist or was deleted",
  body: "There is no document at this address: it was never created, or its owner deleted it. Check the link, or create a new document.",
};

export const DOCUMENT_DELETED: PageMessage = {
  title: "This document was deleted",
  body: "Its owner deleted it, for everyone. It cannot be opened any more; you can create a new document from the home page.",
};

/** A link that opened the document once (or was meant to) and no longer does. */
export function linkNoLongerWorks(kind: Kind | null): PageMessage {
  const title = "This link no longer works";
  if (kind === "owner") {
    return {
      title,
      body: "This owner link was reset, so it no longer opens the document. Open the document with the new owner link, saved when it was reset.",
    };
  }
  const name = kind ? `${kind} link` : "link";
  return {
    title,
    body: `The document’s owner reset or turned off this ${name}, or it was copied incompletely, so it does not open the document any more. Ask the owner for the current ${name}.`,
  };
}

export const linkNoLongerWorksForRole = (role: Role | null): PageMessage => linkNoLongerWorks(role ? KIND_OF_ROLE[role] : null);

/** The page for a document this browser holds no working token for. */
export function noAccessMessage(dead: DeadLink | null): PageMessage {
  if (!dead) return NEED_LINK;
  if (dead.why === "missing") return NO_SUCH_DOCUMENT;
  if (dead.why === "deleted") return DOCUMENT_DELETED;
  return linkNoLongerWorks(dead.kind);
}
