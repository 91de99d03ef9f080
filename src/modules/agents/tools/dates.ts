import { onlyFiller, restOf } from './phrasing.js';
import type { ToolCapability } from './types.js';
import { Temporal, clockOf, zoneOf } from './zones.js';

type Plan =
  | { kind: 'between'; a: string; b: string }
  | { kind: 'weekday'; date: string }
  | { kind: 'add'; days: number; date: string }
  | { kind: 'zone'; time: string; date: string | null; from: string; to: string }
  | { kind: 'now'; zone: string };

const DATE = String.raw`(\d{4}-\d{2}-\d{2})`;
/** A zone id or a place: one to three words ("Tokyo", "New York", "America/New_York"), resolved by zoneOf. */
const PLACE = String.raw`([A-Za-z][A-Za-z_/.'-]*(?:\s+[A-Za-z][A-Za-z_'-]*){0,2}?)`;
const CLOCK = String.raw`(\d{1,2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?|noon|midnight|midday)`;
const ON = String.raw`(?:\s*,?\s+on\s+${DATE})?`;
const TIME_WORD = String.raw`(?:\s+time)?`;

/** Zone questions, each as [grammar, groups → time, date, from, to] (to null: the current time in `from`). */
const ZONE_QUESTIONS: Array<[RegExp, (m: RegExpExecArray) => [string | undefined, string | undefined, string, string | null]]> = [
  [
    new RegExp(String.raw`what\s+time\s+(?:is\s+it|will\s+it\s+be)\s+in\s+${PLACE}\s+when\s+it(?:\s+is|'s|s)\s+${CLOCK}\s+in\s+${PLACE}${ON}`, 'i'),
    (m) => [m[2], m[4], m[3]!, m[1]!],
  ],
  [
    new RegExp(String.raw`if\s+it(?:\s+is|'s|s)\s+${CLOCK}\s+in\s+${PLACE}${ON}\s*,?\s+what\s+time\s+is\s+it\s+in\s+${PLACE}`, 'i'),
    (m) => [m[1], m[3], m[2]!, m[4]!],
  ],
  [
    new RegExp(String.raw`${CLOCK}${ON}\s+(?:in\s+)?${PLACE}${TIME_WORD}${ON}\s+(?:to|in|into)\s+${PLACE}${TIME_WORD}${ON}`, 'i'),
    (m) => [m[1], m[2] ?? m[4] ?? m[6], m[3]!, m[5]!],
  ],
  [
    new RegExp(
      String.raw`(?:what\s+(?:time|is\s+the\s+time)\s+is\s+it|what(?:'s|\s+is)\s+the\s+(?:current\s+)?time|current\s+time|time\s+now)\s+in\s+${PLACE}(?:\s+(?:right\s+)?now)?`,
      'i',
    ),
    (m) => [undefined, undefined, m[1]!, null],
  ],
];

function zonePlan(text: string): Plan | null {
  for (const [re, groups] of ZONE_QUESTIONS) {
    const m = re.exec(text);
    if (!m || !onlyFiller(restOf(text, m).replace(/\b(?:convert|time|zones?)\b/gi, ' '))) continue;
    const [clock, date, fromName, toName] = groups(m);
    const from = zoneOf(fromName);
    const to = toName === null ? null : zoneOf(toName);
    if (!from || to === undefined || (toName !== null && !to)) continue;
    if (to === null) return { kind: 'now', zone: from };
    const time = clockOf(clock ?? '');
    if (!time) continue;
    return { kind: 'zone', time, date: date ?? null, from, to };
  }
  return null;
}
const DAY_MS = 86_400_000;

function parseDate(iso: string): Date {
  const d = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== iso) throw new Error(`${iso} is not a valid date`);
  return d;
}

export const dates: ToolCapability = {
  id: 'dates',
  description: 'Dates and time zones: days between dates, weekday of a date, adding days, converting a time between IANA zones',
  match(text) {
    let m: RegExpExecArray | null;
    let plan: Plan | null = null;
    if ((m = new RegExp(`between\\s+${DATE}\\s+and\\s+${DATE}`, 'i').exec(text))) plan = { kind: 'between', a: m[1]!, b: m[2]! };
    else if ((m = new RegExp(`(?:add|plus)\\s+(-?\\d+)\\s+days?\\s+(?:to|from)\\s+${DATE}`, 'i').exec(text)))
      plan = { kind: 'add', days: Number(m[1]), date: m[2]! };
    else if ((m = new RegExp(`${DATE}\\s+(?:plus|\\+)\\s+(-?\\d+)\\s+days?`, 'i').exec(text))) plan = { kind: 'add', days: Number(m[2]), date: m[1]! };
    else if ((m = new RegExp(`(?:what\\s+)?day\\s+of\\s+(?:the\\s+)?week\\s+(?:is|was|will be)?\\s*${DATE}`, 'i').exec(text)))
      plan = { kind: 'weekday', date: m[1]! };
    else plan = zonePlan(text);
    // A day computation is all of the request: "… excluding weekends" is another question.
    if (
      plan &&
      m &&
      plan.kind !== 'zone' &&
      plan.kind !== 'now' &&
      !onlyFiller(restOf(text, m).replace(/\b(?:days?|many|number|there|date|will|it|from|since|until)\b/gi, ' '))
    )
      return null;
    if (!plan) return null;
    try {
      dates.run(plan, text);
    } catch {
      return null;
    }
    return { confidence: 0.95, reasoning: `Date computation (${plan.kind})`, plan };
  },
  run(raw) {
    const plan = raw as Plan;
    if (plan.kind === 'between') {
      const days = Math.round((parseDate(plan.b).getTime() - parseDate(plan.a).getTime()) / DAY_MS);
      return `${Math.abs(days)} days between ${plan.a} and ${plan.b}`;
    }
    if (plan.kind === 'weekday') {
      return `${plan.date} is a ${parseDate(plan.date).toLocaleDateString('en-US', { weekday: 'long', timeZone: 'UTC' })}`;
    }
    if (plan.kind === 'add') {
      const result = new Date(parseDate(plan.date).getTime() + plan.days * DAY_MS).toISOString().slice(0, 10);
      return `${plan.date} ${plan.days >= 0 ? '+' : '-'} ${Math.abs(plan.days)} days = ${result}`;
    }
    const T = Temporal();
    if (plan.kind === 'now') {
      const now = T.Now.zonedDateTimeISO(plan.zone);
      return `It is ${now.toPlainDate().toString()} ${now.toPlainTime().toString().slice(0, 5)} in ${plan.zone}`;
    }
    const day = plan.date ?? T.Now.plainDateISO(plan.from).toString();
    const wall = T.PlainDateTime.from(`${day}T${plan.time}`);
    const there = wall.toZonedDateTime(plan.from, { disambiguation: 'compatible' }).withTimeZone(plan.to);
    return `${plan.time} in ${plan.from} on ${day} is ${there.toPlainDate().toString()} ${there.toPlainTime().toString().slice(0, 5)} in ${plan.to}`;
  },
};
