import type pg from 'pg';
import { routingFigures, topDomains, usageOf } from '../intents/index.js';
import type { AgentRegistry } from '../agents/index.js';
import type { AuthInfo } from '../keys/index.js';
import type { LimitService } from '../limits/index.js';

export interface Usage {
  periodStart: Date;
  periodEnd: Date;
  intents: number;
  quota: number | null;
  completed: number;
  failed: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

export interface RoutingStats {
  agentsActive: number;
  totalIntents30d: number;
  bidCollectionP50Ms: number;
  bidCollectionP95Ms: number;
  executionP50Ms: number;
  executionP95Ms: number;
  avgWinningConfidence: number;
  shieldPromotionRate: number;
  failureRate30d: number;
  topDomains: Array<{ domain: string; intentShare: number }>;
}

/** Aggregates computed in SQL (intent.store.ts), never by loading rows into memory. */
export class StatsService {
  constructor(
    private readonly pool: pg.Pool,
    private readonly agents: AgentRegistry,
    private readonly limits: LimitService,
  ) {}

  async usage(auth: AuthInfo, now = new Date()): Promise<Usage> {
    const periodStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
    const periodEnd = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
    const row = await usageOf(this.pool, auth.tenantId, auth.keyId, periodStart, periodEnd);
    return {
      periodStart,
      periodEnd,
      intents: Number(row?.intents ?? 0),
      quota: this.limits.effective(auth).monthlyIntents,
      completed: Number(row?.completed ?? 0),
      failed: Number(row?.failed ?? 0),
      inputTokens: Number(row?.input_tokens ?? 0),
      outputTokens: Number(row?.output_tokens ?? 0),
      costUsd: Math.round(Number(row?.cost_usd ?? 0) * 1e8) / 1e8,
    };
  }

  /** Public and anonymised: aggregates across all tenants over the last 30 days. */
  async routing(): Promise<RoutingStats> {
    const since = new Date(Date.now() - 30 * 24 * 3600 * 1000);
    const row = await routingFigures(this.pool, since);
    const domains = await topDomains(this.pool, since);
    const total = Number(row?.total ?? 0);
    const num = (v: string | null | undefined) => Math.round(Number(v ?? 0) * 1000) / 1000;
    const shieldDone = Number(row?.shield_done ?? 0);
    const finished = Number(row?.finished ?? 0);
    return {
      agentsActive: this.agents.roster().length,
      totalIntents30d: total,
      bidCollectionP50Ms: num(row?.bid_p50),
      bidCollectionP95Ms: num(row?.bid_p95),
      executionP50Ms: num(row?.exec_p50),
      executionP95Ms: num(row?.exec_p95),
      avgWinningConfidence: num(row?.avg_conf),
      shieldPromotionRate: shieldDone ? num(String(Number(row?.promotions ?? 0) / shieldDone)) : 0,
      failureRate30d: finished ? num(String(Number(row?.failed ?? 0) / finished)) : 0,
      topDomains: domains.map((d) => ({ domain: d.domain, intentShare: total ? num(String(Number(d.n) / total)) : 0 })),
    };
  }
}
