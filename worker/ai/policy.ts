/**
 * The owner's AI policy for one document (PATCH /api/docs/<id> `{ai}`), kept in the
 * document's meta table: "on" (the default), "suggest" (answers land only as
 * suggestions) or "off" (every model call is refused). The gate (gate.ts) asks it
 * before any call; this is the only place that says whether AI may run.
 */
import { type AiPolicy, DEFAULT_AI_POLICY, isAiPolicy } from "../../shared/ai";
import { MetaKey } from "../storage/meta-keys";

/** The part of the document's store the policy reads and writes. */
export interface PolicyMeta {
  getMeta(key: string): string | number | null;
  setMeta(key: string, value: string | number): void;
}

export const AI_OFF_MESSAGE = "The owner turned AI off for this document.";

export class AiPolicyStore {
  constructor(
    private readonly meta: PolicyMeta,
    /** Tells everyone connected (their AI controls follow it live). */
    private readonly announce: (policy: AiPolicy) => void = () => {},
  ) {}

  current(): AiPolicy {
    const stored = this.meta.getMeta(MetaKey.AiPolicy);
    return isAiPolicy(stored) ? stored : DEFAULT_AI_POLICY;
  }

  /** Stores the policy (in the caller's synchronous turn) and announces a change. */
  set(policy: AiPolicy): void {
    if (policy === this.current()) return;
    this.meta.setMeta(MetaKey.AiPolicy, policy);
    this.announce(policy);
  }
}
