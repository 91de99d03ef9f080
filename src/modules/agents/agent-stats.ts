import type pg from 'pg';

export interface AgentStatsFigures {
  bids: number;
  wins: number;
  winRate: number;
}

/** Intents folded into `agent_stats` per statement. */
const BATCH = 500;

/**
 * Agents' bids and wins. The write that ends an intent queues it in
 * `agent_stats_backlog` (see `backlogSql`); `rollUp` folds queued intents' bids into
 * `agent_stats` and dequeues them in one statement, so an intent counts exactly once,
 * whichever instance folds it (`skip locked`: instances never wait for each other).
 * Reads add the backlog's bids to the folded counts: exact, and cheap, as the backlog
 * holds only what ended since the last fold.
 */
export class AgentStatsBook {
  constructor(private readonly pool: pg.Pool) {}

  /** Folds the backlog into `agent_stats`; returns how many intents it folded. */
  async rollUp(): Promise<number> {
    let folded = 0;
    for (;;) {
      const { rows } = await this.pool.query<{ n: number }>(
        `with batch as (
           delete from agent_stats_backlog
            where intent_id in (select intent_id from agent_stats_backlog order by intent_id limit $1 for update skip locked)
           returning intent_id),
         counted as (${COUNT_BIDS} where b.intent_id in (select intent_id from batch) group by b.agent_id),
         stored as (
           insert into agent_stats (agent_id, bids, wins) select agent_id, bids, wins from counted
           on conflict (agent_id) do update set bids = agent_stats.bids + excluded.bids, wins = agent_stats.wins + excluded.wins)
         select count(*)::int as n from batch`,
        [BATCH],
      );
      folded += rows[0]!.n;
      if (rows[0]!.n < BATCH) return folded;
    }
  }

  /** Every agent's figures (agents that never bid are absent). */
  async all(): Promise<Map<string, AgentStatsFigures>> {
    const { rows } = await this.pool.query<{ agent_id: string; bids: string; wins: string }>(
      `select agent_id, sum(bids) as bids, sum(wins) as wins from (
         select agent_id, bids, wins from agent_stats
         union all
         ${COUNT_BIDS} where b.intent_id in (select intent_id from agent_stats_backlog) group by b.agent_id
       ) s group by agent_id`,
    );
    return new Map(rows.map((r) => [r.agent_id, figures(Number(r.bids), Number(r.wins))]));
  }
}

/** The CTE body that queues an ending intent (its id bound by the caller), for the statement that ends it. */
export function backlogSql(intentId: string): string {
  return `insert into agent_stats_backlog (intent_id) select ${intentId} from intent on conflict do nothing`;
}

export function figures(bids: number, wins: number): AgentStatsFigures {
  return { bids, wins, winRate: bids ? wins / bids : 0 };
}

const COUNT_BIDS = `select b.agent_id, count(*) filter (where b.outcome = 'bid') as bids, count(*) filter (where b.won) as wins from bids b`;
