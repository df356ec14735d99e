/**
 * How snapshots are stored: Yjs V2 state, gzip-compressed (CompressionStream, native
 * in workerd and Node). gzip rather than deflate-raw for its CRC-32: a damaged
 * snapshot fails to inflate instead of applying garbage. Measured on the
 * automerge-paper trace: V2 159,951 bytes, gzip 68,920, deflate-raw 68,902.
 */
import { MAX_SNAPSHOT_INFLATED_BYTES } from "../../shared/limits";

/** Codecs a stored snapshot can carry. `yjs-v2` is the uncompressed format written
 * before compression existed; it is still read. */
export const CODEC_V2 = "yjs-v2";
export const CODEC_V2_GZIP = "yjs-v2+gzip";
export type Codec = typeof CODEC_V2 | typeof CODEC_V2_GZIP;
export const isCodec = (v: unknown): v is Codec => v === CODEC_V2 || v === CODEC_V2_GZIP;

export async function gzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Inflates, refusing to produce more than `maxBytes` (a bomb or a corrupt length
 * stops early instead of exhausting the isolate's memory). */
export async function gunzip(bytes: Uint8Array, maxBytes = MAX_SNAPSHOT_INFLATED_BYTES): Promise<Uint8Array> {
  const reader = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip")).getReader();
  const parts: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new Error(`snapshot inflates past ${maxBytes} bytes`);
    }
    parts.push(value);
  }
  return concat(parts);
}

export async function encodeSnapshot(state: Uint8Array, codec: Codec): Promise<Uint8Array> {
  return codec === CODEC_V2_GZIP ? gzip(state) : state;
}

export async function decodeSnapshot(stored: Uint8Array, codec: Codec): Promise<Uint8Array> {
  return codec === CODEC_V2_GZIP ? gunzip(stored) : stored;
}

/** Splits into pieces of at most `size` bytes (views, no copies); at least one piece. */
export function chunk(bytes: Uint8Array, size: number): Uint8Array[] {
  if (bytes.byteLength === 0) return [bytes];
  const out: Uint8Array[] = [];
  for (let off = 0; off < bytes.byteLength; off += size) out.push(bytes.subarray(off, off + size));
  return out;
}

export function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.byteLength;
  }
  return out;
}

export function toBytes(value: unknown): Uint8Array {
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (value instanceof Uint8Array) return value;
  throw new Error("stored value is not a blob");
}
