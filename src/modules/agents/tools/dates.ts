import type { ToolCapability } from './types.js';

type Plan =
  | { kind: 'between'; a: string; b: string }
  | { kind: 'weekday'; date: string }
  | { kind: 'add'; days: number; date: string }
  | { kind: 'zone'; time: string; date: string | null; from: string; to: string };

const DATE = String.raw`(\d{4}-\d{2}-\d{2})`;
const ZONE = String.raw`([A-Za-z]+\/[A-Za-z_]+(?:\/[A-Za-z_]+)?|UTC)`;
const DAY_MS = 86_400_000;

function parseDate(iso: string): Date {
  const d = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== iso) throw new Error(`${iso} is not a valid date`);
  return d;
}

function validZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Offset of `zone` from UTC at `instant`, in minutes. */
function offsetMinutes(zone: string, instant: Date): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    })
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );
  const asUtc = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute));
  return Math.round((asUtc - instant.getTime()) / 60_000);
}

/**
 * The instant a wall-clock time in `zone` stands for. The zone's offset is read at the
 * instant itself, not at the wall time read as UTC: near a daylight-saving change the
 * two differ by an hour (05:00 on 2024-03-10 in New York is 09:00 UTC, not 10:00).
 */
function instantOf(day: string, time: string, zone: string): Date {
  const wall = Date.parse(`${day}T${time}:00Z`);
  const first = wall - offsetMinutes(zone, new Date(wall)) * 60_000;
  return new Date(wall - offsetMinutes(zone, new Date(first)) * 60_000);
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
    else if (
      (m = new RegExp(`(\\d{1,2}:\\d{2})(?:\\s+on\\s+${DATE})?\\s+(?:in\\s+)?${ZONE}\\s+(?:to|in)\\s+${ZONE}`, 'i').exec(text)) &&
      validZone(m[3]!) &&
      validZone(m[4]!)
    ) {
      plan = { kind: 'zone', time: m[1]!, date: m[2] ?? null, from: m[3]!, to: m[4]! };
    }
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
    const [h, min] = plan.time.split(':').map(Number) as [number, number];
    if (h > 23 || min > 59) throw new Error(`${plan.time} is not a valid time`);
    const day = plan.date ?? new Date().toISOString().slice(0, 10);
    const instant = instantOf(day, plan.time.padStart(5, '0'), plan.from);
    const out = new Intl.DateTimeFormat('en-GB', {
      timeZone: plan.to,
      hour: '2-digit',
      minute: '2-digit',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hourCycle: 'h23',
    }).format(instant);
    return `${plan.time} in ${plan.from} on ${day} is ${out} in ${plan.to}`;
  },
};
