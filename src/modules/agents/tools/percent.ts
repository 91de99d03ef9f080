import { onlyFiller, plainNumbers, restOf } from './phrasing.js';
import { NUMBER, formatNumber, parseNumber, type ToolCapability } from './types.js';

type Plan =
  | { kind: 'of'; pct: number; base: number }
  | { kind: 'ratio'; part: number; whole: number }
  | { kind: 'change'; base: number; pct: number; up: boolean }
  | { kind: 'between'; from: number; to: number };

const N = `(${NUMBER})`;
const PCT = String.raw`\s*(?:%|percent|per\s*cent|pct)`;
const UP = String.raw`increase[ds]?|raised?|up|more|plus|markup|mark(?:ed)?\s+up|added|grow(?:n|s)?|grew`;
const DOWN = String.raw`decrease[ds]?|reduced?|down|less|minus|discount(?:ed)?|off|lower(?:ed)?|cut|drop(?:ped|s)?|fell|fall(?:s|en)?`;
const num = (m: RegExpExecArray, i: number) => parseNumber(m[i]!);

/** Each grammar covers one phrasing; the whole request must be that phrasing and wrapping (phrasing.ts). */
const PATTERNS: Array<[RegExp, (m: RegExpExecArray) => Plan]> = [
  [
    new RegExp(
      String.raw`(?:what\s+(?:is\s+)?)?(?:the\s+)?(?:percent(?:age)?\s+)?(?:change|increase|decrease|difference)\s+(?:from|between)\s+${N}\s+(?:to|and)\s+${N}`,
      'i',
    ),
    (m) => ({ kind: 'between', from: num(m, 1), to: num(m, 2) }),
  ],
  [
    new RegExp(String.raw`(?:from\s+)?${N}\s+to\s+${N}\s+is\s+(?:a\s+|an\s+)?what\s+(?:percent(?:age)?|%)\s*(?:change|increase|decrease)?`, 'i'),
    (m) => ({ kind: 'between', from: num(m, 1), to: num(m, 2) }),
  ],
  [
    new RegExp(String.raw`(increase|raise|markup|mark\s+up|decrease|reduce|discount|lower|cut)\s+${N}\s+by\s+${N}${PCT}`, 'i'),
    (m) => ({ kind: 'change', base: num(m, 2), pct: num(m, 3), up: /^(?:increase|raise|mark)/i.test(m[1]!) }),
  ],
  [
    new RegExp(String.raw`${N}\s+(?:(?:is\s+)?(${UP}|${DOWN})\s+(?:by\s+)?)${N}${PCT}`, 'i'),
    (m) => ({ kind: 'change', base: num(m, 1), pct: num(m, 3), up: new RegExp(`^(?:${UP})$`, 'i').test(m[2]!) }),
  ],
  [
    new RegExp(String.raw`${N}\s+(?:with|after|at)\s+(?:a\s+)?${N}${PCT}\s+(${UP}|${DOWN}|discount|tax|vat)`, 'i'),
    (m) => ({ kind: 'change', base: num(m, 1), pct: num(m, 2), up: !new RegExp(`^(?:${DOWN}|discount)$`, 'i').test(m[3]!) }),
  ],
  [
    new RegExp(String.raw`${N}${PCT}\s+(off|discount\s+on|more\s+than|less\s+than|on\s+top\s+of|added\s+to)\s+${N}`, 'i'),
    (m) => ({ kind: 'change', base: num(m, 3), pct: num(m, 1), up: !/^(?:off|discount|less)/i.test(m[2]!) }),
  ],
  [
    new RegExp(String.raw`what\s+(?:percent(?:age)?|%)\s+(?:is|of)\s+${N}\s+(?:is|of|out\s+of|from)\s+${N}`, 'i'),
    (m) => (/\bof\s+\S+\s+is\b/i.test(m[0]) ? { kind: 'ratio', part: num(m, 2), whole: num(m, 1) } : { kind: 'ratio', part: num(m, 1), whole: num(m, 2) }),
  ],
  [
    new RegExp(String.raw`${N}\s+(?:is\s+what\s+(?:percent(?:age)?|%)\s+of|out\s+of|of)\s+${N}(?:\s+(?:as|in)\s+(?:a\s+)?(?:percent(?:age)?|%))?`, 'i'),
    (m) => ({ kind: 'ratio', part: num(m, 1), whole: num(m, 2) }),
  ],
  [new RegExp(String.raw`${N}${PCT}\s+of\s+${N}`, 'i'), (m) => ({ kind: 'of', pct: num(m, 1), base: num(m, 2) })],
];

export const percent: ToolCapability = {
  id: 'percent',
  description: 'Percentages: X% of Y, what percent X is of Y, increase or decrease by a percentage, discounts, percentage change between two numbers',
  match(text) {
    if (!/\d/.test(text)) return null;
    const plain = plainNumbers(text);
    for (const [re, toPlan] of PATTERNS) {
      const m = re.exec(plain);
      if (!m || !onlyFiller(restOf(plain, m))) continue;
      // "50 out of 200" is a ratio only when asked as one.
      if (re === PATTERNS[7]![0] && !/%|percent|\bpct\b/i.test(plain)) continue;
      const plan = toPlan(m);
      if (Object.values(plan).some((v) => typeof v === 'number' && !Number.isFinite(v))) return null;
      return { confidence: 0.97, reasoning: `Percentage calculation: ${m[0]}`, plan };
    }
    return null;
  },
  run(raw) {
    const plan = raw as Plan;
    if (plan.kind === 'of') return `${formatNumber(plan.pct)}% of ${formatNumber(plan.base)} is ${formatNumber((plan.pct * plan.base) / 100)}`;
    if (plan.kind === 'ratio') {
      if (plan.whole === 0) throw new Error('cannot take a percentage of zero');
      return `${formatNumber(plan.part)} is ${formatNumber((plan.part / plan.whole) * 100)}% of ${formatNumber(plan.whole)}`;
    }
    if (plan.kind === 'between') {
      if (plan.from === 0) throw new Error('a change from zero has no percentage');
      const change = ((plan.to - plan.from) / Math.abs(plan.from)) * 100;
      return `From ${formatNumber(plan.from)} to ${formatNumber(plan.to)} is a ${formatNumber(Math.abs(change))}% ${change >= 0 ? 'increase' : 'decrease'}`;
    }
    const result = plan.base * (1 + ((plan.up ? 1 : -1) * plan.pct) / 100);
    return `${formatNumber(plan.base)} ${plan.up ? 'increased' : 'decreased'} by ${formatNumber(plan.pct)}% is ${formatNumber(result)}`;
  },
};
