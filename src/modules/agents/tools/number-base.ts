import { onlyFiller, restOf } from './phrasing.js';
import type { ToolCapability } from './types.js';

const BASES: Record<string, number> = { binary: 2, bin: 2, octal: 8, oct: 8, decimal: 10, dec: 10, hexadecimal: 16, hex: 16 };
const PREFIX: Record<string, number> = { '0b': 2, '0o': 8, '0x': 16 };

export const numberBase: ToolCapability = {
  id: 'number-base',
  description: 'Number bases: converts integers between binary, octal, decimal and hexadecimal',
  match(text) {
    const m =
      /\b(?:(binary|bin|octal|oct|decimal|dec|hexadecimal|hex)\s+)?(0[bxo][0-9a-f]+|[0-9a-f]+)\s+(?:from\s+(binary|octal|decimal|hex(?:adecimal)?)\s+)?(?:to|in|into)\s+(binary|bin|octal|oct|decimal|dec|hexadecimal|hex)\b/i.exec(
        text,
      );
    if (!m || !onlyFiller(restOf(text, m).replace(/\b(?:write|translate|express|number|the)\b/gi, ' '))) return null;
    const literal = m[2]!.toLowerCase();
    const from = PREFIX[literal.slice(0, 2)] ?? BASES[(m[1] ?? m[3] ?? 'decimal').toLowerCase()] ?? 10;
    const digits = PREFIX[literal.slice(0, 2)] ? literal.slice(2) : literal;
    const to = BASES[m[4]!.toLowerCase()]!;
    if (!new RegExp(`^[${'0123456789abcdef'.slice(0, from)}]+$`).test(digits)) return null;
    return { confidence: 0.95, reasoning: `Base ${from} to base ${to}`, plan: { digits, from, to } };
  },
  run(raw) {
    const { digits, from, to } = raw as { digits: string; from: number; to: number };
    const value = [...digits].reduce((acc, d) => acc * BigInt(from) + BigInt(parseInt(d, 16)), 0n);
    const prefix = to === 2 ? '0b' : to === 8 ? '0o' : to === 16 ? '0x' : '';
    return `${prefix}${value.toString(to)}`;
  },
};
