/** A Durable Object's room, for tests that look inside it (runInDurableObject). */
import type { Document } from "../Document";
import type { Room } from "../room/room";

export const roomOf = (instance: Document): Room => (instance as unknown as { room: Room }).room;
