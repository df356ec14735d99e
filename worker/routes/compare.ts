/**
 * GET /versions/<a>/compare?to=<b|current>: what changed from version `a` to version
 * `b` or the live document, with who inserted each piece (and who deleted it, where the
 * room recorded that), read off the CRDT by content/compare.ts. Any link that reads
 * versions may compare them; each compare loads up to two whole snapshots, so it is
 * rate limited per link like restores.
 */
import * as Y from "yjs";
import { UNKNOWN_AUTHOR_ID } from "../../shared/authorship";
import { COMPARE_CURRENT, type CompareResponse, isValidVersionId } from "../../shared/versions";
import { compareStates, type CompareSide, snapshotOfUpdate } from "../content/compare";
import { json, jsonError } from "../lib/http";
import type { AuthorView } from "../room/authors";
import type { DeleterLookup } from "../room/deleters";
import type { VersionRow } from "../storage/version-index";
import type { Versions } from "../storage/versions";

/** What compare needs beyond the version index. */
export interface CompareHost {
  versions: Versions;
  /** The live document (`to=current`). */
  doc(): Y.Doc;
  /** One read of who introduced each client id. */
  authors(): AuthorView;
  /** One read of who deleted what (room/deleters.ts): the client id, when recorded. */
  deleters(): DeleterLookup;
}

type Side = CompareSide & { seq: number; at: number };

export async function compareVersions(url: URL, row: VersionRow, h: CompareHost, limited: () => Response | null): Promise<Response> {
  const to = url.searchParams.get("to") ?? COMPARE_CURRENT;
  const other = to === COMPARE_CURRENT ? null : isValidVersionId(to) ? h.versions.get(to) : null;
  if (to !== COMPARE_CURRENT && !other) return jsonError(404, "not-found", "No such version to compare with in this document");
  const refused = limited();
  if (refused) return refused;
  const from = await readSide(h, row);
  const target = other ? await readSide(h, other) : liveSide(h.doc());
  if (!from || !target) return jsonError(404, "not-found", "This version's snapshot is no longer stored");
  // The state with fewer of the document's changes goes in first (content/compare.ts).
  const fromIsOlder = from.seq < target.seq || (from.seq === target.seq && from.at <= target.at);
  const view = h.authors();
  // A deleter is known only going forward: going backwards, "deleted" text is text the
  // newer side added, whose inserter is not who removed it.
  const deleter = fromIsOlder ? h.deleters() : null;
  const result = compareStates(fromIsOlder ? from : target, fromIsOlder ? target : from, fromIsOlder, {
    insertedBy: (client) => view.authorOf(client),
    deletedBy: (client, clock) => {
      const by = deleter?.(client, clock);
      const author = by === undefined ? UNKNOWN_AUTHOR_ID : view.authorOf(by);
      return author === UNKNOWN_AUTHOR_ID ? undefined : author;
    },
  });
  const authors = view.authors(result.authorIds).map((a) => ({ ...a, clients: result.clientsOf.get(a.id) ?? [] }));
  const out: CompareResponse = { authors, changes: result.changes, blocks: result.blocks };
  return json(out);
}

async function readSide(h: CompareHost, row: VersionRow): Promise<Side | null> {
  const update = await h.versions.readState(row);
  return update ? { update, snapshot: snapshotOfUpdate(update), seq: row.seq, at: row.createdAt } : null;
}

/** The live document is newer than every version. */
function liveSide(doc: Y.Doc): Side {
  return { update: Y.encodeStateAsUpdateV2(doc), snapshot: Y.snapshot(doc), seq: Number.POSITIVE_INFINITY, at: Number.POSITIVE_INFINITY };
}
