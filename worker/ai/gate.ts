/**
 * The one gate every model call of a document passes: AI assist over the socket, @AI
 * in a thread, anything later. It holds the document's limits (calls at once, calls
 * per minute) and each link's share of them, plus each person's own per-minute limit,
 * so one link holder cannot spend the budget of everyone else: author keys and sockets
 * cost nothing to make, links do not.
 *
 * Before it, @AI in a thread had its own per-minute budget and no cap on calls at
 * once: 20 "@AI" comments from a comment link started 20 upstream calls together.
 *
 * It also asks the owner's AI policy (policy.ts): while AI is off for the document,
 * every call is refused here, whichever path it came by.
 *
 * State lives in memory: a room that sleeps has no call running and can afford to
 * forget the last minute (a socket's own times may also be kept by its caller, in the
 * connection's state, which survives hibernation).
 */
import {
  AI_BUSY_RETRY_AFTER_MS,
  AI_MAX_CONCURRENT_PER_DOCUMENT,
  AI_MAX_CONCURRENT_PER_LINK,
  AI_REQUESTS_PER_MINUTE_PER_CONNECTION,
  AI_REQUESTS_PER_MINUTE_PER_DOCUMENT,
  AI_REQUESTS_PER_MINUTE_PER_LINK,
} from "../../shared/limits";
import { type AiPolicy, DEFAULT_AI_POLICY } from "../../shared/ai";
import type { LinkKind } from "../../shared/sharing";
import { admit } from "./limiter";
import { AI_OFF_MESSAGE } from "./policy";

const MINUTE_MS = 60_000;
/** People remembered at once; past it the quietest are forgotten (their windows are
 * short, and the link's share still bounds them). */
const MAX_PEOPLE = 1_000;

export interface AiClaim {
  /** The link the request came with. */
  link: LinkKind;
  /** Who asks: a socket id, an author id, or the link itself when nothing says. */
  person: string;
  /** The person's recent request times, when the caller keeps them (a socket's state). */
  times?: readonly number[];
}

export type AiRefusal = {
  ok: false;
  /** Which limit: the owner turned AI off, at once in the document or the link, or per
   * minute for the person, the link or the document. */
  scope: "off" | "busy" | "link-busy" | "person" | "link" | "document";
  retryAfterMs: number;
  message: string;
};
export type AiEntry = { ok: true; slot: AiSlot; times: number[] } | AiRefusal;

/** One admitted call; `release()` when it ends, however it ends (idempotent). */
export class AiSlot {
  private released = false;

  constructor(
    readonly link: LinkKind,
    private readonly onRelease: (slot: AiSlot) => void,
  ) {}

  release(): void {
    if (this.released) return;
    this.released = true;
    this.onRelease(this);
  }
}

export class AiGate {
  private readonly running = new Set<AiSlot>();
  private docTimes: number[] = [];
  private readonly linkTimes = new Map<LinkKind, number[]>();
  private readonly people = new Map<string, number[]>();

  constructor(
    private readonly now: () => number = Date.now,
    /** The document's AI policy now (policy.ts). */
    private readonly policy: () => AiPolicy = () => DEFAULT_AI_POLICY,
  ) {}

  /** The refusal every call gets while the owner has AI off, else null. Callers ask it
   * first, before any other check, so "off" is the answer whatever else holds. */
  closed(): AiRefusal | null {
    return this.policy() === "off" ? refuse("off", 0, AI_OFF_MESSAGE) : null;
  }

  /** Answers may land only as suggestions. */
  suggestOnly(): boolean {
    return this.policy() === "suggest";
  }

  /** Calls running now (in the whole document, or from one link). */
  busy(link?: LinkKind): number {
    let n = 0;
    for (const s of this.running) if (link === undefined || s.link === link) n += 1;
    return n;
  }

  /**
   * Admits one model call, or says which limit refused it and when to try again.
   * `replacing`: calls this one supersedes (a person asking again stops their previous
   * answer), not counted against the caps.
   */
  enter(claim: AiClaim, replacing: readonly AiSlot[] = []): AiEntry {
    const off = this.closed();
    if (off) return off;
    const ignore = new Set(replacing);
    const busy = [...this.running].filter((s) => !ignore.has(s));
    if (busy.length >= AI_MAX_CONCURRENT_PER_DOCUMENT) {
      return refuse(
        "busy",
        AI_BUSY_RETRY_AFTER_MS,
        `${AI_MAX_CONCURRENT_PER_DOCUMENT} AI answers are already being written in this document.`,
      );
    }
    if (busy.filter((s) => s.link === claim.link).length >= AI_MAX_CONCURRENT_PER_LINK) {
      return refuse(
        "link-busy",
        AI_BUSY_RETRY_AFTER_MS,
        `${AI_MAX_CONCURRENT_PER_LINK} AI answers asked with this link are already being written.`,
      );
    }
    const now = this.now();
    const person = admit(claim.times ?? this.people.get(claim.person) ?? [], now, AI_REQUESTS_PER_MINUTE_PER_CONNECTION, MINUTE_MS);
    if (!person.ok) {
      return refuse("person", person.retryAfterMs, `You can make ${AI_REQUESTS_PER_MINUTE_PER_CONNECTION} AI requests per minute.`);
    }
    const link = admit(this.linkTimes.get(claim.link) ?? [], now, AI_REQUESTS_PER_MINUTE_PER_LINK, MINUTE_MS);
    if (!link.ok) {
      return refuse("link", link.retryAfterMs, `This link has made its ${AI_REQUESTS_PER_MINUTE_PER_LINK} AI requests this minute.`);
    }
    const doc = admit(this.docTimes, now, AI_REQUESTS_PER_MINUTE_PER_DOCUMENT, MINUTE_MS);
    if (!doc.ok) {
      return refuse(
        "document",
        doc.retryAfterMs,
        `This document has reached its ${AI_REQUESTS_PER_MINUTE_PER_DOCUMENT} AI requests per minute.`,
      );
    }
    this.docTimes = doc.times;
    this.linkTimes.set(claim.link, link.times);
    this.remember(claim.person, person.times);
    const slot = new AiSlot(claim.link, (s) => this.running.delete(s));
    this.running.add(slot);
    return { ok: true, slot, times: person.times };
  }

  /** Most recent last, so the ones forgotten first are the quietest. */
  private remember(person: string, times: number[]): void {
    this.people.delete(person);
    this.people.set(person, times);
    for (const k of this.people.keys()) {
      if (this.people.size <= MAX_PEOPLE) break;
      this.people.delete(k);
    }
  }
}

const refuse = (scope: AiRefusal["scope"], retryAfterMs: number, message: string): AiRefusal => ({
  ok: false,
  scope,
  retryAfterMs,
  message,
});
