import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { DEFAULT_TITLE, YDOC_META_MAP, YDOC_META_TITLE } from "../../../shared/api";
import { displayTitle, titleValue } from "./useTitle";

describe("the shared title, as any peer may have written it", () => {
  it("reads a number, an object or nothing as untitled instead of throwing", () => {
    const doc = new Y.Doc();
    const meta = doc.getMap<unknown>(YDOC_META_MAP);
    for (const hostile of [42, { trim: 1 }, ["x"], null, true, new Y.Map()]) {
      meta.set(YDOC_META_TITLE, hostile);
      const raw = meta.get(YDOC_META_TITLE);
      expect(titleValue(raw)).toBe("");
      expect(displayTitle(raw)).toBe(DEFAULT_TITLE);
    }
  });

  it("keeps a real title, trimmed for display", () => {
    expect(displayTitle("  Plans  ")).toBe("Plans");
    expect(titleValue("  Plans  ")).toBe("  Plans  ");
    expect(displayTitle("   ")).toBe(DEFAULT_TITLE);
  });
});
