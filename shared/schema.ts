/**
 * The editor schema, shared so the server (export, Markdown import, AI selection
 * reading, version restore) and the browser interpret a document identically.
 * Collaboration, carets and UI-only extensions are added by the client on top.
 */
import { type AnyExtension, getSchema } from "@tiptap/core";
import type { Schema } from "@tiptap/pm/model";
import Code from "@tiptap/extension-code";
import CodeBlock from "@tiptap/extension-code-block";
import Link from "@tiptap/extension-link";
import { TaskItem, TaskList } from "@tiptap/extension-list";
import { Table, TableCell, TableHeader, TableRow } from "@tiptap/extension-table";
import StarterKit from "@tiptap/starter-kit";
import { NODE_ATTR_RULES, validatorFor } from "./content-attrs";
import { isAllowedHref } from "./links";
import { codeFence, fenceInfo, markdownLink } from "./markdown-escape";
import { guardTableTokenizer, guardTaskListTokenizer } from "./markdown-guards";
import { CommentMark } from "./schema-comment";
import { QuireImage } from "./schema-image";
import { DeletionMark, FormattingMark, InsertionMark, SuggestionAttributes } from "./schema-suggestion";

/** The link allowlist lives in shared/links.ts; re-exported for existing importers. */
export { isAllowedHref } from "./links";

/** Links keep only allowlisted targets (typed, pasted, autolinked or imported), and
 * export to Markdown escaped, or as plain text when the target is refused. */
const QuireLink = Link.extend({
  renderMarkdown: (node, h) => markdownLink(h.renderChildren(node), node.attrs ?? {}),
}).configure({
  openOnClick: false,
  autolink: true,
  // No `protocols`: http, https and mailto are linkify's own schemes, and registering
  // them again from every editor instance (a version preview is a second one) made
  // linkify warn "already initialized" once it had run.
  isAllowedUri: (url) => isAllowedHref(url),
});

/** Code blocks export with a fence the code cannot close and a sanitised info string.
 * Their text takes no formatting, but suggestions, or Suggesting would edit code directly. */
const QuireCodeBlock = CodeBlock.extend({
  marks: "insertion deletion",
  renderMarkdown: (node, h) => {
    const code = node.content ? h.renderChildren(node.content) : "";
    const fence = codeFence(code);
    return `${fence}${fenceInfo(node.attrs?.language)}\n${code}\n${fence}`;
  },
});

/** Tiptap's table and task-list Markdown tokenizers, guarded (see markdown-guards.ts). */
const QuireTable = Table.extend({ markdownTokenizer: guardTableTokenizer(Table.config.markdownTokenizer!) });
const QuireTaskList = TaskList.extend({ markdownTokenizer: guardTaskListTokenizer(TaskList.config.markdownTokenizer!) });

/** Table cells check their attributes (the server and other peers send any value). */
function checkedCell<T extends typeof TableCell | typeof TableHeader>(cell: T, name: "tableCell" | "tableHeader"): T {
  const rules = NODE_ATTR_RULES[name]!;
  return cell.extend({
    addAttributes() {
      const parent = (this.parent?.() ?? {}) as Record<string, object>;
      return Object.fromEntries(
        Object.entries(parent).map(([attr, spec]) => {
          const rule = rules[attr];
          return [attr, rule ? { ...spec, validate: validatorFor(rule, `${name}.${attr}`) } : spec];
        }),
      );
    },
  }) as T;
}

/** Inline code excludes the other formatting, not suggestions (nor comments): with
 * Tiptap's "_" (every mark) Suggesting could not mark typed code, and turning text into
 * code would drop the marks that say what was suggested. */
const QuireCode = Code.extend({ excludes: "code bold italic strike underline link" });

export function schemaExtensions(): AnyExtension[] {
  return [
    StarterKit.configure({
      // Yjs' UndoManager (via Collaboration) replaces ProseMirror history so undo
      // only ever reverts the local user's own changes.
      undoRedo: false,
      link: false,
      codeBlock: false,
      code: false,
    }),
    QuireCode,
    QuireLink,
    QuireCodeBlock,
    QuireTaskList,
    TaskItem.configure({ nested: true }),
    QuireImage,
    // Column resizing needs a toolbar and handles; off until the editor has table UI.
    QuireTable.configure({ resizable: false }),
    TableRow,
    checkedCell(TableHeader, "tableHeader"),
    checkedCell(TableCell, "tableCell"),
    CommentMark,
    InsertionMark,
    DeletionMark,
    FormattingMark,
    SuggestionAttributes,
  ];
}

let schema: Schema | null = null;

/** The editor schema as a ProseMirror Schema, built once per isolate or page. */
export function editorSchema(): Schema {
  schema ??= getSchema(schemaExtensions());
  return schema;
}
