import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { gif, jpegHead, png, SVG, webpHead } from "../test-support/images";
import { fileRefsIn } from "./refs";
import { sniffImage } from "./sniff";

describe("sniffImage", () => {
  it("knows the four accepted formats by their bytes, with their pixel size", () => {
    expect(sniffImage(png(3, 2))).toEqual({ type: "image/png", width: 3, height: 2 });
    expect(sniffImage(jpegHead(640, 480))).toEqual({ type: "image/jpeg", width: 640, height: 480 });
    expect(sniffImage(gif(17, 9))).toEqual({ type: "image/gif", width: 17, height: 9 });
    expect(sniffImage(webpHead(1000, 300))).toEqual({ type: "image/webp", width: 1000, height: 300 });
  });

  it("refuses SVG, HTML, text, empty and truncated signatures", () => {
    expect(sniffImage(SVG)).toBeNull();
    expect(sniffImage(new TextEncoder().encode("<!doctype html><script>alert(1)</script>"))).toBeNull();
    expect(sniffImage(new TextEncoder().encode("just text"))).toBeNull();
    expect(sniffImage(new Uint8Array(0))).toBeNull();
    expect(sniffImage(png(1, 1).subarray(0, 7))).toBeNull();
    expect(sniffImage(new TextEncoder().encode("RIFF\0\0\0\0WAVEfmt "))).toBeNull();
  });

  it("does not trust a size of zero, and survives a JPEG whose segments run off the end", () => {
    expect(sniffImage(gif(0, 5))).toEqual({ type: "image/gif" });
    const cut = jpegHead(10, 10).subarray(0, 12);
    expect(sniffImage(cut)).toEqual({ type: "image/jpeg" });
    const loop = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x00, 0, 0, 0, 0, 0, 0]);
    expect(sniffImage(loop)).toEqual({ type: "image/jpeg" });
  });
});

describe("fileRefsIn", () => {
  const id = "AbCdEfGhIjKlMnOpQrSt_-";
  it("finds 22-character ids after /files/, whatever byte follows them, and nothing shorter", () => {
    const text = `x /api/docs/doc123456789012345/files/${id} y /files/short https://h/files/${"z".repeat(22)}w\u0004kept`;
    expect([...fileRefsIn(new TextEncoder().encode(text))].sort()).toEqual([id, "z".repeat(22)]);
    expect(fileRefsIn(new TextEncoder().encode(`/files/${id.slice(0, 21)}`)).size).toBe(0);
    expect(fileRefsIn(new Uint8Array(0)).size).toBe(0);
  });

  it("finds an image's src in encoded Yjs state (V1 and V2), where the next value's tag follows the id", () => {
    const doc = new Y.Doc();
    const image = new Y.XmlElement("image");
    doc.getXmlFragment("default").insert(0, [image]);
    image.setAttribute("src", `/api/docs/doc123456789012345/files/${id}`);
    image.setAttribute("alt", "kept");
    expect([...fileRefsIn(Y.encodeStateAsUpdateV2(doc))]).toEqual([id]);
    expect([...fileRefsIn(Y.encodeStateAsUpdate(doc))]).toEqual([id]);
    // Deleted content is gone from a garbage-collected state.
    doc.getXmlFragment("default").delete(0, 1);
    expect(fileRefsIn(Y.encodeStateAsUpdateV2(doc)).size).toBe(0);
  });
});
