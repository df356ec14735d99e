/** Yjs typing Quire needs in several places, once. */
import type * as Y from "yjs";

/** Any Yjs container. Yjs types are invariant in their event type, so no narrower
 * type accepts them all. */
// biome-ignore lint/suspicious/noExplicitAny: see above; `unknown` is not assignable here
export type AnyYType = Y.AbstractType<any>;
