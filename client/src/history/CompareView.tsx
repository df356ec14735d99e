/**
 * Two states of the document compared (GET …/versions/<a>/compare): every block of
 * either side, insertions underlined and tinted, deletions struck through, each in its
 * author's colour (presence/author-colors.ts), with a count of characters per author
 * above. The older side is always `from`, so insertions are what came later.
 */
import type { PresentPerson } from "../presence/author-colors";
import { useCallback, useEffect, useMemo, useState } from "react";
import type { CompareResponse, CompareRun, Version } from "../../../shared/versions";
import { compareVersions } from "../lib/api";
import { authorColors, UNKNOWN_COLOR } from "../presence/author-colors";
import { versionTime, versionTitle } from "./format";

const message = (err: unknown) => (err instanceof Error ? err.message : "Something went wrong");

export const CURRENT = "current";

interface Props {
  docId: string;
  token: string;
  version: Version;
  /** The other side: a version, or the live document. */
  other: Version | typeof CURRENT;
  /** People present now: their caret colours are kept. */
  present: readonly PresentPerson[];
}

export function CompareView({ docId, token, version, other, present }: Props) {
  const [answer, setAnswer] = useState<CompareResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  // The older side first: insertions are what the newer one added.
  const [from, to] = other !== CURRENT && other.createdAt < version.createdAt ? [other, version] : [version, other];
  const toId = to === CURRENT ? CURRENT : to.id;

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` is the signal to try again
  useEffect(() => {
    let live = true;
    setAnswer(null);
    setError(null);
    compareVersions(docId, token, from.id, toId).then(
      (a) => live && setAnswer(a),
      (err: unknown) => live && setError(message(err)),
    );
    return () => {
      live = false;
    };
  }, [docId, token, from.id, toId, attempt]);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  const label = (v: Version | typeof CURRENT) =>
    v === CURRENT ? "the current document" : `“${versionTitle(v)}” (${versionTime(v.createdAt)})`;

  return (
    <div className="compare-view">
      <p className="compare-sides">
        Changes from {label(from)} to {label(to)}
      </p>
      {error ? (
        <div className="history-error compare-error" role="alert">
          <p>The versions could not be compared: {error}</p>
          <button type="button" className="button" onClick={retry}>
            Try again
          </button>
        </div>
      ) : answer === null ? (
        <div className="loading" role="status">
          Comparing…
        </div>
      ) : (
        <CompareBody answer={answer} present={present} />
      )}
    </div>
  );
}

interface Tally {
  id: string | null;
  name: string;
  color: string;
  inserted: number;
  deleted: number;
}

function CompareBody({ answer, present }: { answer: CompareResponse; present: Props["present"] }) {
  const colors = useMemo(() => authorColors(answer.authors, present), [answer, present]);
  const names = useMemo(() => new Map(answer.authors.map((a) => [a.id, a.kind === "ai" ? aiName(a.model) : a.name])), [answer]);
  const tallies = useMemo(() => {
    const byId = new Map<string | null, Tally>();
    for (const c of answer.changes) {
      const id = c.author ?? null;
      let t = byId.get(id);
      if (!t) {
        t = {
          id,
          name: id === null ? "Deleted, by whom not recorded" : (names.get(id) ?? "Unknown"),
          color: id === null ? UNKNOWN_COLOR : (colors.get(id) ?? UNKNOWN_COLOR),
          inserted: 0,
          deleted: 0,
        };
        byId.set(id, t);
      }
      if (c.op === "insert") t.inserted += [...c.text].length;
      else t.deleted += [...c.text].length;
    }
    return [...byId.values()];
  }, [answer, colors, names]);

  if (answer.changes.length === 0) {
    return <p className="empty compare-empty">No differences: both have the same text.</p>;
  }
  const colorOf = (run: CompareRun) => (run.author === undefined ? UNKNOWN_COLOR : (colors.get(run.author) ?? UNKNOWN_COLOR));
  const whoOf = (run: CompareRun) => (run.author === undefined ? null : (names.get(run.author) ?? null));
  return (
    <>
      <ul className="compare-legend" aria-label="Changes per author">
        {tallies.map((t) => (
          <li key={t.id ?? "none"} style={{ "--author": t.color } as React.CSSProperties}>
            <span className="compare-swatch" aria-hidden="true" />
            <span className="compare-name">{t.name}</span>
            {t.inserted > 0 && <span className="compare-count ins">+{t.inserted}</span>}
            {t.deleted > 0 && <span className="compare-count del">−{t.deleted}</span>}
          </li>
        ))}
      </ul>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a long read-only text that keyboard users scroll */}
      <div className="compare-text editor" tabIndex={0} role="document" aria-label="Compared text">
        {answer.blocks.map((b, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: blocks have no identity of their own; the list is replaced whole
          <p key={i} className={b.op === "same" ? undefined : `compare-block-${b.op}`}>
            {b.runs.length === 0 && b.op !== "same" ? <span className="compare-empty-block">¶</span> : null}
            {b.runs.map((r, j) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: runs are positional; the list is replaced whole
              <RunMark key={j} run={r} color={colorOf(r)} who={whoOf(r)} ai={isAi(r, answer)} />
            ))}
          </p>
        ))}
      </div>
    </>
  );
}

function RunMark({ run, color, who, ai }: { run: CompareRun; color: string; who: string | null; ai: boolean }) {
  if (run.op === "same") return <span>{run.text}</span>;
  const style = { "--author": color } as React.CSSProperties;
  return run.op === "insert" ? (
    <ins style={style} className={ai ? "ai" : undefined} title={who ? `Added by ${who}` : "Added"}>
      {run.text}
    </ins>
  ) : (
    <del style={style} title={who ? `Deleted by ${who}` : "Deleted"}>
      {run.text}
    </del>
  );
}

const aiName = (model?: string) => (model ? `AI (${model})` : "AI");
const isAi = (run: CompareRun, answer: CompareResponse) => answer.authors.some((a) => a.id === run.author && a.kind === "ai");
