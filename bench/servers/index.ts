/** The servers under test, in report order. */
import { bareDurableSpec, bareSpec } from "./bare/spec";
import { ManagedServer } from "./managed";
import { hocuspocusSpec, yWebsocketSpec } from "./peers";
import { quirePlainSpec, quireSpec, quireWranglerSpec } from "./quire";
import type { ServerId } from "./types";

export function makeServers(ids: ServerId[], root: string, tmpRoot: string): ManagedServer[] {
  const specs = {
    quire: quireSpec,
    "quire-plain": quirePlainSpec,
    "quire-wrangler": quireWranglerSpec,
    hocuspocus: hocuspocusSpec,
    "y-websocket": yWebsocketSpec,
    bare: bareSpec,
    "bare-durable": bareDurableSpec,
  };
  return ids.map((id) => new ManagedServer(specs[id](root), root, tmpRoot));
}
