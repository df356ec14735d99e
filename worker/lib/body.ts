/**
 * Request bodies, read only through here: the byte cap is enforced while the body
 * streams in, so an oversized body (declared or chunked) is refused after at most the
 * cap, plus REFUSED_BODY_DRAIN_BYTES dropped unbuffered, has been read: never the whole
 * upload, never more than the cap in memory. The Worker relays bodies to the
 * document's DO unread (relayBody), so the DO checks the token before reading.
 */
import { REFUSED_BODY_DRAIN_BYTES } from "../../shared/limits";
import { jsonError } from "./http";

export type BodyResult<T> = { ok: true; value: T } | { ok: false; response: Response };

function tooLarge(maxBytes: number): Response {
  return jsonError(413, "too-large", `The request body is larger than the ${formatBytes(maxBytes)} this request accepts`);
}

function formatBytes(bytes: number): string {
  return bytes % 1024 === 0 ? `${bytes / 1024} KiB` : `${bytes} bytes`;
}

/** Reads and drops what is left of a refused body, up to REFUSED_BODY_DRAIN_BYTES, so
 * the connection it came on stays usable; a longer one is cut off. */
async function discardRest(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
  let dropped = 0;
  try {
    while (dropped <= REFUSED_BODY_DRAIN_BYTES) {
      const { done, value } = await reader.read();
      if (done) return;
      dropped += value.byteLength;
    }
  } catch {
    return;
  }
  await reader.cancel().catch(() => {});
}

/** Drops a body the request is refused before reading (rate limited, say), as a
 * refused body is dropped (see discardRest). */
export async function dropBody(request: Request): Promise<void> {
  if (request.body && !request.bodyUsed) await discardRest(request.body.getReader());
}

/** 413 for a declared Content-Length over the cap, before anything is kept: a body
 * that is only a little too large is dropped (see discardRest), a larger one is not
 * read at all. Null when the declared size (if any) fits. */
export async function refuseDeclaredSize(request: Request, maxBytes: number): Promise<Response | null> {
  const declared = Number(request.headers.get("content-length") ?? "");
  if (!Number.isFinite(declared) || declared <= maxBytes) return null;
  if (request.body && declared <= maxBytes + REFUSED_BODY_DRAIN_BYTES) await discardRest(request.body.getReader());
  return tooLarge(maxBytes);
}

/** The body's bytes, or `refusal` (413 by default) once more than `maxBytes` have
 * arrived: nothing past the cap is kept. */
export async function readBytes(request: Request, maxBytes: number, refusal = tooLarge(maxBytes)): Promise<BodyResult<Uint8Array>> {
  const refused = await refuseDeclaredSize(request, maxBytes);
  if (refused) return { ok: false, response: refusal };
  if (!request.body) return { ok: true, value: new Uint8Array(0) };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let seen = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      seen += value.byteLength;
      if (seen > maxBytes) {
        await discardRest(reader);
        return { ok: false, response: refusal };
      }
      chunks.push(value);
    }
  } catch {
    return { ok: false, response: jsonError(400, "bad-body", "The request body could not be read") };
  }
  const out = new Uint8Array(seen);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return { ok: true, value: out };
}

/** The body as text, or 413 once more than `maxBytes` have arrived. */
export async function readText(request: Request, maxBytes: number): Promise<BodyResult<string>> {
  const bytes = await readBytes(request, maxBytes);
  return bytes.ok ? { ok: true, value: new TextDecoder().decode(bytes.value) } : bytes;
}

/** A JSON body of at most `maxBytes`: undefined when empty, 400 when unparsable, 413 when too large. */
export async function readJson(request: Request, maxBytes: number): Promise<BodyResult<unknown>> {
  const raw = await readText(request, maxBytes);
  if (!raw.ok) return raw;
  if (raw.value.trim() === "") return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(raw.value) as unknown };
  } catch {
    return { ok: false, response: jsonError(400, "bad-json", "The body is not valid JSON") };
  }
}

/**
 * The Worker's side of a body it forwards: a stream the DO pulls from (so nothing is
 * buffered here and the DO can refuse before reading), cut off past `maxBytes`, and
 * `stop()` to call once the DO has answered, which drops whatever the DO left unread
 * (see discardRest): workerd treats reading a request's body after its response was
 * sent as an uncaught error, and a DO that answers early (401, 413) leaves it mid-body.
 */
export function relayBody(request: Request, maxBytes: number): { body: ReadableStream<Uint8Array> | null; stop(): Promise<void> } {
  if (!request.body) return { body: null, stop: async () => {} };
  const reader = request.body.getReader();
  let seen = 0;
  let stopped = false;
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (stopped) return controller.close();
        const { done, value } = await reader.read().catch(() => ({ done: true as const, value: undefined }));
        if (done || stopped) return controller.close();
        seen += value.byteLength;
        // The chunk that crosses the cap still goes, so the DO sees an oversized body and
        // answers 413; nothing after it leaves the Worker.
        controller.enqueue(value);
        if (seen > maxBytes) stopped = true;
      },
      cancel() {
        stopped = true;
      },
    },
    { highWaterMark: 0 },
  );
  return {
    body,
    stop: async () => {
      stopped = true;
      await discardRest(reader);
    },
  };
}
