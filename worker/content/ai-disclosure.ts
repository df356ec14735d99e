/**
 * Whether a document holds AI-written text, for exports to say so in their metadata
 * (the EU AI Act, Art. 50, asks for machine-readable marking of AI-generated text).
 * AI text is what the server attributed to an AI answer (room/ai-attribution.ts); the
 * walk is authorship.ts's, over the document as it stands.
 */
import type * as Y from "yjs";
import { YDOC_CONTENT_FIELD } from "../../shared/api";
import { blockPieces, textBlocks } from "./authorship";

export interface AiDisclosure {
  /** The models that wrote it, each once. */
  models: string[];
  /** Characters of AI-written text, of `totalChars`. */
  chars: number;
  totalChars: number;
}

/** IPTC's term for content that mixes human and AI-generated parts. */
export const IPTC_COMPOSITE_WITH_AI = "http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia";

export function aiDisclosure(doc: Y.Doc, modelOf: (client: number) => string | null): AiDisclosure | null {
  const models = new Set<string>();
  let chars = 0;
  let totalChars = 0;
  textBlocks(doc.getXmlFragment(YDOC_CONTENT_FIELD), (block) => {
    for (const p of blockPieces(block)) {
      totalChars += p.text.length;
      const model = modelOf(p.client);
      if (model === null) continue;
      models.add(model);
      chars += p.text.length;
    }
  });
  return chars === 0 ? null : { models: [...models], chars, totalChars };
}

export function disclosureSentence(d: AiDisclosure): string {
  return `Parts of this document (${d.chars} of ${d.totalChars} characters) were written by AI (${d.models.join(", ")}), as recorded by Quire.`;
}

/** `<meta>` tags for an HTML export's head (escaped by the caller's escaper). */
export function htmlDisclosure(d: AiDisclosure, escapeText: (s: string) => string): string {
  return (
    `<meta name="digital-source-type" content="${IPTC_COMPOSITE_WITH_AI}">` +
    `<meta name="ai-generated" content="partial">` +
    `<meta name="ai-models" content="${escapeText(d.models.join(", "))}">` +
    `<meta name="description" content="${escapeText(disclosureSentence(d))}">`
  );
}

/** A Word file's custom properties and description. */
export function docxDisclosure(d: AiDisclosure): { description: string; customProperties: { name: string; value: string }[] } {
  return {
    description: disclosureSentence(d),
    customProperties: [
      { name: "AIGenerated", value: "partial" },
      { name: "AIModels", value: d.models.join(", ") },
      { name: "AICharacters", value: `${d.chars} of ${d.totalChars}` },
      { name: "DigitalSourceType", value: IPTC_COMPOSITE_WITH_AI },
    ],
  };
}
