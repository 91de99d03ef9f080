import type { BidDecision } from '../../agents/index.js';

export type BidOutcome = 'bid' | 'declined' | 'unavailable' | 'timed_out' | 'failed';

/**
 * One bidder of an auction: either asked for a bid, or known to be unavailable (no
 * provider, circuit open), in which case it is recorded with the reason and never called.
 * A bidder that knows its answer at once (an in-process agent) may return it as is.
 */
export type Bidder =
  | { readonly slug: string; bid(signal: AbortSignal): BidDecision | Promise<BidDecision>; unavailable?: undefined }
  | { readonly slug: string; unavailable: string; bid?: undefined };

/** What every agent asked leaves behind, whether it bid or not. */
export interface BidRecord {
  slug: string;
  outcome: BidOutcome;
  confidence?: number;
  reasoning?: string;
  estimatedCostUsd?: number;
  /** Milliseconds from the window's opening to this answer (the deadline when timed out, 0 when unavailable). */
  latencyMs: number;
  /** Why there is no bid: the decline reason, the error, the unavailability. */
  detail?: string;
}

export interface RankedBid extends BidRecord {
  /** Confidence after the domain-hint boost; the ranking key. 0 for non-bids. */
  score: number;
  /** Bids at or above the minimum confidence; only these can win. */
  eligible: boolean;
}

export type AttemptOutcome = 'succeeded' | 'failed' | 'timed_out' | 'rejected';

export interface Attempt {
  slug: string;
  outcome: AttemptOutcome;
  error?: string;
  startedAt: number;
  finishedAt: number;
}

/** Every candidate failed, timed out or was rejected; the chain says how. */
export class AuctionFailedError extends Error {
  constructor(readonly attempts: Attempt[]) {
    super(attempts.length ? `all ${attempts.length} candidates failed` : 'no candidate to execute');
    this.name = 'AuctionFailedError';
  }
}
