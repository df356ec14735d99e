/**
 * The preview of an AI answer, shown only to the person who asked: streamed rich
 * text (rendered through the editor schema, never as raw HTML), then the choices.
 */
import { DOMSerializer, type Schema } from "@tiptap/pm/model";
import { useEffect, useRef, useState } from "react";
import type { AiRun } from "./ai-client";
import type { AcceptMode } from "./apply";
import { COMMAND_TITLES } from "./commands";
import { markdownToDoc } from "./markdown";

export type Conflict = "none" | "changed" | "gone";

interface Props {
  run: AiRun;
  schema: Schema;
  conflict: Conflict;
  onStop: () => void;
  onAccept: (mode: AcceptMode) => void;
  /** Applies the answer as a suggestion (attributed to the AI, asked by this user). */
  onSuggest: (mode: AcceptMode) => void;
  onRetry: () => void;
  onDiscard: () => void;
  /** The owner lets answers land only as suggestions: Suggest is the one way in. */
  suggestOnly?: boolean;
}

/** Renders Markdown as schema content: the first characters at once (time to first
 * character is what people notice), then at most once per frame while streaming. */
function usePreview(text: string, schema: Schema) {
  const ref = useRef<HTMLDivElement>(null);
  const shown = useRef(false);
  useEffect(() => {
    const render = () => {
      const el = ref.current;
      if (!el) return;
      const doc = markdownToDoc(text, schema);
      el.replaceChildren(DOMSerializer.fromSchema(schema).serializeFragment(doc.content));
      shown.current = text !== "";
    };
    if (!shown.current) {
      render();
      return;
    }
    const frame = requestAnimationFrame(render);
    return () => cancelAnimationFrame(frame);
  }, [text, schema]);
  return ref;
}

function useCountdown(ms: number | undefined, since: number): number {
  const [now, setNow] = useState(() => performance.now());
  useEffect(() => {
    if (!ms) return;
    const t = setInterval(() => setNow(performance.now()), 1000);
    return () => clearInterval(t);
  }, [ms]);
  return ms ? Math.max(0, Math.ceil((since + ms - now) / 1000)) : 0;
}

export function AiPanel({ run, schema, conflict, onStop, onAccept, onSuggest, onRetry, onDiscard, suggestOnly = false }: Props) {
  const preview = usePreview(run.text, schema);
  const [erroredAt] = useState(() => performance.now());
  const wait = useCountdown(run.error?.retryAfterMs, erroredAt);
  const busy = run.phase === "waiting" || run.phase === "streaming";
  const isContinue = run.command === "continue";
  const hasText = run.text.trim().length > 0;
  const firstCharMs = run.firstCharAt !== null ? Math.round(run.firstCharAt - run.sentAt) : null;

  return (
    <section
      // A side panel's class (panels/Panel.tsx): in the text on wide screens, a bottom sheet on phones.
      className="ai-panel panel panel-inline"
      contentEditable={false}
      onKeyDown={(e) => {
        if (e.key !== "Escape") return;
        e.preventDefault();
        // Discarding stops a running answer too, and puts the focus back in the text.
        onDiscard();
      }}
      data-testid="ai-panel"
      data-phase={run.phase}
      data-first-char-ms={firstCharMs ?? undefined}
      aria-label="AI suggestion (only you can see this)"
    >
      <div className="ai-panel-head">
        <span className="ai-spark" aria-hidden="true">
          ✦
        </span>
        <strong>{COMMAND_TITLES[run.command]}</strong>
        <span className="ai-status" role="status" aria-live="polite">
          {run.phase === "waiting" && "AI is thinking…"}
          {run.phase === "streaming" && "AI is writing…"}
          {run.phase === "done" && run.finish === "stopped" && "Stopped"}
          {run.phase === "done" && run.finish === "length" && "Cut off at the length limit"}
          {run.phase === "done" &&
            run.finish === "stop" &&
            (suggestOnly ? "AI answers go in as suggestions here" : "Only you can see this until you accept it")}
        </span>
        {busy && (
          <button type="button" className="button ai-stop" onClick={onStop}>
            ■ Stop
          </button>
        )}
      </div>

      <div className={`ai-preview${busy ? " ai-preview-live" : ""}`} ref={preview} data-testid="ai-preview" hidden={!hasText} />
      {run.phase === "done" && !hasText && <p className="ai-note">The AI returned no text. Try again or rephrase.</p>}

      {run.phase === "error" && run.error && <ErrorNote error={run.error} wait={wait} />}

      {!busy && conflict === "changed" && (
        <p className="ai-note ai-warn" role="alert" data-testid="ai-conflict">
          Someone edited this text while the AI was writing. Replacing it would overwrite their change.
        </p>
      )}
      {!busy && conflict === "gone" && (
        <p className="ai-note ai-warn" role="alert" data-testid="ai-conflict">
          The selected text was deleted while the AI was writing.
        </p>
      )}

      {!busy && (
        <div className="ai-actions">
          {hasText &&
            run.phase === "done" &&
            conflict !== "gone" &&
            (suggestOnly ? (
              <button
                type="button"
                className="button primary"
                onClick={() => onSuggest(isContinue ? "insert" : "replace")}
                title="The owner lets AI answers into this document only as suggestions"
              >
                Suggest
              </button>
            ) : isContinue ? (
              <>
                <button type="button" className="button primary" onClick={() => onAccept("insert")}>
                  Insert
                </button>
                <button type="button" className="button" onClick={() => onSuggest("insert")}>
                  Suggest
                </button>
              </>
            ) : (
              <>
                <button type="button" className={`button${conflict === "none" ? " primary" : ""}`} onClick={() => onAccept("replace")}>
                  {conflict === "changed" ? "Replace anyway" : "Replace selection"}
                </button>
                <button type="button" className={`button${conflict === "changed" ? " primary" : ""}`} onClick={() => onAccept("below")}>
                  Insert below
                </button>
                <button type="button" className="button" onClick={() => onSuggest("replace")}>
                  Suggest
                </button>
              </>
            ))}
          {conflict !== "gone" &&
            run.error?.code !== "not-configured" &&
            run.error?.code !== "forbidden" &&
            run.error?.code !== "ai-off" && (
              <button type="button" className="button" onClick={onRetry} disabled={wait > 0}>
                {wait > 0 ? `Retry in ${wait} s` : "Retry"}
              </button>
            )}
          <button type="button" className="button" onClick={onDiscard}>
            Discard
          </button>
        </div>
      )}
    </section>
  );
}

function ErrorNote({ error, wait }: { error: NonNullable<AiRun["error"]>; wait: number }) {
  if (error.code === "not-configured") {
    // The server's message repeats the setup steps in prose; here they are shown as code.
    const refused = /refused/i.test(error.message);
    return (
      <div className="ai-note ai-error" role="alert" data-testid="ai-error" data-code={error.code}>
        <strong>{refused ? "The AI provider refused the API key." : "AI is not configured on this server."}</strong>
        {error.setting && (
          <p>
            Add <code>{error.setting}=…</code> to <code>.dev.vars</code> (or your shell for <code>npm start</code>), or run{" "}
            <code>wrangler secret put {error.setting}</code> when deployed.
          </p>
        )}
      </div>
    );
  }
  const title =
    error.code === "ai-off"
      ? "AI is off for this document."
      : error.code === "rate-limited"
        ? `Rate limited${wait > 0 ? `: try again in ${wait} s` : ""}.`
        : error.code === "network"
          ? "Connection lost."
          : error.code === "provider-error"
            ? "The AI provider had a problem."
            : "AI could not run.";
  return (
    <div className="ai-note ai-error" role="alert" data-testid="ai-error" data-code={error.code}>
      <strong>{title}</strong> {error.message}
    </div>
  );
}
