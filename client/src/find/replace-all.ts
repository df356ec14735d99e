import type { Mapping } from "@tiptap/pm/transform";
import type { EditorView } from "@tiptap/pm/view";
import { MAX_MESSAGE_BYTES } from "../../../shared/limits";
import type { Match } from "./find-matches";

/** The most one replace-all step may change, estimated generously: a quarter of the
 * frame limit leaves room for Yjs' own encoding (item headers, delete sets, the sync
 * envelope), so no step's update can come near MAX_MESSAGE_BYTES and be refused. */
export const REPLACE_STEP_BUDGET_BYTES = MAX_MESSAGE_BYTES / 4;
/** Per replaced match: Yjs item and delete-set overhead, rounded well up. */
const PER_MATCH_OVERHEAD_BYTES = 64;

/** Splits matches (in document order) into steps whose estimated update stays within
 * the budget. */
export function planSteps(matches: Match[], replacement: string, budget = REPLACE_STEP_BUDGET_BYTES): Match[][] {
  const each = new TextEncoder().encode(replacement).length + PER_MATCH_OVERHEAD_BYTES;
  const perStep = Math.max(1, Math.floor(budget / each));
  const steps: Match[][] = [];
  for (let i = 0; i < matches.length; i += perStep) steps.push(matches.slice(i, i + perStep));
  return steps;
}

/** Replaces every match, one transaction (so one Yjs update) per planned step. All
 * steps run in one go, so no remote change can land between them; each step's positions
 * are mapped through the steps before it. Returns how many were replaced. */
export function replaceAll(view: EditorView, matches: Match[], replacement: string): number {
  let done = 0;
  const before: Mapping[] = [];
  for (const step of planSteps(matches, replacement)) {
    const tr = view.state.tr;
    // Back to front, so earlier matches in this step keep their positions.
    for (let i = step.length - 1; i >= 0; i--) {
      const m = step[i]!;
      const from = before.reduce((p, map) => map.map(p, 1), m.from);
      const to = before.reduce((p, map) => map.map(p, -1), m.to);
      if (to <= from) continue;
      if (replacement === "") tr.delete(from, to);
      else tr.insertText(replacement, from, to);
      done += 1;
    }
    if (!tr.docChanged) continue;
    view.dispatch(tr);
    // Refused (the render guard pauses a client that cannot render the content): stop.
    if (view.state.doc !== tr.doc) break;
    before.push(tr.mapping);
  }
  return done;
}
