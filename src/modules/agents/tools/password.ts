import { randomInt } from 'node:crypto';
import type { ToolCapability } from './types.js';

const SETS = {
  lower: 'abcdefghijkmnopqrstuvwxyz',
  upper: 'ABCDEFGHJKLMNPQRSTUVWXYZ',
  digits: '23456789',
  symbols: '!@#$%^&*-_=+?',
};

export const password: ToolCapability = {
  id: 'password',
  description: 'Passwords: generates strong random passwords with a cryptographic RNG',
  match(text) {
    const m =
      /\b(?:generate|create|make|give me)\b[^.]*?\b(?:(\d{1,3})[\s-]*(?:char(?:acter)?s?|long)?\s+)?(?:strong\s+|random\s+|secure\s+)*(password|passphrase|random string)\b(?:[^.]*?\b(\d{1,3})\s*(?:char|characters|long))?/i.exec(
        text,
      );
    if (!m) return null;
    const length = Math.min(128, Math.max(8, Number(m[1] ?? m[3] ?? 16)));
    const symbols = !/\bno symbols\b|\balphanumeric\b/i.test(text);
    return { confidence: 0.93, reasoning: `Random ${length}-character password`, plan: { length, symbols } };
  },
  run(raw) {
    const { length, symbols } = raw as { length: number; symbols: boolean };
    const sets = [SETS.lower, SETS.upper, SETS.digits, ...(symbols ? [SETS.symbols] : [])];
    const all = sets.join('');
    // One character from each set, the rest from all, then a Fisher-Yates shuffle.
    const chars = [...sets.map((s) => s[randomInt(s.length)]!), ...Array.from({ length: length - sets.length }, () => all[randomInt(all.length)]!)];
    for (let i = chars.length - 1; i > 0; i--) {
      const j = randomInt(i + 1);
      [chars[i], chars[j]] = [chars[j]!, chars[i]!];
    }
    return chars.join('');
  },
  check(raw, output) {
    const { length, symbols } = raw as { length: number; symbols: boolean };
    const sets = [SETS.lower, SETS.upper, SETS.digits, ...(symbols ? [SETS.symbols] : [])];
    const chars = [...output];
    if (chars.length !== length) return `expected ${length} characters, got ${chars.length}`;
    if (chars.some((c) => !sets.some((set) => set.includes(c)))) return 'it holds characters outside the allowed sets';
    return sets.every((set) => chars.some((c) => set.includes(c))) ? null : 'it lacks a character class';
  },
};
