/**
 * AI assist seen from a test: the one workerd test peer (test-support/client.ts) plus
 * the requests and answers of shared/ai.ts, so AI tests read like what a client does.
 */
import * as Y from "yjs";
import type { AiOptions, AiServerMessage, RelativePositionJSON } from "../../../shared/ai";
import { YDOC_CONTENT_FIELD } from "../../../shared/api";
import { connect, Peer } from "../../test-support/client";

export { createDoc } from "../../test-support/client";

export class AiPeer extends Peer {
  /** Joins like the editor does and waits for the document's state. */
  static async connect(id: string, token: string, author?: { key?: string; name?: string }): Promise<AiPeer> {
    const peer = await connect(id, token, { sync: false, make: (ws) => new AiPeer(ws), ...(author ? { author } : {}) });
    await peer.until(() => peer.synced || peer.closed !== null, "initial sync", 10_000);
    if (!peer.synced) throw new Error(`closed before the initial sync: ${peer.closed?.code}`);
    return peer;
  }

  /** The text of paragraph `i`, as Tiptap stores it. */
  paragraphText(i = 0): Y.XmlText {
    return (this.doc.getXmlFragment(YDOC_CONTENT_FIELD).get(i) as Y.XmlElement).get(0) as Y.XmlText;
  }

  /** Relative positions of a range inside paragraph `i` (character offsets). */
  range(from: number, to: number, i = 0): { from: RelativePositionJSON; to: RelativePositionJSON } {
    const text = this.paragraphText(i);
    const rel = (index: number, assoc: number) =>
      Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(text, index, assoc)) as RelativePositionJSON;
    return { from: rel(from, 0), to: rel(to, -1) };
  }

  /** The whole of paragraph `i`. */
  all(i = 0): { from: RelativePositionJSON; to: RelativePositionJSON } {
    return this.range(0, this.paragraphText(i).length, i);
  }

  request(
    requestId: string,
    command: string,
    range: { from: RelativePositionJSON; to: RelativePositionJSON },
    options: AiOptions = {},
  ): void {
    this.sendCustom({ type: "ai-request", requestId, command, options, range });
  }

  ai(requestId: string): AiServerMessage[] {
    return this.messages.filter((m): m is AiServerMessage => m.type.startsWith("ai-") && (m as AiServerMessage).requestId === requestId);
  }

  answer(requestId: string): string {
    return this.ai(requestId)
      .map((m) => (m.type === "ai-delta" ? m.text : ""))
      .join("");
  }

  /** Resolves with the request's final message (ai-done or ai-error). */
  async settled(requestId: string, ms = 10_000): Promise<AiServerMessage> {
    await this.until(() => this.ai(requestId).some((m) => m.type !== "ai-delta"), `request ${requestId} settled`, ms);
    return this.ai(requestId).find((m) => m.type !== "ai-delta")!;
  }
}
