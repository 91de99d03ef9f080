import { onlyFiller } from './phrasing.js';
import type { ToolCapability } from './types.js';

const NUMERALS: Array<[number, string]> = [
  [1000, 'M'],
  [900, 'CM'],
  [500, 'D'],
  [400, 'CD'],
  [100, 'C'],
  [90, 'XC'],
  [50, 'L'],
  [40, 'XL'],
  [10, 'X'],
  [9, 'IX'],
  [5, 'V'],
  [4, 'IV'],
  [1, 'I'],
];

export function toRoman(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > 3999) throw new Error('Roman numerals cover 1 to 3999');
  let out = '';
  for (const [value, symbol] of NUMERALS) {
    while (n >= value) {
      out += symbol;
      n -= value;
    }
  }
  return out;
}

export function fromRoman(s: string): number {
  const upper = s.toUpperCase();
  let n = 0;
  let i = 0;
  for (const [value, symbol] of NUMERALS) {
    while (upper.startsWith(symbol, i)) {
      n += value;
      i += symbol.length;
    }
  }
  if (i !== upper.length || toRoman(n) !== upper) throw new Error(`${s} is not a valid Roman numeral`);
  return n;
}

export const roman: ToolCapability = {
  id: 'roman',
  description: 'Roman numerals: converts numbers to and from Roman numerals',
  match(original) {
    // Words in lower case, numerals as written: "What number is XLII?" → "what number is XLII?".
    const text = original.replace(/\b\w*[a-z]\w*\b/g, (w) => w.toLowerCase());
    const named = /\broman\b/i.test(text);
    // "What number is XLII?", "XLII in numbers": a numeral alone is read only when the
    // question asks for its number, as "CV" or "MIX" may be words.
    const asNumber =
      /\b(?:what\s+(?:number|year|value)\s+is|(?:convert|translate)|value\s+of)\s+([MDCLXVI]{1,15})\b|\b([MDCLXVI]{1,15})\s+(?:in|to|as|into)\s+(?:an?\s+)?(?:numbers?|arabic(?:\s+numerals?)?|digits|decimal|integer)\b/.exec(
        text,
      );
    const numeral = asNumber ? (asNumber[1] ?? asNumber[2])! : named ? /\b([MDCLXVI]{1,15})\b/.exec(text)?.[1] : undefined;
    if (numeral && (asNumber || !/\b\d+\b/.test(text))) {
      try {
        fromRoman(numeral);
      } catch {
        return { refuse: `${numeral} is not a valid Roman numeral` };
      }
      const rest = text
        .replace(numeral, ' ')
        .replace(
          /\b(?:roman|numerals?|number|numbers|year|arabic|digits|decimal|integer|as|into|value|translate|convert|mean|means|stand|stands|for)\b/gi,
          ' ',
        );
      if (!onlyFiller(rest)) return null;
      return { confidence: 0.96, reasoning: 'Roman numerals to number', plan: { to: 'number', value: numeral } };
    }
    if (!named) return null;
    const num = /\b(\d{1,4}(?:,\d{3})?)\b/.exec(text);
    if (!num) return null;
    const n = Number(num[1]!.replace(',', ''));
    const rest = text
      .replace(num[0], ' ')
      .replace(/\b(?:roman|numerals?|number|in|to|as|into|convert|translate|write|written|you|do|how|express|year)\b/gi, ' ');
    if (!onlyFiller(rest)) return null;
    if (n < 1 || n > 3999) return { refuse: 'Roman numerals cover 1 to 3999' };
    return { confidence: 0.96, reasoning: 'Number to Roman numerals', plan: { to: 'roman', value: String(n) } };
  },
  run(raw) {
    const { to, value } = raw as { to: 'roman' | 'number'; value: string };
    return to === 'roman' ? `${value} = ${toRoman(Number(value))}` : `${value} = ${fromRoman(value)}`;
  },
};
