import { withStartupLock, type Database } from './db/orm.js';
import type { JobQueue } from './jobs/job-queue.js';
import type { AgentStatsBook } from './modules/agents/index.js';
import {
  ABANDONED_AUCTION_QUEUE,
  AUCTION_QUEUE,
  AUCTION_RETRIES,
  abandonedWithoutDeadLetter,
  type AuctionRunner,
  type RunIntent,
} from './modules/auctions/index.js';
import type { IdempotencyService } from './modules/idempotency/index.js';
import type { IntentFollowUps, IntentService } from './modules/intents/index.js';
import { sweepExpiredCounters } from './modules/limits/index.js';
import type { WebhookService } from './modules/webhooks/index.js';
import type { Logger } from './observability/logger.js';

/** How often finished intents' bids are folded into agents' figures. */
const STATS_FOLD_MS = 2_000;
/** How often the sweeps look for work a stopped process left. */
const SWEEP_MS = 30_000;

export interface BackgroundParts {
  db: Database;
  jobs: JobQueue;
  auctions: AuctionRunner;
  intents: IntentService;
  followUps: IntentFollowUps;
  webhooks: WebhookService;
  agentStats: AgentStatsBook;
  idempotency: IdempotencyService;
  logger: Logger;
  auctionConcurrency: number;
}

/**
 * Starts the instance's background work once every module exists: the auction and
 * webhook workers, then the sweeps that finish what a stopped process left (unqueued
 * intents, abandoned auctions, unannounced follow-ups, expired counters and idempotency
 * keys) and the fold of agents' figures. Resolves with the function that stops it all.
 */
export async function startBackground(p: BackgroundParts): Promise<() => void> {
  const { db, jobs, auctions, logger } = p;
  // Creating pg-boss queues (and their partitions) deadlocks when instances start together.
  await withStartupLock(db, async () => {
    // First, as the auction queue names it for its dead letters.
    await jobs.work<{ intentId: number }>(ABANDONED_AUCTION_QUEUE, p.auctionConcurrency > 0 ? 1 : 0, (data) => auctions.abandon(data.intentId));
    await jobs.work<{ intentId: number }>(AUCTION_QUEUE, p.auctionConcurrency, (data, job) => auctions.run(data.intentId, job.hint as RunIntent | undefined), {
      limit: AUCTION_RETRIES,
      delaySeconds: 1,
      deadLetter: ABANDONED_AUCTION_QUEUE,
    });
    await p.webhooks.start();
  });
  await p.intents.sweepUnqueued(0);
  const settleAbandoned = async () => {
    for (const id of await abandonedWithoutDeadLetter(db.pool)) await auctions.abandon(id);
  };
  await settleAbandoned();
  const warn = (what: string) => (error: unknown) => logger.warn({ err: error }, what);
  // Finished intents' bids are folded into agents' figures often, so reads add little.
  const fold = setInterval(() => p.agentStats.rollUp().catch(warn('folding agent stats failed')), STATS_FOLD_MS);
  const sweep = setInterval(() => {
    p.intents.sweepUnqueued().catch(warn('sweep failed'));
    settleAbandoned().catch(warn('settling abandoned auctions failed'));
    p.followUps.sweep().catch(warn('follow-up sweep failed'));
    sweepExpiredCounters(db.pool).catch(warn('deleting expired counters failed'));
    p.idempotency.sweep().catch(warn('deleting expired idempotency keys failed'));
  }, SWEEP_MS);
  fold.unref();
  sweep.unref();
  return () => {
    clearInterval(fold);
    clearInterval(sweep);
  };
}
