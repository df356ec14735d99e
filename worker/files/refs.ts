/**
 * Which file ids a document state mentions. A file counts as used while its address
 * (`…/files/<id>`) appears anywhere in the document: an image's src, a link, even
 * text. That errs on the side of keeping a file, never of deleting one in use.
 *
 * The scan runs over encoded Yjs state (V1 or V2) rather than a loaded Y.Doc:
 * loading a version would cost many times its size in memory next to the live
 * document, while every string value (an attribute, a mark's attributes, text) is
 * written whole into the update (V2 even concatenates all text), and content that was
 * deleted is no longer in a garbage-collected state.
 */

const SLASH = 0x2f;
const MARKER = [...new TextEncoder().encode("/files/")];
const ID_CHARS = 22;

function isIdByte(b: number | undefined): boolean {
  return b !== undefined && ((b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x2d || b === 0x5f);
}

/** Every id-shaped string (22 base64url characters) that follows "/files/". */
export function fileRefsIn(state: Uint8Array): Set<string> {
  const found = new Set<string>();
  let i = state.indexOf(SLASH);
  while (i !== -1) {
    let match = i + MARKER.length + ID_CHARS <= state.length;
    for (let k = 1; match && k < MARKER.length; k++) match = state[i + k] === MARKER[k];
    if (match) {
      const start = i + MARKER.length;
      let end = start;
      while (end < start + ID_CHARS && isIdByte(state[end])) end++;
      // No check of what follows: in binary encodings the next byte is often a type
      // tag ("w", 119, starts the next string). A longer string counts by its first
      // 22 characters, which can only keep a file, never lose one.
      if (end === start + ID_CHARS) {
        found.add(String.fromCharCode(...state.subarray(start, end)));
      }
    }
    i = state.indexOf(SLASH, i + 1);
  }
  return found;
}
