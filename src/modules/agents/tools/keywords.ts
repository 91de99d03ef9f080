import { lazy, requirePackage } from './lazy.js';
import { pastedRequest } from './phrasing.js';
import type { ToolCapability } from './types.js';

interface KeywordExtractor {
  extract(text: string, options: { language: string; remove_digits: boolean; return_changed_case: boolean; remove_duplicates: boolean }): string[];
}
export const keywordExtractor = lazy(() => requirePackage<KeywordExtractor>('keyword-extractor'));

const SHOWN = 10;
const GRAMMAR =
  /\b(?:extract|find|list|get|pull|identify|give\s+me)\s+(?:the\s+)?(?:main\s+|top\s+|key\s+)?(?:keywords|key\s+words|key\s+terms|keyphrases|tags)(?:\s+(?:of|from|in|for))?(?:\s+(?:this|the|following|text|article))*|\b(?:what\s+are\s+the\s+)?(?:main\s+)?(?:keywords|key\s+words|key\s+terms)\s+(?:of|in|from|for)(?:\s+(?:this|the|following|text|article))*/i;

/** Content words of a text (English stop words and digits removed, by keyword-extractor), by frequency. */
export function rankedKeywords(body: string): Array<[string, number]> {
  const words = keywordExtractor().extract(body, { language: 'english', remove_digits: true, return_changed_case: true, remove_duplicates: false });
  const counts = new Map<string, number>();
  for (const w of words) {
    const word = w.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
    if (word.length > 2) counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  const first = new Map(words.map((w, i) => [w, i]));
  return [...counts].sort((a, b) => b[1] - a[1] || (first.get(a[0]) ?? 0) - (first.get(b[0]) ?? 0));
}

export const keywords: ToolCapability = {
  id: 'keywords',
  description: 'Keyword extraction: the most frequent content words of a pasted English text (keyword-extractor stop words)',
  match(text) {
    const req = pastedRequest(text, GRAMMAR);
    if (!req) return null;
    if ((req.body.match(/[\p{L}]+/gu)?.length ?? 0) < 5) return { refuse: 'keyword extraction needs a text of at least 5 words' };
    return { confidence: 0.6, reasoning: 'Keywords of the given text, by frequency', plan: req.body };
  },
  run(raw) {
    const top = rankedKeywords(String(raw)).slice(0, SHOWN);
    if (top.length === 0) return 'No keywords: the text holds only stop words';
    return top.map(([w, n]) => `${w} (${n})`).join(', ');
  },
};
