import { payloadOf, type ToolCapability } from './types.js';

/** Average adult silent reading speed, words per minute. */
const WORDS_PER_MINUTE = 238;

export const textStats: ToolCapability = {
  id: 'text-stats',
  description: 'Text statistics: words, characters, sentences, paragraphs and reading time',
  match(text) {
    if (!/\b(count (?:the )?(?:words|characters|sentences)|word count|character count|text stat|reading time|how many (?:words|characters))\b/i.test(text))
      return null;
    const input = payloadOf(text);
    if (!input) return null;
    return { confidence: 0.93, reasoning: 'Text statistics of the given text', plan: input };
  },
  run(raw) {
    const input = String(raw);
    const words = input.match(/[\p{L}\p{N}'’-]+/gu)?.length ?? 0;
    const sentences = input.split(/[.!?]+(?:\s|$)/).filter((s) => s.trim()).length;
    const paragraphs = input.split(/\n\s*\n/).filter((p) => p.trim()).length;
    const seconds = Math.round((words / WORDS_PER_MINUTE) * 60);
    return [
      `words: ${words}`,
      `characters: ${[...input].length}`,
      `characters (no spaces): ${[...input.replace(/\s/g, '')].length}`,
      `sentences: ${sentences}`,
      `paragraphs: ${paragraphs}`,
      `reading time: ${seconds < 60 ? `${seconds} s` : `${Math.round(seconds / 60)} min`}`,
    ].join('\n');
  },
};
