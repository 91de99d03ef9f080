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
  match(text) {
    if (!/\broman\b/i.test(text)) return null;
    const num = /\b(\d{1,4})\b/.exec(text);
    if (num && Number(num[1]) >= 1 && Number(num[1]) <= 3999)
      return { confidence: 0.96, reasoning: 'Number to Roman numerals', plan: { to: 'roman', value: num[1] } };
    const numeral = /\b([MDCLXVI]{1,15})\b/.exec(text);
    if (numeral) {
      try {
        fromRoman(numeral[1]!);
        return { confidence: 0.96, reasoning: 'Roman numerals to number', plan: { to: 'number', value: numeral[1] } };
      } catch {
        return null;
      }
    }
    return null;
  },
  run(raw) {
    const { to, value } = raw as { to: 'roman' | 'number'; value: string };
    return to === 'roman' ? `${value} = ${toRoman(Number(value))}` : `${value} = ${fromRoman(value)}`;
  },
};
