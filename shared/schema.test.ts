import { getExtensionField, type AnyExtension } from "@tiptap/core";
import { find, reset } from "linkifyjs";
import { afterEach, expect, it, vi } from "vitest";
import { schemaExtensions } from "./schema";

// linkify keeps its own reference to console.warn, taken when it loads: record before.
const warnings = vi.hoisted(() => {
  const seen: string[] = [];
  const original = console.warn;
  console.warn = (...args: unknown[]) => {
    seen.push(String(args[0]));
    original(...args);
  };
  return seen;
});

afterEach(() => {
  reset();
  warnings.length = 0;
});

/** What Tiptap does when an editor is created: each extension's onCreate, as `this`. */
function createEditorHooks(): void {
  for (const ext of schemaExtensions() as AnyExtension[]) {
    const onCreate = getExtensionField<(() => void) | undefined>(ext, "onCreate", { name: ext.name, options: ext.options, storage: {} });
    onCreate?.();
  }
}

it("a second editor created after links were found does not make linkify warn", () => {
  createEditorHooks();
  // The first editor autolinks something: linkify initialises.
  expect(find("see https://example.com").length).toBe(1);
  // A version preview (or the editor re-created for a read-only role) is a second editor.
  createEditorHooks();
  expect(warnings.filter((w) => w.includes("linkifyjs"))).toEqual([]);
  // The schemes Quire links are linkify's own: nothing needs registering.
  expect(find("https://a.example http://b.example mailto:c@example.com").map((l) => l.href)).toEqual([
    "https://a.example",
    "http://b.example",
    "mailto:c@example.com",
  ]);
});
