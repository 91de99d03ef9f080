import type { BidDecision } from '../../agents/index.js';
import { realTimer, type SetTimer } from './timer.js';
import type { Bidder, BidRecord } from './types.js';

export interface CollectOptions {
  /** The bid window in ms: bids not in by then are recorded `timed_out`. */
  deadlineMs: number;
  /** Clock for latencies (any monotonic milliseconds, e.g. `performance.now`). */
  now: () => number;
  /** Called once per answer as it arrives (bid, decline or failure), for live streams. */
  onBid?: (record: BidRecord) => void;
  /** Default: `setTimeout`. */
  setTimer?: SetTimer;
}

/**
 * Asks every bidder at once. The window closes when all have answered or at the
 * deadline, whichever is first; a slow or failing bidder loses its bid, never the
 * auction. Every bidder yields exactly one record, in bidder order, and the shared
 * signal is aborted when the window closes so late bidders can stop working.
 */
export function collectBids(bidders: readonly Bidder[], options: CollectOptions): Promise<BidRecord[]> {
  const { deadlineMs, now, onBid } = options;
  const setTimer = options.setTimer ?? realTimer;
  const start = now();
  const records: Array<BidRecord | undefined> = new Array(bidders.length);
  const controller = new AbortController();
  let pending = 0;

  return new Promise((resolve) => {
    let closed = false;
    // Answers given synchronously arrive while bidders are still being asked: the
    // window cannot close before every bidder has been asked.
    let asking = true;
    let cancelTimer: (() => void) | undefined;
    const close = () => {
      if (closed) return;
      closed = true;
      cancelTimer?.();
      bidders.forEach((b, i) => {
        records[i] ??= { slug: b.slug, outcome: 'timed_out', latencyMs: deadlineMs, detail: `no bid within ${deadlineMs} ms` };
      });
      controller.abort(new Error('bid window closed'));
      resolve(records as BidRecord[]);
    };
    const settle = (i: number, record: BidRecord) => {
      if (closed) return; // answered after the deadline: already recorded as timed out
      records[i] = record;
      try {
        onBid?.(record);
      } catch {
        // A broken listener must not lose the auction; the record is kept either way.
      }
      if (--pending === 0 && !asking) close();
    };
    const failed = (i: number, error: unknown) =>
      settle(i, { slug: bidders[i]!.slug, outcome: 'failed', latencyMs: now() - start, detail: errorMessage(error) });

    bidders.forEach((bidder, i) => {
      if (bidder.unavailable !== undefined) {
        records[i] = { slug: bidder.slug, outcome: 'unavailable', latencyMs: 0, detail: bidder.unavailable };
        return;
      }
      pending++;
      let answer: BidDecision | Promise<BidDecision>;
      try {
        answer = bidder.bid(controller.signal);
      } catch (error) {
        failed(i, error);
        return;
      }
      if (isThenable(answer)) {
        answer.then(
          (decision) => settle(i, fromDecision(bidder.slug, decision, now() - start)),
          (error: unknown) => failed(i, error),
        );
      } else {
        settle(i, fromDecision(bidder.slug, answer, now() - start));
      }
    });
    asking = false;
    if (pending === 0) close();
    else cancelTimer = setTimer(close, deadlineMs);
  });
}

function isThenable<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/** A decision as a record; a confidence outside [0, 1] is the bidder's failure, not a bid. */
function fromDecision(slug: string, decision: BidDecision, latencyMs: number): BidRecord {
  if (decision?.type === 'decline') return { slug, outcome: 'declined', latencyMs, detail: decision.reason };
  if (decision?.type !== 'bid') return { slug, outcome: 'failed', latencyMs, detail: 'answered neither a bid nor a decline' };
  const { confidence, estimatedCostUsd } = decision;
  if (typeof confidence !== 'number' || !Number.isFinite(confidence) || confidence < 0 || confidence > 1) {
    return { slug, outcome: 'failed', latencyMs, detail: `confidence ${confidence} is outside [0, 1]` };
  }
  return {
    slug,
    outcome: 'bid',
    confidence,
    reasoning: decision.reasoning,
    // An unusable estimate should not make a bid look free (and win every tie).
    estimatedCostUsd: Number.isFinite(estimatedCostUsd) && estimatedCostUsd >= 0 ? estimatedCostUsd : undefined,
    latencyMs,
  };
}

function errorMessage(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 300);
}
