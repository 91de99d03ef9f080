/**
 * The auctions module's public API: other modules import from here, not from its files.
 */
export { AuctionRunner } from './auction-runner.js';
export { runIntentFromRow, type AuctionDeps, type AuctionSettings, type RunIntent } from './run.js';
export { ABANDONED_AUCTION_QUEUE, AUCTION_QUEUE, AUCTION_RETRIES, abandonedWithoutDeadLetter, auctionJobId } from './auction-job.js';
export { createVerifier, type Verdict } from './verifier.js';
