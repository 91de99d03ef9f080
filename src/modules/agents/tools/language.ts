import { lazy, requirePackage } from './lazy.js';
import { pastedRequest } from './phrasing.js';
import type { ToolCapability } from './types.js';

type FrancAll = (text: string, options?: { minLength?: number }) => Array<[string, number]>;
const francAll = lazy(() => requirePackage<{ francAll: FrancAll }>('franc-min').francAll);
const names = new Intl.DisplayNames(['en'], { type: 'language' });

/** Shorter texts share too many trigrams between languages to tell them apart. */
const MIN_CHARS = 25;
/** The next language's score (the best is 1) must trail by this much, or the text is ambiguous. */
const MIN_MARGIN = 0.03;
/** Enough text to tell a language: franc reads no more (it is linear, but some 6 ms per thousand characters). */
const READ_CHARS = 2_000;

const GRAMMAR =
  /\b(?:what|which)\s+language\s+(?:is|are)\s+(?:this|these|that|it|the\s+following)(?:\s+(?:text|sentence|phrase|written\s+in|in))*|\b(?:detect|identify|guess|tell)\s+(?:me\s+)?(?:the\s+)?language(?:\s+(?:of|in|for))?(?:\s+(?:this|the|following|text))*|\blanguage\s+detection\b/i;

export const language: ToolCapability = {
  id: 'language',
  description: 'Language detection: names the language a pasted text is written in (franc, 82 languages; declines texts too short to tell)',
  match(text) {
    const req = pastedRequest(text, GRAMMAR);
    if (!req) return null;
    if (req.body.length < MIN_CHARS) return { refuse: `a text of under ${MIN_CHARS} characters is too short to tell its language reliably` };
    const [best, next] = francAll()(req.body.slice(0, READ_CHARS), { minLength: MIN_CHARS });
    if (!best || best[0] === 'und' || (next && best[1] - next[1] < MIN_MARGIN))
      return { refuse: 'the text could be more than one language: too close to call' };
    return { confidence: 0.9, reasoning: 'Language detection of the given text', plan: { code: best[0] } };
  },
  run(raw) {
    const { code } = raw as { code: string };
    return `${names.of(code) ?? code} (ISO 639-3: ${code})`;
  },
};
