import { NUMBER, formatNumber, parseNumber, type ToolCapability } from './types.js';

type Plan =
  { kind: 'of'; pct: number; base: number } | { kind: 'ratio'; part: number; whole: number } | { kind: 'change'; base: number; pct: number; up: boolean };

const N = `(${NUMBER})`;
const PATTERNS: Array<[RegExp, (m: RegExpExecArray) => Plan]> = [
  [new RegExp(`${N}\\s*(?:%|percent)\\s+of\\s+${N}`, 'i'), (m) => ({ kind: 'of', pct: parseNumber(m[1]!), base: parseNumber(m[2]!) })],
  [
    new RegExp(`what\\s+(?:percent(?:age)?|%)\\s+(?:is|of)\\s+${N}\\s+(?:of|out of|from)\\s+${N}`, 'i'),
    (m) => ({ kind: 'ratio', part: parseNumber(m[1]!), whole: parseNumber(m[2]!) }),
  ],
  [
    new RegExp(`${N}\\s+is\\s+what\\s+(?:percent(?:age)?|%)\\s+of\\s+${N}`, 'i'),
    (m) => ({ kind: 'ratio', part: parseNumber(m[1]!), whole: parseNumber(m[2]!) }),
  ],
  [
    new RegExp(`(increase|raise|decrease|reduce|discount)\\s+${N}\\s+by\\s+${N}\\s*(?:%|percent)`, 'i'),
    (m) => ({ kind: 'change', base: parseNumber(m[2]!), pct: parseNumber(m[3]!), up: /increase|raise/i.test(m[1]!) }),
  ],
];

export const percent: ToolCapability = {
  id: 'percent',
  description: 'Percentages: X% of Y, what percent X is of Y, increase or decrease by a percentage',
  match(text) {
    for (const [re, toPlan] of PATTERNS) {
      const m = re.exec(text);
      if (m) {
        const plan = toPlan(m);
        if (Object.values(plan).some((v) => typeof v === 'number' && !Number.isFinite(v))) return null;
        return { confidence: 0.97, reasoning: `Percentage calculation: ${m[0]}`, plan };
      }
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
    const result = plan.base * (1 + ((plan.up ? 1 : -1) * plan.pct) / 100);
    return `${formatNumber(plan.base)} ${plan.up ? 'increased' : 'decreased'} by ${formatNumber(plan.pct)}% is ${formatNumber(result)}`;
  },
};
