/**
 * The Authors view: colours the document by who wrote it, with a legend, while it is
 * on. Authorship is what the server recorded (GET /authorship); it is asked again a
 * moment after the document changes, so new text takes its author's colour. Nothing
 * is written to the document: the colours are decorations of this reader's view.
 * Suggestions keep their own look on top.
 */
import type { Editor } from "@tiptap/core";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { AuthorshipAnswer } from "../../../shared/authorship";
import { getAuthorship } from "../lib/api";
import { authorsKey, authorsPlugin } from "./authors-plugin";
import { authorDecorations } from "./decorations";
import { AI_COLOR, type PresentPerson } from "../presence/author-colors";
import { authorStyles } from "./styles";
import "./authors.css";

/** Quiet time after an edit before asking again (one request per pause in typing). */
const REFRESH_AFTER_EDIT_MS = 1_500;

interface Props {
  editor: Editor;
  /** People present now: their text takes their caret's colour. */
  present: readonly PresentPerson[];
  docId: string;
  token: string;
  onClose: () => void;
}

export default function AuthorsView({ editor, present, docId, token, onClose }: Props) {
  const [answer, setAnswer] = useState<AuthorshipAnswer | null>(null);
  const [error, setError] = useState<string | null>(null);
  const alive = useRef(true);

  const load = useCallback(() => {
    getAuthorship(docId, token).then(
      (a) => {
        if (!alive.current) return;
        setAnswer(a);
        setError(null);
      },
      (err: unknown) => {
        if (alive.current) setError(err instanceof Error ? err.message : "Could not read who wrote what");
      },
    );
  }, [docId, token]);

  useEffect(() => {
    alive.current = true;
    editor.registerPlugin(authorsPlugin());
    return () => {
      alive.current = false;
      if (!editor.isDestroyed) editor.unregisterPlugin(authorsKey);
    };
  }, [editor]);

  // Now, and again a moment after the document stops changing.
  useEffect(() => {
    load();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onUpdate = ({ transaction }: { transaction: { docChanged: boolean } }) => {
      if (!transaction.docChanged) return;
      clearTimeout(timer);
      timer = setTimeout(load, REFRESH_AFTER_EDIT_MS);
    };
    editor.on("update", onUpdate);
    return () => {
      clearTimeout(timer);
      editor.off("update", onUpdate);
    };
  }, [editor, load]);

  // Presence changes often (activity, carets); colours only when who is here does.
  const presentKey = present.map((p) => `${p.clientId}:${p.color}:${p.name}`).join("|");
  // biome-ignore lint/correctness/useExhaustiveDependencies: `present` is read through its key
  const styles = useMemo(() => (answer ? authorStyles(answer.authors, present) : null), [answer, presentKey]);

  useEffect(() => {
    if (!answer || !styles || editor.isDestroyed) return;
    const set = authorDecorations(editor.state.doc, answer, (a) => styles.get(a.id) ?? { color: "#495057", title: a.name, ai: false });
    editor.view.dispatch(editor.state.tr.setMeta(authorsKey, set).setMeta("addToHistory", false));
  }, [editor, answer, styles]);

  const people = answer?.authors.filter((a) => a.kind === "person") ?? [];
  const ai = answer?.authors.filter((a) => a.kind === "ai") ?? [];
  const models = [...new Set(ai.map((a) => a.model).filter(Boolean))].join(", ");

  return (
    <section className="authors-legend" aria-label="Authors">
      <strong>Authors</strong>
      {error ? (
        <span role="alert" className="authors-error">
          {error}{" "}
          <button type="button" className="link-button" onClick={load}>
            Try again
          </button>
        </span>
      ) : !answer ? (
        <span className="hint">Reading who wrote what…</span>
      ) : people.length + ai.length === 0 ? (
        <span className="hint">Nothing written yet.</span>
      ) : (
        <ul>
          {people.map((a) => (
            <li key={a.id} title={styles?.get(a.id)?.title}>
              <span className="author-swatch" style={{ background: styles?.get(a.id)?.color }} aria-hidden="true" />
              {a.name}
            </li>
          ))}
          {ai.length > 0 && (
            <li title={models ? `Written by AI (${models})` : "Written by AI"}>
              <span className="author-swatch author-swatch-ai" style={{ color: AI_COLOR }} aria-hidden="true" />
              AI{models ? ` (${models})` : ""}
            </li>
          )}
        </ul>
      )}
      <button type="button" className="link-button" onClick={onClose}>
        Hide authors
      </button>
    </section>
  );
}
