import type pg from 'pg';
import { invalid } from '../../errors/app-error.js';
import { COST_GROUPINGS, costLines, type CostGrouping } from '../intents/index.js';

export const GROUP_BYS = COST_GROUPINGS;
export type GroupBy = CostGrouping;

export interface CostLine {
  key: string;
  name: string;
  intents: number;
  completed: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

export interface CostSummary {
  start: string;
  end: string;
  groupBy: GroupBy;
  groups: CostLine[];
  totals: Omit<CostLine, 'key' | 'name'>;
}

const MAX_DAYS = 366;

/** Chargeback and showback: tokens and USD per group, aggregated by PostgreSQL. */
export class AnalyticsService {
  constructor(private readonly pool: pg.Pool) {}

  /** `start` and `end` are days (YYYY-MM-DD, UTC), both included. */
  async costSummary(tenantId: string, start: string, end: string, groupBy: string): Promise<CostSummary> {
    if (!(GROUP_BYS as readonly string[]).includes(groupBy)) throw invalid(`group_by must be one of ${GROUP_BYS.join(', ')}`, 'group_by');
    const from = parseDay(start, 'start');
    const to = parseDay(end, 'end');
    if (to < from) throw invalid('end must not be before start', 'end');
    if ((to.getTime() - from.getTime()) / 86_400_000 >= MAX_DAYS) throw invalid(`the range may span at most ${MAX_DAYS} days`, 'end');
    const rows = await costLines(this.pool, tenantId, from, to, groupBy as GroupBy);
    const groups = rows.map((r) => ({
      key: r.key,
      name: r.name,
      intents: r.intents,
      completed: r.completed,
      inputTokens: Number(r.input),
      outputTokens: Number(r.output),
      costUsd: r.cost,
    }));
    const totals = groups.reduce(
      (t, l) => ({
        intents: t.intents + l.intents,
        completed: t.completed + l.completed,
        inputTokens: t.inputTokens + l.inputTokens,
        outputTokens: t.outputTokens + l.outputTokens,
        costUsd: Math.round((t.costUsd + l.costUsd) * 1e8) / 1e8,
      }),
      { intents: 0, completed: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 },
    );
    return { start: isoDay(from), end: isoDay(to), groupBy: groupBy as GroupBy, groups, totals };
  }
}

function parseDay(value: string, field: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value.trim());
  const date = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  if (!date || isoDay(date) !== value.trim()) throw invalid(`${field} must be a date such as 2026-05-01`, field);
  return date;
}

const isoDay = (d: Date) => d.toISOString().slice(0, 10);
