/**
 * The document's AI policy in the Share dialog: the owner picks it (PATCH
 * /api/docs/<id> `{ai}`; everyone's page follows live), everyone else reads it.
 */
import { useEffect, useState } from "react";
import { AI_POLICIES, type AiPolicy } from "../../../shared/ai";
import { ApiError, patchDoc } from "../lib/api";

const LABEL: Record<AiPolicy, { name: string; hint: string }> = {
  on: { name: "AI on", hint: "People with an edit link can ask AI and put its answers into the text." },
  suggest: {
    name: "AI answers only as suggestions",
    hint: "AI answers go in as suggestions someone must accept; @AI in comments works.",
  },
  off: { name: "AI off", hint: "Nobody can use AI in this document, in the text or in comments." },
};

interface Props {
  id: string;
  token: string;
  owner: boolean;
  /** The policy as the page knows it (from the server, live). */
  policy: AiPolicy;
}

export function AiPolicySection({ id, token, owner, policy }: Props) {
  // What the owner just chose, until the server's live change arrives with the same.
  const [chosen, setChosen] = useState<AiPolicy | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const shown = chosen ?? policy;
  // The live policy wins once it changes (this choice arriving, or another tab's).
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the live policy changes.
  useEffect(() => setChosen(null), [policy]);

  if (!owner) {
    return (
      <section className="ai-policy" aria-label="AI in this document">
        <h3>AI in this document</h3>
        <p data-testid="ai-policy-readonly">
          <strong>{LABEL[policy].name}.</strong> {LABEL[policy].hint}
        </p>
        <p className="hint">Only the document’s owner can change this.</p>
      </section>
    );
  }

  const choose = async (next: AiPolicy) => {
    if (next === shown) return;
    setBusy(true);
    setError(null);
    setChosen(next);
    try {
      const res = await patchDoc(id, token, { ai: next });
      setChosen(res.ai);
    } catch (err) {
      setChosen(null);
      setError(
        err instanceof ApiError && err.status === 403
          ? "Only the owner can change this."
          : err instanceof Error
            ? err.message
            : "Could not save",
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <fieldset className="ai-policy" disabled={busy}>
      <legend>AI in this document</legend>
      {AI_POLICIES.map((p) => (
        <label key={p} className="ai-policy-option">
          <input type="radio" name="ai-policy" value={p} checked={shown === p} onChange={() => void choose(p)} />
          <span>
            <strong>{LABEL[p].name}</strong>
            <span className="hint">{LABEL[p].hint}</span>
          </span>
        </label>
      ))}
      {error && (
        <p className="notice" role="alert">
          {error}
        </p>
      )}
    </fieldset>
  );
}
