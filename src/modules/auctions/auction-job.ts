import type pg from 'pg';
import { failedWithoutDeadLetterPart, jobIdFor, jobIdPart } from '../../jobs/job-queue.js';
import { unfinishedIntentIdsWhere } from '../intents/index.js';

/** The durable job queue auctions run on. */
export const AUCTION_QUEUE = 'auction';
/** Where an auction job goes once its last retry failed: its intent is settled as failed there. */
export const ABANDONED_AUCTION_QUEUE = 'auction-abandoned';
/** Tries of an auction job: the first run and its retries (after a crash, or an unexpected error). */
export const AUCTION_RETRIES = 3;
/** Auction jobs' kind in their deterministic ids (see `jobIdFor`). */
export const AUCTION_JOB_KIND = 1;

/** An intent's auction job: one per intent, so re-sending it never duplicates. */
export function auctionJobId(intentId: number): string {
  return jobIdFor(AUCTION_JOB_KIND, intentId);
}

/**
 * Intents still running whose auction job failed for good without a dead letter: jobs
 * stored before the auction queue had its dead-letter queue keep none (pg-boss copies it
 * onto each job as it is stored), so the sweep settles their intents instead.
 */
export async function abandonedWithoutDeadLetter(pool: pg.Pool, limit = 100): Promise<number[]> {
  return unfinishedIntentIdsWhere(pool, (intentId) => failedWithoutDeadLetterPart(AUCTION_QUEUE, jobIdPart(AUCTION_JOB_KIND, intentId)), limit);
}
