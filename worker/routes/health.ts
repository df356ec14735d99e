/**
 * GET /health (owner only): the document's size against its limits and a hint
 * (shared/health.ts). Reading it walks the document's structs once (O(items), bounded
 * by MAX_DOCUMENT_ITEMS: a few milliseconds at the limit).
 */
import type * as Y from "yjs";
import { assess, type DocHealth } from "../../shared/health";
import {
  MAX_CLIENT_IDS_PER_DOCUMENT,
  MAX_DOCUMENT_BYTES,
  MAX_DOCUMENT_ITEMS,
  NEW_CLIENT_IDS_PER_HOUR_PER_DOCUMENT,
} from "../../shared/limits";
import type { Links } from "../access/links";
import { json, jsonError } from "../lib/http";
import type { ClientIdRegistry } from "../room/client-ids";
import type { DocStore } from "../storage/store";

/** The part of the room (worker/room/room.ts) the health route reads. */
export interface HealthHost {
  doc(): Y.Doc;
  readonly store: DocStore;
  readonly links: Links;
  readonly defense: { readonly registry: ClientIdRegistry };
}

export function docHealth(h: HealthHost, now = Date.now()): DocHealth {
  let items = 0;
  let deleted = 0;
  for (const structs of h.doc().store.clients.values()) {
    items += structs.length;
    for (const s of structs) if (s.deleted) deleted += 1;
  }
  const measures = {
    stateBytes: { value: h.store.storedBytes(), limit: MAX_DOCUMENT_BYTES },
    items: { value: items, limit: MAX_DOCUMENT_ITEMS },
    clientIds: { value: h.doc().store.clients.size, limit: MAX_CLIENT_IDS_PER_DOCUMENT },
    newClientIdsLastHour: { value: h.defense.registry.introducedSince(now - 60 * 60_000), limit: NEW_CLIENT_IDS_PER_HOUR_PER_DOCUMENT },
  };
  return { ...measures, deletedItems: deleted, ...assess(measures, deleted) };
}

export async function healthRoute(request: Request, h: HealthHost): Promise<Response> {
  const role = await h.links.authorize(request);
  if (role instanceof Response) return role;
  if (role !== "owner") return jsonError(403, "forbidden", "Only the owner sees the document's health");
  return json(docHealth(h));
}
