import type { MikroORM } from '@mikro-orm/postgresql';
import type { AgentRegistry } from '../agents/agent-registry.js';
import type { AuthInfo } from '../keys/auth-info.js';
import type { LimitService } from '../limits/limit.service.js';

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

/** Aggregates computed in SQL, never by loading rows into memory. */
export class StatsService {
  constructor(
    private readonly orm: MikroORM,
    private readonly agents: AgentRegistry,
    private readonly limits: LimitService,
  ) {}

  async usage(auth: AuthInfo, now = new Date()): Promise<Usage> {
    const periodStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
    const periodEnd = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
    const [row] = await this.orm.em.getConnection().execute<Array<Record<string, string | null>>>(
      // The caller's key, as its quota is: `intents` counts what the quota counts, so a
      // sandbox intent (never charged against it) does not.
      `select count(*) filter (where not sandbox) as intents,
              count(*) filter (where status = 'completed') as completed,
              count(*) filter (where status = 'failed') as failed,
              coalesce(sum(input_tokens), 0) as input_tokens,
              coalesce(sum(output_tokens), 0) as output_tokens,
              coalesce(sum(cost_usd), 0) as cost_usd
         from intents where tenant_id = ? and api_key_id = ? and created_at >= ? and created_at < ?`,
      [auth.tenantId, auth.keyId, periodStart, periodEnd],
    );
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
    const conn = this.orm.em.getConnection();
    const since = new Date(Date.now() - 30 * 24 * 3600 * 1000);
    const [row] = await conn.execute<Array<Record<string, string | null>>>(
      `select count(*) as total,
              percentile_cont(0.5) within group (order by extract(epoch from (auction_closed_at - bidding_started_at)) * 1000) as bid_p50,
              percentile_cont(0.95) within group (order by extract(epoch from (auction_closed_at - bidding_started_at)) * 1000) as bid_p95,
              percentile_cont(0.5) within group (order by extract(epoch from (completed_at - execution_started_at)) * 1000)
                filter (where status = 'completed') as exec_p50,
              percentile_cont(0.95) within group (order by extract(epoch from (completed_at - execution_started_at)) * 1000)
                filter (where status = 'completed') as exec_p95,
              avg(winning_confidence) filter (where status = 'completed') as avg_conf,
              sum(promotions) filter (where auction_tier = 'shield') as promotions,
              count(*) filter (where auction_tier = 'shield' and status in ('completed', 'failed')) as shield_done,
              count(*) filter (where status = 'failed') as failed,
              count(*) filter (where status in ('completed', 'failed')) as finished
         from intents where created_at >= ?`,
      [since],
    );
    const domains = await conn.execute<Array<{ domain: string; n: string }>>(
      // The winner's domain, else the caller's hint; an intent with neither has no domain to count.
      `select coalesce(a.domain, i.domain) as domain, count(*) as n
         from intents i left join agents a on a.id = i.winning_agent_id
        where i.created_at >= ? and coalesce(a.domain, i.domain) is not null
        group by 1 order by n desc, domain asc limit 5`,
      [since],
    );
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
