/**
 * What an upload really is, from its first bytes: the Content-Type header is whatever
 * the sender wrote, so only PNG, JPEG, GIF and WebP signatures are accepted, and the
 * stored (and served) type is the one the bytes show. Also reads the pixel size from
 * the headers, where the format puts it, without decoding the image.
 */
import type { ImageType } from "../../shared/files";

export interface Sniffed {
  type: ImageType;
  width?: number;
  height?: number;
}

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

const startsWith = (b: Uint8Array, sig: readonly number[], at = 0): boolean =>
  b.length >= at + sig.length && sig.every((v, i) => b[at + i] === v);
const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));
const be16 = (b: Uint8Array, i: number): number => (b[i]! << 8) | b[i + 1]!;
const le16 = (b: Uint8Array, i: number): number => b[i]! | (b[i + 1]! << 8);
const le24 = (b: Uint8Array, i: number): number => b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16);
const be32 = (b: Uint8Array, i: number): number => ((b[i]! << 24) >>> 0) + (b[i + 1]! << 16) + (b[i + 2]! << 8) + b[i + 3]!;

/** Dimensions only when both are positive (a header that says 0 is not trusted). */
function sized(type: ImageType, width: number | undefined, height: number | undefined): Sniffed {
  return width && height && width > 0 && height > 0 ? { type, width, height } : { type };
}

export function sniffImage(b: Uint8Array): Sniffed | null {
  if (startsWith(b, PNG)) {
    const ihdr = startsWith(b, ascii("IHDR"), 12) && b.length >= 24;
    return sized("image/png", ihdr ? be32(b, 16) : undefined, ihdr ? be32(b, 20) : undefined);
  }
  if (startsWith(b, ascii("GIF87a")) || startsWith(b, ascii("GIF89a"))) {
    return sized("image/gif", b.length >= 10 ? le16(b, 6) : undefined, b.length >= 10 ? le16(b, 8) : undefined);
  }
  if (startsWith(b, ascii("RIFF")) && startsWith(b, ascii("WEBP"), 8)) return webp(b);
  if (startsWith(b, [0xff, 0xd8, 0xff])) return jpeg(b);
  return null;
}

function webp(b: Uint8Array): Sniffed {
  if (startsWith(b, ascii("VP8 "), 12) && b.length >= 30 && startsWith(b, [0x9d, 0x01, 0x2a], 23)) {
    return sized("image/webp", le16(b, 26) & 0x3fff, le16(b, 28) & 0x3fff);
  }
  if (startsWith(b, ascii("VP8L"), 12) && b.length >= 25 && b[20] === 0x2f) {
    const bits = (b[21]! | (b[22]! << 8) | (b[23]! << 16) | (b[24]! << 24)) >>> 0;
    return sized("image/webp", (bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1);
  }
  if (startsWith(b, ascii("VP8X"), 12) && b.length >= 30) {
    return sized("image/webp", le24(b, 24) + 1, le24(b, 27) + 1);
  }
  return { type: "image/webp" };
}

/** Walks the JPEG segments to the first frame header (SOFn), which holds the size.
 * Each step moves forward by a segment length, so the walk ends within the buffer. */
function jpeg(b: Uint8Array): Sniffed {
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) break;
    const marker = b[i + 1]!;
    if (marker === 0xff) {
      i += 1; // fill byte
      continue;
    }
    if ((marker >= 0xd0 && marker <= 0xd9) || marker === 0x01) {
      i += 2; // markers without a length
      continue;
    }
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame) return sized("image/jpeg", be16(b, i + 7), be16(b, i + 5));
    const length = be16(b, i + 2);
    if (length < 2) break;
    i += 2 + length;
  }
  return { type: "image/jpeg" };
}
