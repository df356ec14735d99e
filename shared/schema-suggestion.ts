/**
 * Suggestion marks: text someone proposes to insert, and text someone proposes to
 * delete (still there, struck through, until accepted). Each carries the change's id
 * (`<Yjs clientID>-<counter>`, unique per client without coordination), its author
 * and time, and for AI proposals the command and model. Accepting or rejecting is an
 * ordinary edit (client/src/suggestions). Not inclusive: nobody's typing next to a
 * suggestion joins it by accident.
 */
import { Mark } from "@tiptap/core";
import { MARK_ATTR_RULES, validatorFor } from "./content-attrs";

export const INSERTION_MARK = "insertion";
export const DELETION_MARK = "deletion";
/** Every mark that carries a suggestion id (`<Yjs clientID>-<counter>`): the server
 * checks that a client only introduces ids of its own client ids. */
export const SUGGESTION_MARKS: readonly string[] = [INSERTION_MARK, DELETION_MARK];

function suggestionMark(name: typeof INSERTION_MARK | typeof DELETION_MARK, tag: "ins" | "del") {
  const rules = MARK_ATTR_RULES[name]!;
  const attr = (key: string, fallback: unknown) => ({
    default: fallback,
    validate: validatorFor(rules[key]!, `${name}.${key}`),
    parseHTML: (el: { getAttribute(n: string): string | null }) => {
      const v = el.getAttribute(`data-${key}`);
      return key === "at" ? Number(v) : v;
    },
    renderHTML: (attrs: Record<string, unknown>) => (attrs[key] === null ? {} : { [`data-${key}`]: String(attrs[key]) }),
  });
  return Mark.create({
    name,
    inclusive: false,
    addAttributes() {
      return {
        id: attr("id", "0-0"),
        author: attr("author", ""),
        at: attr("at", 0),
        command: attr("command", null),
        model: attr("model", null),
      };
    },
    parseHTML() {
      return [{ tag: `${tag}[data-id]` }];
    },
    renderHTML({ HTMLAttributes }) {
      return [tag, { ...HTMLAttributes, class: `suggestion suggestion-${name}` }, 0];
    },
    renderMarkdown: (node, h) => h.renderChildren(node),
  });
}

export const InsertionMark = suggestionMark(INSERTION_MARK, "ins");
export const DeletionMark = suggestionMark(DELETION_MARK, "del");
