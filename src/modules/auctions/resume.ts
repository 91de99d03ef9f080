import type pg from 'pg';
import { publicAgentsPart } from '../agents/index.js';
import { eventsOfTypes } from '../events/index.js';
import { TERMINAL_STATUSES } from '../intents/intent.entity.js';
import { claimIntentRow, intentRowById } from '../intents/index.js';
import { storedBidRows } from './bid.store.js';
import type { Attempt, RankedBid } from './engine/index.js';
import { INTERRUPTED, runIntentFromRow, type AuctionClose, type AuctionRun, type EarlierAttempts, type RunIntent } from './run.js';

/*
 * A run starts from what is stored: every write of a run is guarded on the intent not
 * being final, so a retried job (after a crash) reads here how far the stopped run got,
 * goes on from there, and the intent completes exactly once.
 */

/** pending → bidding in one statement; null when the intent is final (or gone). */
export async function claimIntent(pool: pg.Pool, intentId: number): Promise<RunIntent | null> {
  const row = await claimIntentRow(pool, intentId);
  return row ? runIntentFromRow(row, row.previous_status) : null;
}

/** An intent that has not ended, as it is stored (without claiming it); null once final or gone. */
export async function unfinishedIntent(pool: pg.Pool, intentId: number): Promise<RunIntent | null> {
  const row = await intentRowById(pool, intentId);
  return row && !TERMINAL_STATUSES.includes(row.status) ? runIntentFromRow(row, row.status) : null;
}

/**
 * What a stopped run's bidding left: its close when the auction had ranked the bids
 * (the new run reuses it and writes nothing), else the agents whose bids were already
 * streamed to the store (not written twice).
 */
export async function storedBidding(pool: pg.Pool, intent: RunIntent): Promise<{ close: AuctionClose | null; streamed: Set<string> }> {
  if (intent.previousStatus === 'pending') return { close: null, streamed: new Set() };
  const previous = await storedBids(pool, intent.id);
  if (previous.closed) return { close: { candidates: previous.ranked.filter((b) => b.eligible), resumed: true, events: [], change: {} }, streamed: new Set() };
  return { close: null, streamed: new Set(previous.ranked.map((b) => b.slug)) };
}

/** The bids a previous run of this intent stored, best first; `closed` once the auction ranked them. */
async function storedBids(pool: pg.Pool, intentId: number): Promise<{ closed: boolean; ranked: RankedBid[] }> {
  const rows = await storedBidRows(pool, intentId, publicAgentsPart);
  return {
    closed: rows.length > 0 && rows.every((r) => r.rank !== null),
    ranked: rows.map((r) => ({
      slug: r.slug,
      outcome: r.outcome,
      confidence: r.confidence ?? undefined,
      reasoning: r.reasoning ?? undefined,
      estimatedCostUsd: r.estimated_cost_usd ?? undefined,
      latencyMs: r.latency_ms,
      score: r.score ?? 0,
      eligible: r.eligible,
    })),
  };
}

/**
 * The attempts a stopped run of this intent made, from its stored events: an agent
 * that handed over (a failover from it) is `finished` and not run again; one that was
 * started and never ended was interrupted by the stop, and is run again.
 */
export async function storedAttempts(pool: pg.Pool, run: AuctionRun): Promise<EarlierAttempts> {
  const rows = await eventsOfTypes(pool, run.intent.id, ['execution_started', 'failover']);
  const attempts: Attempt[] = [];
  const finished = new Set<string>();
  const open = new Map<string, number>();
  for (const { type, payload, created_at } of rows) {
    const at = created_at.getTime();
    if (type === 'execution_started') open.set(payload.agent!, at);
    else {
      const reason = payload.reason ?? 'failed';
      attempts.push({
        slug: payload.from!,
        outcome: reason.startsWith('rejected') ? 'rejected' : 'failed',
        error: reason,
        startedAt: open.get(payload.from!) ?? at,
        finishedAt: at,
      });
      open.delete(payload.from!);
      finished.add(payload.from!);
    }
  }
  for (const [slug, startedAt] of open) attempts.push({ slug, outcome: 'failed', error: INTERRUPTED, startedAt, finishedAt: Date.now() });
  return { attempts, finished };
}
