import { lazy, requirePackage } from './lazy.js';
import { pastedRequest } from './phrasing.js';
import type { ToolCapability } from './types.js';

interface Readability {
  fleschReadingEase(text: string): number;
  fleschKincaidGrade(text: string): number;
  gunningFog(text: string): number;
  smogIndex(text: string): number;
  colemanLiauIndex(text: string): number;
  textStandard(text: string, floatOutput?: boolean): string;
  lexiconCount(text: string): number;
  sentenceCount(text: string): number;
  syllableCount(text: string): number;
}
const readability = lazy(() => requirePackage<{ default: Readability }>('text-readability').default);

const GRAMMAR =
  /\b(?:readability|flesch(?:[\s-]kincaid)?|gunning\s+fog|reading\s+(?:level|ease|grade)|grade\s+level)(?:\s+(?:score|scores|index|of|for|in))*(?:\s+(?:this|the|following|text))*|\bhow\s+(?:readable|easy\s+to\s+read|hard\s+to\s+read)\s+is\s+(?:this|the\s+following)(?:\s+text)?/i;

export const readabilityScores: ToolCapability = {
  id: 'readability',
  description: 'Readability of a pasted English text: Flesch reading ease, Flesch-Kincaid grade, Gunning fog, SMOG, Coleman-Liau (text-readability)',
  match(text) {
    const req = pastedRequest(text, GRAMMAR);
    if (!req) return null;
    if ((req.body.match(/[\p{L}]+/gu)?.length ?? 0) < 10) return { refuse: 'readability scores need a text of at least 10 words' };
    return { confidence: 0.92, reasoning: 'Readability scores of the given text', plan: req.body };
  },
  run(raw) {
    const body = String(raw);
    const r = readability();
    const round = (n: number) => Math.round(n * 10) / 10;
    return [
      `Flesch reading ease: ${round(r.fleschReadingEase(body))}`,
      `Flesch-Kincaid grade: ${round(r.fleschKincaidGrade(body))}`,
      `Gunning fog: ${round(r.gunningFog(body))}`,
      `SMOG index: ${round(r.smogIndex(body))}`,
      `Coleman-Liau index: ${round(r.colemanLiauIndex(body))}`,
      `consensus grade: ${r.textStandard(body)}`,
      `words: ${r.lexiconCount(body)}, sentences: ${r.sentenceCount(body)}, syllables: ${r.syllableCount(body)}`,
    ].join('\n');
  },
};
