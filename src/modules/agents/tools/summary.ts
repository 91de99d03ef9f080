import { rankedKeywords } from './keywords.js';
import { pastedRequest } from './phrasing.js';
import type { ToolCapability } from './types.js';

/** Sentences kept: a third of the text, at least one, at most five. */
const share = (n: number) => Math.min(5, Math.max(1, Math.round(n / 3)));

const GRAMMAR =
  /\b(?:summari[sz]e|summary\s+of|sum\s+up|tl;?dr|give\s+me\s+(?:a\s+|the\s+)?(?:short\s+|brief\s+)?(?:summary|gist)(?:\s+of)?|extractive\s+summary(?:\s+of)?)(?:\s+(?:this|the|following|text|article|paragraph|passage|email|story|in\s+a\s+few\s+sentences))*/i;

/** Sentences as written: split after . ! ? and before a capital or a digit. */
function sentencesOf(body: string): string[] {
  return body
    .replace(/\s+/g, ' ')
    .split(/(?<=[.!?])\s+(?=["“(]?[\p{Lu}\d])/u)
    .map((s) => s.trim())
    .filter(Boolean);
}

export const summary: ToolCapability = {
  id: 'summary',
  description: 'Extractive summary of a pasted English text: its most central sentences, as written, in their order (no rewriting)',
  readsWorkVerbs: true,
  match(text) {
    const req = pastedRequest(text, GRAMMAR);
    if (!req) return null;
    if (sentencesOf(req.body).length < 3) return { refuse: 'a text of under three sentences has nothing to extract a summary from' };
    // Below an LLM writer: an extract is what is left when no provider can write a summary.
    return { confidence: 0.55, reasoning: 'Extractive summary of the given text', plan: req.body };
  },
  run(raw) {
    const sentences = sentencesOf(String(raw));
    const weight = new Map(rankedKeywords(String(raw)));
    // A sentence scores the mean frequency of its content words: long sentences gain nothing by length.
    const scored = sentences.map((s, i) => {
      const words = rankedKeywords(s).map(([w]) => w);
      const score = words.length ? words.reduce((a, w) => a + (weight.get(w) ?? 0), 0) / Math.sqrt(words.length) : 0;
      return { s, i, score };
    });
    const kept = [...scored]
      .sort((a, b) => b.score - a.score || a.i - b.i)
      .slice(0, share(sentences.length))
      .sort((a, b) => a.i - b.i);
    return kept.map((k) => k.s).join(' ');
  },
};
