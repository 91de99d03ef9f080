/** The auction engine: pure functions (no database, no network); time comes from the caller. */
export { collectBids, type CollectOptions } from './collect-bids.js';
export { rankBids, DOMAIN_BOOST, type RankOptions } from './rank.js';
export { runWithFailover, type FailoverOptions, type FailoverOutcome } from './failover.js';
export { createRelevanceIndex, type RelevanceIndex } from './relevance.js';
export { AuctionFailedError, type Attempt, type Bidder, type BidRecord, type BidOutcome, type RankedBid } from './types.js';
