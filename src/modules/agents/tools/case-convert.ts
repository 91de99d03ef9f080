import { payloadOf, type ToolCapability } from './types.js';

const STYLES: Record<string, (words: string[]) => string> = {
  camel: (w) => w.map((x, i) => (i === 0 ? x : cap(x))).join(''),
  pascal: (w) => w.map(cap).join(''),
  snake: (w) => w.join('_'),
  kebab: (w) => w.join('-'),
  constant: (w) => w.join('_').toUpperCase(),
  title: (w) => w.map(cap).join(' '),
  upper: (w) => w.join(' ').toUpperCase(),
  lower: (w) => w.join(' '),
};

function cap(w: string): string {
  return w.charAt(0).toUpperCase() + w.slice(1);
}

/** Splits any casing into lowercase words: "parseHTTPRequest_id" → parse, http, request, id. */
function words(s: string): string[] {
  return s
    .replace(/([a-z\d])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

export const caseConvert: ToolCapability = {
  id: 'case',
  description: 'Case conversion: camelCase, PascalCase, snake_case, kebab-case, CONSTANT_CASE, Title Case',
  match(text) {
    const m = /\b(camel|pascal|snake|kebab|constant|screaming snake|title|upper|lower)[\s_-]?case\b/i.exec(text);
    if (!m) return null;
    const input = /["“'`]([^"”'`]+)["”'`]/.exec(text)?.[1] ?? payloadOf(text);
    if (!input) return null;
    const style = m[1]!.toLowerCase() === 'screaming snake' ? 'constant' : m[1]!.toLowerCase();
    return { confidence: 0.94, reasoning: `Convert to ${style} case`, plan: { style, input } };
  },
  run(raw) {
    const { style, input } = raw as { style: string; input: string };
    const convert = STYLES[style];
    if (!convert) throw new Error(`unknown case style ${style}`);
    return convert(words(input));
  },
};
