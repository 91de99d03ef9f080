import { jobIdFor } from '../../jobs/job-queue.js';

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
