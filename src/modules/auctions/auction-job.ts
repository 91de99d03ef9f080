import { jobIdFor } from '../../jobs/job-queue.js';

/** The durable job queue auctions run on. */
export const AUCTION_QUEUE = 'auction';
/** Auction jobs' kind in their deterministic ids (see `jobIdFor`). */
export const AUCTION_JOB_KIND = 1;

/** An intent's auction job: one per intent, so re-sending it never duplicates. */
export function auctionJobId(intentId: number): string {
  return jobIdFor(AUCTION_JOB_KIND, intentId);
}
