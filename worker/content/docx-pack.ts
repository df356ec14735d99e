/**
 * A .docx written a piece at a time. docx's Packer formats, writes and zips a whole
 * document in one synchronous call: a 16 MB document held the isolate, and every other
 * document's edits, for ~675 ms. This is the one place that works around it, with docx's
 * public API only:
 *  1. each piece's paragraphs and tables are formatted (`prepForXml`, public on every
 *     docx component) against the document they belong to, which is how images, links
 *     and list numbering register themselves with it, then written out as XML (`toXml`:
 *     the rules of docx's own writer, which it does not export), with a pause between
 *     pieces;
 *  2. docx packs the document with one marker paragraph for a body. The marker's text
 *     lists every `{placeholder}` the pieces hold (images' relationship ids and lists'
 *     numbering ids, which docx fills in only when it packs), so docx writes every other
 *     part (styles, numbering, relationships, media) and, in the marker, what each
 *     placeholder became;
 *  3. the package is zipped again (fflate's streaming zip) with the pieces in place of
 *     the marker, document.xml deflated a piece at a time, with a pause between pieces.
 * The result is the XML docx would have written in one go (docx.unit.test.ts compares).
 */
import { Document, FileChild, Packer } from "docx";
import { Zip, ZipDeflate, ZipPassThrough, strFromU8, strToU8, unzipSync } from "fflate";

/** What docx's Formatter hands its XML writer: `{ tag: content }`. */
type Xmlable = Record<string, unknown>;
interface Formattable {
  prepForXml(context: unknown): Xmlable | undefined;
}

export type DocumentOptions = Omit<ConstructorParameters<typeof Document>[0], "sections">;

/** docx's `{key}` placeholders (the same pattern its packer fills in). */
const PLACEHOLDER = /\{([^{}]+)\}/g;

/** The body's stand-in while docx packs: its text lists the placeholders to learn. */
class Marker extends FileChild {
  keys: string[] = [];

  constructor(private readonly nonce: string) {
    super("w:p");
  }

  override prepForXml(): Xmlable {
    const text = `${this.keys.map((k, i) => `${this.nonce}${i}=${`{${k}}`}`).join("")}${this.nonce}`;
    return { "w:p": [{ "w:r": [{ "w:t": [{ _attr: { "xml:space": "preserve" } }, text] }] }] };
  }
}

export async function packInPieces(
  options: DocumentOptions,
  pieces: AsyncIterable<Formattable[]> | Iterable<Formattable[]>,
  pause: () => Promise<void>,
): Promise<Uint8Array> {
  const nonce = `Q${[...crypto.getRandomValues(new Uint8Array(8))].map((b) => b.toString(16).padStart(2, "0")).join("")}Q`;
  const marker = new Marker(nonce);
  const file = new Document({ ...options, sections: [{ children: [marker] }] });
  const context = { file, viewWrapper: file.Document, stack: [] };

  const body: string[] = [];
  const keys = new Set<string>();
  let first = true;
  for await (const piece of pieces) {
    if (!first) await pause();
    first = false;
    let xml = "";
    for (const component of piece) {
      const out = component.prepForXml(context);
      if (out) xml += toXml(out);
    }
    for (const m of xml.matchAll(PLACEHOLDER)) keys.add(m[1]!);
    body.push(xml);
  }
  marker.keys = [...keys];
  await pause();

  const files = unzipSync(await Packer.pack(file, "uint8array"));
  const documentXml = strFromU8(files["word/document.xml"]!);
  const at = documentXml.indexOf(nonce);
  const start = Math.max(documentXml.lastIndexOf("<w:p>", at), documentXml.lastIndexOf("<w:p ", at));
  const end = documentXml.indexOf("</w:p>", at) + "</w:p>".length;
  const markerXml = documentXml.slice(start, end);
  const values = new Map<string, string>();
  for (const m of markerXml.matchAll(new RegExp(`${nonce}(\\d+)=(.*?)(?=${nonce})`, "g"))) {
    const key = marker.keys[Number(m[1])]!;
    if (m[2] !== `{${key}}`) values.set(key, m[2]!);
  }
  const fill = (xml: string) => (values.size === 0 ? xml : xml.replace(PLACEHOLDER, (p, key: string) => values.get(key) ?? p));

  const out: Uint8Array[] = [];
  let finish!: () => void;
  let fail!: (err: unknown) => void;
  const finished = new Promise<void>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  const zip = new Zip((err, chunk, final) => {
    if (err) fail(err);
    else {
      out.push(chunk);
      if (final) finish();
    }
  });
  for (const [name, data] of Object.entries(files)) {
    if (name === "word/document.xml") {
      const entry = new ZipDeflate(name, { level: 6 });
      zip.add(entry);
      entry.push(strToU8(documentXml.slice(0, start)));
      for (const xml of body) {
        await pause();
        entry.push(strToU8(fill(xml)));
      }
      entry.push(strToU8(documentXml.slice(end)), true);
    } else {
      // Media are compressed already; the other parts are small.
      const entry = name.startsWith("word/media/") ? new ZipPassThrough(name) : new ZipDeflate(name, { level: 6 });
      zip.add(entry);
      entry.push(data, true);
    }
  }
  zip.end();
  await finished;
  const bytes = new Uint8Array(out.reduce((n, c) => n + c.byteLength, 0));
  let offset = 0;
  for (const c of out) {
    bytes.set(c, offset);
    offset += c.byteLength;
  }
  return bytes;
}

// ------------------------------------------------- docx's XML writer, as it writes
// The rules of docx's `stringifyXmlable` (src/util/xml/stringify.ts, MIT, which writes
// what the `xml` package did), without indentation: docx does not export it.

const ESCAPES: Record<string, string> = { "&": "&amp;", '"': "&quot;", "'": "&apos;", "<": "&lt;", ">": "&gt;" };
// biome-ignore lint/suspicious/noControlCharactersInRegex: XML 1.0 cannot hold these controls; docx drops them too
const escapeAll = (v: string) => v.replace(/[&"'<>\x00-\x08\x0B\x0C\x0E-\x1F]/g, (c) => ESCAPES[c] ?? "");
const escapeValue = (v: unknown) => (typeof v === "string" ? escapeAll(v) : v);

interface Resolved {
  name: string | undefined;
  attributes: string[];
  content: (Resolved | unknown)[];
}

function resolve(data: Xmlable): Resolved {
  const name = Object.keys(data)[0];
  const values = name === undefined ? undefined : data[name];
  const attributes: string[] = [];
  const content: (Resolved | unknown)[] = [];
  const addAttributes = (attr: Record<string, unknown>) => {
    for (const [key, value] of Object.entries(attr)) attributes.push(`${key}="${String(escapeValue(value))}"`);
  };
  if (typeof values === "object") {
    if (values !== null) {
      const { _attr: attr, _cdata: cdata } = values as { _attr?: Record<string, unknown>; _cdata?: string };
      if (attr) addAttributes(attr);
      if (cdata) content.push(`<![CDATA[${cdata.replace(/\]\]>/g, "]]]]><![CDATA[>")}]]>`);
      if (Array.isArray(values)) {
        let isStringContent = false;
        content.push("");
        for (const value of values) {
          if (typeof value === "object") {
            if (Object.keys(value as object)[0] === "_attr") addAttributes((value as { _attr: Record<string, unknown> })._attr);
            else content.push(resolve(value as Xmlable));
          } else {
            content.pop();
            isStringContent = true;
            content.push(escapeValue(value));
          }
        }
        if (!isStringContent) content.push("");
      }
    }
  } else {
    content.push(escapeValue(values));
  }
  return { name, attributes, content };
}

function format(element: Resolved | unknown): string {
  if (typeof element !== "object" || element === null) return String(element);
  const { name, attributes, content } = element as Resolved;
  const open =
    (name ? `<${name}` : "") + (attributes.length > 0 ? ` ${attributes.join(" ")}` : "") + (content.length > 0 ? (name ? ">" : "") : "/>");
  if (content.length === 0) return open;
  return open + content.map((child) => (child === undefined ? "" : format(child))).join("") + (name ? `</${name}>` : "");
}

/** One formatted component as XML, as docx writes it without indentation. */
export const toXml = (data: Xmlable): string => format(resolve(data));
