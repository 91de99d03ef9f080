import { readFileSync } from 'node:fs';
import { lazy, packageFile, requirePackage } from './lazy.js';
import { pastedRequest } from './phrasing.js';
import type { ToolCapability } from './types.js';

interface Speller {
  correct(word: string): boolean;
  suggest(word: string): string[];
}
/** nspell with the Hunspell en_US dictionary dictionary-en ships (read from its files: its ESM entry uses top-level await, which `require` cannot load). */
const speller = lazy(() => {
  const nspell = requirePackage<(aff: Buffer, dic: Buffer) => Speller>('nspell');
  return nspell(readFileSync(packageFile('dictionary-en', 'index.aff')), readFileSync(packageFile('dictionary-en', 'index.dic')));
});

const MAX_WORDS = 300;
/**
 * nspell's suggestions cost milliseconds a word (tens for a long one), on the event loop:
 * the first SUGGESTED misspellings of up to SUGGEST_MAX_LETTERS letters get them, the rest are only listed.
 */
const SUGGESTED = 20;
const SUGGEST_MAX_LETTERS = 20;
const GRAMMAR =
  /\b(?:spell[\s-]?check|check\s+(?:the\s+)?spelling(?:\s+(?:of|in))?|(?:fix|correct|find)\s+(?:the\s+)?(?:spelling|typos|misspellings|misspelled\s+words)(?:\s+(?:of|in))?|any\s+(?:spelling\s+mistakes|typos)\s+in|is\s+(?:this|it)\s+spelled\s+(?:right|correctly))(?:\s+(?:this|the|following|text|sentence|word|paragraph))*/i;

export const spelling: ToolCapability = {
  id: 'spelling',
  description: 'Spelling of a pasted English (US) text: each misspelled word with suggestions from the Hunspell en_US dictionary (nspell)',
  match(text) {
    const req = pastedRequest(text, GRAMMAR);
    if (!req) return null;
    if ((req.body.match(/\p{L}+/gu)?.length ?? 0) > MAX_WORDS) return { refuse: `spelling is checked in texts of up to ${MAX_WORDS} words` };
    return { confidence: 0.9, reasoning: 'Spelling check of the given text', plan: req.body };
  },
  run(raw) {
    const s = speller();
    const words = [...new Set(String(raw).match(/\p{L}+(?:['’]\p{L}+)*/gu) ?? [])];
    const wrong = words.filter((w) => !s.correct(w) && !s.correct(w.toLowerCase()));
    if (wrong.length === 0) return 'No spelling mistakes found';
    return wrong
      .map((w, i) =>
        i < SUGGESTED && w.length <= SUGGEST_MAX_LETTERS ? `${w} → ${s.suggest(w).slice(0, 3).join(', ') || '(no suggestion)'}` : `${w} (misspelled)`,
      )
      .join('\n');
  },
};
