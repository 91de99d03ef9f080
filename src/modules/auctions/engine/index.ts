/**
 * The auction engine: pure functions over bids (no database, no network, no global
 * state); time and timers come from the caller.
 */
export { collectBids, type CollectOptions } from './bids.js';
export { rankBids, DOMAIN_BOOST, type RankOptions, type Ranking } from './rank.js';
export { runWithFailover, type FailoverOptions, type FailoverOutcome, type Verdict } from './failover.js';
export { createRelevanceIndex, type RelevanceIndex } from './relevance.js';
export { realTimer, type SetTimer } from './timer.js';
export { AuctionFailedError, type Attempt, type AttemptOutcome, type Bidder, type BidRecord, type BidOutcome, type RankedBid } from './types.js';
