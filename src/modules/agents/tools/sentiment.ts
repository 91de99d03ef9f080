import { lazy, requirePackage } from './lazy.js';
import { pastedRequest } from './phrasing.js';
import type { ToolCapability } from './types.js';

interface SentimentResult {
  score: number;
  comparative: number;
  positive: string[];
  negative: string[];
}
const analyzer = lazy(() => {
  const Sentiment = requirePackage<new () => { analyze(text: string): SentimentResult }>('sentiment');
  return new Sentiment();
});

const GRAMMAR =
  /\b(?:(?:analy[sz]e|check|get|what\s+is|what's|tell\s+me|detect|determine|score)\s+(?:the\s+)?)?sentiment(?:\s+(?:analysis|score))?(?:\s+(?:of|for|in))?(?:\s+(?:this|the|following|text|review|tweet|comment|message|sentence))*|\bis\s+(?:this|the\s+following)(?:\s+(?:review|text|tweet|comment|message|sentence))?\s+(?:positive\s+or\s+negative|negative\s+or\s+positive|positive|negative)/i;

export const sentiment: ToolCapability = {
  id: 'sentiment',
  description: 'Sentiment of a pasted English text: positive, negative or neutral, with the AFINN words that decided it (sentiment)',
  readsWorkVerbs: true,
  match(text) {
    const req = pastedRequest(text, GRAMMAR);
    if (!req) return null;
    return { confidence: 0.6, reasoning: 'AFINN sentiment of the given text', plan: req.body };
  },
  run(raw) {
    const r = analyzer().analyze(String(raw));
    // No AFINN word at all: the lexicon has nothing to say, which is not "neutral".
    if (r.positive.length + r.negative.length === 0) return 'Neutral: no word of the text carries sentiment in the AFINN lexicon (score 0)';
    const label = r.score > 0 ? 'Positive' : r.score < 0 ? 'Negative' : 'Mixed';
    const words = [r.positive.length ? `positive: ${r.positive.join(', ')}` : '', r.negative.length ? `negative: ${r.negative.join(', ')}` : ''].filter(
      Boolean,
    );
    return `${label} (score ${r.score}, ${Math.round(r.comparative * 1000) / 1000} per word; ${words.join('; ')})`;
  },
};
