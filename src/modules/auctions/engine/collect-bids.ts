import type { BidDecision } from '../../agents/types.js';
import type { Bidder, BidRecord } from './types.js';

export interface CollectOptions {
  /** The bid window: bids not in by then are recorded as timed out. */
  deadlineMs: number;
  now: () => number;
  /** Called for each bid as it arrives (for live streams). */
  onBid?: (record: BidRecord) => void;
  setTimer?: (fn: () => void, ms: number) => () => void;
}

const defaultTimer = (fn: () => void, ms: number) => {
  const t = setTimeout(fn, ms);
  return () => clearTimeout(t);
};

/**
 * Asks every bidder at once. The window closes when all have answered or at the
 * deadline, whichever is first; a slow or failing bidder loses its bid, never the
 * auction. Each bidder yields exactly one record, in bidder order.
 */
export function collectBids(bidders: readonly Bidder[], options: CollectOptions): Promise<BidRecord[]> {
  const { deadlineMs, now, onBid } = options;
  const setTimer = options.setTimer ?? defaultTimer;
  const start = now();
  const records: Array<BidRecord | undefined> = new Array(bidders.length);
  // One signal for the whole window: whoever has not answered when it closes is aborted.
  const controller = new AbortController();
  let pending = 0;

  return new Promise((resolve) => {
    let closed = false;
    let cancelTimer = () => {};
    const close = () => {
      if (closed) return;
      closed = true;
      cancelTimer();
      bidders.forEach((b, i) => {
        if (records[i]) return;
        records[i] = { slug: b.slug, outcome: 'timed_out', latencyMs: deadlineMs, detail: `no bid within ${deadlineMs} ms` };
      });
      controller.abort(new Error('bid window closed'));
      resolve(records as BidRecord[]);
    };
    const settle = (i: number, record: BidRecord) => {
      if (closed) return;
      records[i] = record;
      onBid?.(record);
      if (--pending === 0) close();
    };

    bidders.forEach((bidder, i) => {
      if (bidder.unavailable !== undefined) {
        records[i] = { slug: bidder.slug, outcome: 'unavailable', latencyMs: 0, detail: bidder.unavailable };
        return;
      }
      pending++;
      Promise.resolve()
        .then(() => bidder.bid(controller.signal))
        .then(
          (decision) => settle(i, fromDecision(bidder.slug, decision, now() - start)),
          (error: unknown) =>
            settle(i, { slug: bidder.slug, outcome: 'failed', latencyMs: now() - start, detail: errorMessage(error) }),
        );
    });
    if (pending === 0) close();
    else cancelTimer = setTimer(close, deadlineMs);
  });
}

function fromDecision(slug: string, decision: BidDecision, latencyMs: number): BidRecord {
  if (decision.type === 'decline') return { slug, outcome: 'declined', latencyMs, detail: decision.reason };
  const { confidence, estimatedCostUsd } = decision;
  if (!Number.isFinite(confidence) || confidence < 0 || confidence > 1) {
    return { slug, outcome: 'failed', latencyMs, detail: `confidence ${confidence} is outside [0, 1]` };
  }
  return {
    slug,
    outcome: 'bid',
    confidence,
    reasoning: decision.reasoning,
    estimatedCostUsd: Number.isFinite(estimatedCostUsd) && estimatedCostUsd >= 0 ? estimatedCostUsd : 0,
    latencyMs,
  };
}

function errorMessage(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 300);
}
