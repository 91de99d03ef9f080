import type { ToolCapability } from './types.js';

const PATTERN = /(?:regex|regexp|pattern)\s*[:=]?\s*\/(.+?)\/([a-z]*)\s+(?:against|on|in|with|to)\s*[:]?\s*["'“`]([\s\S]*?)["'”`]\s*\??$/i;

export const regex: ToolCapability = {
  id: 'regex',
  description: 'Regular expressions: tests a /pattern/flags against a quoted input and lists the matches',
  match(text) {
    const m = PATTERN.exec(text.trim());
    if (!m) return null;
    try {
      new RegExp(m[1]!, m[2]);
    } catch {
      return null;
    }
    return { confidence: 0.94, reasoning: `Regex /${m[1]}/${m[2]} tested against the given input`, plan: { source: m[1], flags: m[2], input: m[3] } };
  },
  run(raw) {
    const { source, flags, input } = raw as { source: string; flags: string; input: string };
    const re = new RegExp(source, flags.includes('g') ? flags : `${flags}g`);
    const matches = [...input.matchAll(re)].slice(0, 100);
    if (matches.length === 0) return `No match for /${source}/${flags}`;
    return `${matches.length} match${matches.length === 1 ? '' : 'es'} for /${source}/${flags}: ${matches.map((m) => JSON.stringify(m[0])).join(', ')}`;
  },
};
