import { lazy, requirePackage } from './lazy.js';
import { onlyFiller } from './phrasing.js';
import type { ToolCapability } from './types.js';

interface Change {
  value: string;
  added?: boolean;
  removed?: boolean;
}
interface JsDiff {
  diffLines(a: string, b: string): Change[];
  diffWords(a: string, b: string): Change[];
}
const jsdiff = lazy(() => requirePackage<JsDiff>('diff'));

const ASKS = /\b(?:diff|difference|differences|compare|comparison|what\s+changed|changes)\b/i;

/** The two texts: two fenced blocks, or two quoted strings. */
function twoTexts(text: string): { a: string; b: string; outside: string } | null {
  const fenced = [...text.matchAll(/```[\w-]*\n?([\s\S]*?)```/g)];
  const quoted = [...text.matchAll(/"([^"]*)"|“([^”]*)”/g)];
  const parts =
    fenced.length === 2
      ? fenced.map((m) => [m[0], m[1]!] as const)
      : fenced.length === 0 && quoted.length === 2
        ? quoted.map((m) => [m[0], m[1] ?? m[2]!] as const)
        : null;
  if (!parts) return null;
  const outside = parts.reduce((t, [whole]) => t.replace(whole, ' '), text);
  return { a: parts[0]![1], b: parts[1]![1], outside };
}

export const diff: ToolCapability = {
  id: 'diff',
  description: 'Diff of two pasted texts (fenced or quoted): changed lines, or changed words within one line (jsdiff)',
  match(text) {
    if (!ASKS.test(text)) return null;
    const texts = twoTexts(text);
    if (!texts) return null;
    const rest = texts.outside.replace(
      /\b(?:diff|difference|differences|compare|comparison|what|changed|changes|between|and|with|these|two|texts?|versions?|strings?|lines|files?|old|new|first|second|the|following|show|line|by|word)\b/gi,
      ' ',
    );
    if (!onlyFiller(rest)) return null;
    return { confidence: 0.93, reasoning: 'Diff of the two given texts', plan: { a: texts.a, b: texts.b } };
  },
  run(raw) {
    const { a, b } = raw as { a: string; b: string };
    if (a === b) return 'No differences: the texts are identical';
    const lib = jsdiff();
    if (!a.includes('\n') && !b.includes('\n')) {
      return lib
        .diffWords(a, b)
        .map((c) => (c.added ? `{+${c.value}+}` : c.removed ? `[-${c.value}-]` : c.value))
        .join('');
    }
    const lines: string[] = [];
    for (const c of lib.diffLines(a.endsWith('\n') ? a : `${a}\n`, b.endsWith('\n') ? b : `${b}\n`)) {
      const mark = c.added ? '+' : c.removed ? '-' : ' ';
      for (const line of c.value.replace(/\n$/, '').split('\n')) lines.push(`${mark} ${line}`);
    }
    return lines.join('\n');
  },
};
