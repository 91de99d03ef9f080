/**
 * One request of the offline corpus: what a person typed, and what a right answer
 * holds (a substring, a pattern, or a check of the output), or null when no tool may
 * answer it (it needs an LLM, or mixes kinds no grammar claims).
 */
export interface CorpusCase {
  text: string;
  expect: string | RegExp | ((output: string) => boolean) | null;
  /** The tool that should answer, when it matters (a mixed request going to the right grammar). */
  tool?: string;
}

/** Shorthand: [text, expected] pairs. */
export function cases(pairs: Array<[string, CorpusCase['expect']] | [string, CorpusCase['expect'], string]>): CorpusCase[] {
  return pairs.map(([text, expect, tool]) => ({ text, expect, ...(tool ? { tool } : {}) }));
}
