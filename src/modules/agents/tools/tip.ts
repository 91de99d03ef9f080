import { onlyFiller, plainNumbers, restOf } from './phrasing.js';
import { NUMBER, formatNumber, parseNumber, type ToolCapability } from './types.js';

interface Plan {
  bill: number;
  tipPct: number;
  people: number;
}

const N = `(${NUMBER})`;
const PCT = String.raw`\s*(?:%|percent)`;
const WORD_COUNTS: Record<string, number> = { two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, twelve: 12 };
const PEOPLE = String.raw`(\d+|two|three|four|five|six|seven|eight|nine|ten|twelve)`;
const BILL = String.raw`(?:(?:a|the|an?)\s+)?${N}\s*(?:bill|check|cheque|tab|meal|dinner|total)?`;
const SPLIT = String.raw`(?:split|divide|share)\s+${BILL}\s+(?:(?:(?:evenly|equally)\s+)?(?:between|among|amongst|by|for|with|into|in)\s+${PEOPLE}(?:\s+(?:people|persons|ways|friends|of\s+us|guests|diners))?|${PEOPLE}\s+(?:ways|people))`;
const SPLIT_WAYS = String.raw`${BILL}\s+(?:split|divided|shared)\s+(?:(?:evenly\s+|equally\s+)?(?:between|among|amongst)\s+${PEOPLE}(?:\s+(?:ways|people|persons))?|(?:by\s+|into\s+)?${PEOPLE}\s+(?:ways|people|persons))`;
const WITH_TIP = String.raw`(?:\s*,?\s*(?:with|plus|including|and)\s+(?:a\s+)?${N}${PCT}\s+(?:tip|gratuity))?`;
const TIP = [
  new RegExp(String.raw`${N}${PCT}\s+(?:tip|gratuity)\s+(?:on|for|of)\s+(?:a\s+|the\s+)?${BILL}`, 'i'),
  new RegExp(String.raw`(?:tip|gratuity)\s+(?:on|for)\s+(?:a\s+|the\s+)?${BILL}\s+(?:at|of)\s+${N}${PCT}`, 'i'),
];

const people = (raw: string) => WORD_COUNTS[raw.toLowerCase()] ?? Number(raw);

function planOf(text: string): { plan: Plan; span: RegExpExecArray } | null {
  for (const [i, re] of TIP.entries()) {
    const m = re.exec(text);
    if (m)
      return {
        span: m,
        plan:
          i === 0 ? { bill: parseNumber(m[2]!), tipPct: parseNumber(m[1]!), people: 1 } : { bill: parseNumber(m[1]!), tipPct: parseNumber(m[2]!), people: 1 },
      };
  }
  for (const re of [new RegExp(SPLIT + WITH_TIP, 'i'), new RegExp(SPLIT_WAYS + WITH_TIP, 'i')]) {
    const m = re.exec(text);
    if (m) {
      const rest = m.slice(2).filter((g) => g !== undefined);
      return { span: m, plan: { bill: parseNumber(m[1]!), people: people(rest[0]!), tipPct: rest[1] ? parseNumber(rest[1]) : 0 } };
    }
  }
  return null;
}

export const tip: ToolCapability = {
  id: 'tip',
  description: 'Tips and bill splits: a percentage tip on a bill, and a bill (with or without a tip) split between people',
  match(text) {
    if (!/\d/.test(text)) return null;
    const plain = plainNumbers(text);
    const found = planOf(plain);
    if (!found || !onlyFiller(restOf(plain, found.span))) return null;
    const { plan } = found;
    if (!Number.isFinite(plan.bill) || !Number.isFinite(plan.tipPct) || !Number.isInteger(plan.people) || plan.people < 1 || plan.people > 1000) return null;
    return { confidence: 0.97, reasoning: `Tip and split: ${found.span[0]}`, plan };
  },
  run(raw) {
    const { bill, tipPct, people } = raw as Plan;
    const tipAmount = (bill * tipPct) / 100;
    const total = bill + tipAmount;
    const money = (n: number) => formatNumber(Math.round(n * 100) / 100);
    const parts = tipPct ? [`${formatNumber(tipPct)}% tip on ${money(bill)} is ${money(tipAmount)}, total ${money(total)}`] : [`Bill ${money(bill)}`];
    if (people > 1) parts.push(`split ${people} ways: ${money(total / people)} each`);
    return parts.join('; ');
  },
};
