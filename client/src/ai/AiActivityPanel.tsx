/**
 * The owner's AI activity: every AI call of the document, newest first (GET
 * …/ai/activity): who asked, how (AI assist or @AI in a thread), which model at which
 * host, how much text went out and came back, and what became of the answer.
 */
import { useCallback, useEffect, useState } from "react";
import type { AiCall, AiCallOutcome } from "../../../shared/ai-activity";
import { ApiError, getAiActivity } from "../lib/api";
import "./ai-activity.css";

/** What each command did, as a person would name it. */
const COMMANDS: Record<string, string> = {
  rewrite: "Rewrite",
  summarize: "Summarize",
  fix: "Fix spelling & grammar",
  shorter: "Make shorter",
  longer: "Make longer",
  tone: "Change tone",
  translate: "Translate",
  continue: "Continue writing",
  ask: "Ask AI",
};

const OUTCOME: Record<AiCallOutcome, string> = {
  pending: "Waiting",
  accepted: "Accepted",
  suggested: "Suggested",
  discarded: "Discarded",
  failed: "Failed",
  answered: "Answered in a thread",
};

type State = { kind: "loading" } | { kind: "error"; message: string } | { kind: "ready"; calls: AiCall[] };

export default function AiActivityPanel({ docId, token, onClose }: { docId: string; token: string; onClose: () => void }) {
  const [state, setState] = useState<State>({ kind: "loading" });
  const [seq, setSeq] = useState(0);
  const reload = useCallback(() => setSeq((n) => n + 1), []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `seq` is the reload button's.
  useEffect(() => {
    const abort = new AbortController();
    setState((s) => (s.kind === "ready" ? s : { kind: "loading" }));
    getAiActivity(docId, token, abort.signal)
      .then((a) => setState({ kind: "ready", calls: a.calls }))
      .catch((err: unknown) => {
        if (abort.signal.aborted) return;
        const message =
          err instanceof ApiError && err.status === 403
            ? "Only the document’s owner sees its AI activity."
            : `Could not load the AI activity. ${err instanceof Error ? err.message : ""}`.trim();
        setState({ kind: "error", message });
      });
    return () => abort.abort();
  }, [docId, token, seq]);

  return (
    <section className="ai-activity" aria-label="AI activity">
      <div className="ai-activity-head">
        <h2>AI activity</h2>
        <button type="button" className="link-button" onClick={reload} disabled={state.kind === "loading"}>
          Refresh
        </button>
        <button type="button" className="icon-button" aria-label="Close AI activity" onClick={onClose}>
          ×
        </button>
      </div>
      <p className="hint">Every AI call in this document: who asked, where the text went, and what became of the answer.</p>
      {state.kind === "loading" && (
        <p className="hint" role="status">
          Loading…
        </p>
      )}
      {state.kind === "error" && (
        <div className="notice" role="alert">
          {state.message}{" "}
          <button type="button" className="link-button" onClick={reload}>
            Try again
          </button>
        </div>
      )}
      {state.kind === "ready" && state.calls.length === 0 && <p className="hint">No AI calls in this document yet.</p>}
      {state.kind === "ready" && state.calls.length > 0 && (
        <ol className="ai-activity-list" data-testid="ai-activity-list">
          {state.calls.map((c) => (
            <CallItem key={c.id} call={c} />
          ))}
        </ol>
      )}
    </section>
  );
}

function CallItem({ call: c }: { call: AiCall }) {
  const what = c.via === "thread" ? "@AI in a comment" : (COMMANDS[c.command] ?? c.command);
  return (
    <li className="ai-call" data-outcome={c.outcome}>
      <div className="ai-call-head">
        <strong>{what}</strong>
        <span className={`ai-call-outcome ai-outcome-${c.outcome}`}>{OUTCOME[c.outcome]}</span>
      </div>
      <div className="ai-call-meta">
        <time dateTime={new Date(c.at).toISOString()}>{formatWhen(c.at)}</time> · asked by {c.requestedBy}
        {c.decidedBy && c.outcome !== "pending" && c.decidedBy !== c.requestedBy
          ? `, ${OUTCOME[c.outcome].toLowerCase()} by ${c.decidedBy}`
          : ""}
      </div>
      <div className="ai-call-meta">
        {c.model} at {c.endpoint || "unknown host"} · {c.charsSent.toLocaleString()} characters sent, {c.charsReceived.toLocaleString()}{" "}
        received
      </div>
    </li>
  );
}

function formatWhen(at: number): string {
  const d = new Date(at);
  const today = new Date().toDateString() === d.toDateString();
  return today
    ? d.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" })
    : d.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}
