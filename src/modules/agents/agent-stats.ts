import type pg from 'pg';
import { foldStatsBacklog, statsOfAll } from './agent.store.js';

export interface AgentStatsFigures {
  bids: number;
  wins: number;
  winRate: number;
}

/** Intents folded into `agent_stats` per statement. */
const BATCH = 500;

/**
 * Agents' bids and wins. The write that ends an intent queues it in
 * `agent_stats_backlog` (see `statsBacklogPart` in agent.store.ts); `rollUp` folds queued intents' bids into
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
      const n = await foldStatsBacklog(this.pool, BATCH);
      folded += n;
      if (n < BATCH) return folded;
    }
  }

  /** Every agent's figures (agents that never bid are absent). */
  async all(): Promise<Map<string, AgentStatsFigures>> {
    return new Map((await statsOfAll(this.pool)).map((r) => [r.agentId, figures(r.bids, r.wins)]));
  }
}

export function figures(bids: number, wins: number): AgentStatsFigures {
  return { bids, wins, winRate: bids ? wins / bids : 0 };
}
