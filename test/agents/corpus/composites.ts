import { arithmetic } from './arithmetic.js';
import { dates } from './dates.js';
import { percent } from './percent.js';
import type { CorpusCase } from './types.js';
import { units } from './units.js';

/**
 * Two answerable requests asked as one ("What is 12 squared and how many feet are in 3
 * meters?"): no grammar claims all of it, so no tool may answer (answering one half
 * would be a wrong answer to the whole). Built from the numeric requests, whose tools
 * read no pasted text that could rightly hold the second half.
 */
function composites(): CorpusCase[] {
  const pool = [...arithmetic, ...percent, ...units, ...dates].filter((c) => c.expect !== null).map((c) => c.text.replace(/[?.!]\s*$/, ''));
  const out: CorpusCase[] = [];
  pool.forEach((first, i) => {
    const joiner = [' and ', ', then ', '; also '][i % 3]!;
    const second = pool[(i * 7 + 5) % pool.length]!;
    if (second !== first) out.push({ text: `${first}${joiner}${second.charAt(0).toLowerCase()}${second.slice(1)}?`, expect: null });
  });
  return out;
}

export const mixed = composites();
