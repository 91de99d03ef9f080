/**
 * The auctions module's public API: other modules import from here, not from its files.
 * `AuctionRunner.run` auctions an intent; `AuctionRunner.runAgent` runs it on a named
 * agent with no auction (same execution, receipt and final write).
 */
export { AuctionRunner } from './auction-runner.js';
export { runIntentFromRow, type AuctionDeps, type AuctionSettings, type RunIntent } from './run.js';
export { ABANDONED_AUCTION_QUEUE, AUCTION_QUEUE, AUCTION_RETRIES, abandonedWithoutDeadLetter, auctionJobId } from './auction-job.js';
export { createVerifier, type Verdict } from './verifier.js';
export { auctionJobsFor, createAuctions } from './create.js';
export { AUCTION_JOB_KIND } from './auction-job.js';
export { bidsOf, insertBidsPart, markWonPart, restateBidsPart, type BidRow } from './bid.store.js';
