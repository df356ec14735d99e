/**
 * An AI answer in a thread, read as Markdown and shown as React elements. The text goes
 * through the project's one Markdown reader (shared/markdown.ts via ai/markdown.ts: a
 * budget, raw HTML parsed inertly by the schema's rules, links and images kept only on
 * the shared allowlist), and the resulting nodes are rendered here from a short list of
 * known types, React escaping all text: no HTML string is ever inserted, links are
 * checked again with safeHref, images show as links (a comment never loads a remote
 * image), and marks of identity (comments, suggestions) are not rendered at all.
 * Part of the comments panel's chunk (loaded when the panel opens), never of the page.
 */
import type { Mark, Node as PMNode } from "@tiptap/pm/model";
import type { ReactNode } from "react";
import { safeHref } from "../../../shared/links";
import { editorSchema } from "../../../shared/schema";
import { markdownToDoc } from "../ai/markdown";

export function renderMarkdown(markdown: string): ReactNode {
  return children(markdownToDoc(markdown, editorSchema()));
}

function children(node: PMNode): ReactNode[] {
  const out: ReactNode[] = [];
  node.forEach((child, _offset, i) => {
    out.push(block(child, i));
  });
  return out;
}

function block(node: PMNode, key: number): ReactNode {
  switch (node.type.name) {
    case "paragraph":
      return <p key={key}>{children(node)}</p>;
    case "heading":
      return (
        <p key={key} className="md-heading">
          <strong>{children(node)}</strong>
        </p>
      );
    case "blockquote":
      return <blockquote key={key}>{children(node)}</blockquote>;
    case "bulletList":
    case "taskList":
      return <ul key={key}>{children(node)}</ul>;
    case "orderedList":
      return (
        <ol key={key} start={Number(node.attrs.start) || 1}>
          {children(node)}
        </ol>
      );
    case "listItem":
      return <li key={key}>{children(node)}</li>;
    case "taskItem":
      return (
        <li key={key}>
          {node.attrs.checked ? "☑ " : "☐ "}
          {children(node)}
        </li>
      );
    case "codeBlock":
      return (
        <pre key={key}>
          <code>{node.textContent}</code>
        </pre>
      );
    case "horizontalRule":
      return <hr key={key} />;
    case "hardBreak":
      return <br key={key} />;
    case "image": {
      const src = safeHref(node.attrs.src);
      const label = `[image${node.attrs.alt ? `: ${String(node.attrs.alt)}` : ""}]`;
      return src ? (
        <a key={key} href={src} target="_blank" rel="noopener noreferrer nofollow">
          {label}
        </a>
      ) : (
        <span key={key}>{label}</span>
      );
    }
    case "table":
      return (
        <table key={key}>
          <tbody>{children(node)}</tbody>
        </table>
      );
    case "tableRow":
      return <tr key={key}>{children(node)}</tr>;
    case "tableHeader":
      return <th key={key}>{children(node)}</th>;
    case "tableCell":
      return <td key={key}>{children(node)}</td>;
    case "text":
      return text(node, key);
    default:
      // Anything else: its text, never its markup.
      return <span key={key}>{node.textContent}</span>;
  }
}

function text(node: PMNode, key: number): ReactNode {
  let el: ReactNode = node.text ?? "";
  // Innermost first, so a link wraps its bold text as written.
  for (const mark of [...node.marks].reverse()) el = wrap(mark, el);
  return <span key={key}>{el}</span>;
}

function wrap(mark: Mark, el: ReactNode): ReactNode {
  switch (mark.type.name) {
    case "bold":
      return <strong>{el}</strong>;
    case "italic":
      return <em>{el}</em>;
    case "strike":
      return <s>{el}</s>;
    case "underline":
      return <u>{el}</u>;
    case "code":
      return <code>{el}</code>;
    case "link": {
      const href = safeHref(mark.attrs.href);
      return href ? (
        <a href={href} target="_blank" rel="noopener noreferrer nofollow">
          {el}
        </a>
      ) : (
        el
      );
    }
    default:
      return el;
  }
}
