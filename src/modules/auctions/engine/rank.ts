import type { BidRecord, RankedBid } from './types.js';

/**
 * The domain-hint rule: a bid from a specialist of the hinted domain (the agent's
 * `domain` equals the hint) scores confidence × 1.15, capped at 1. Everyone else
 * scores their confidence. Multiplying (rather than adding) keeps a weak specialist
 * weak: 0.3 becomes 0.345, while 0.8 becomes 0.92 and beats a 0.85 generalist.
 */
export const DOMAIN_BOOST = 1.15;

export interface RankOptions {
  /** The intent's domain hint, if any. */
  domainHint?: string | null;
  /** Each agent's domain, by slug. */
  agentDomains: ReadonlyMap<string, string>;
  /** Bids whose own confidence is below this are kept but cannot win. */
  minConfidence: number;
}

export interface Ranking {
  /** Every record, best first: bids by score, then the non-bids. */
  ranked: RankedBid[];
  /** The first eligible bid; null means nobody may win (the caller fails the intent with `no_bids`). */
  winner: RankedBid | null;
}

/**
 * Orders every record: bids by score, ties broken by lower estimated cost, then the
 * faster bid, then slug (so a ranking is reproducible); non-bids after all bids, score 0.
 * Eligibility is judged on the agent's own confidence, so the hint reorders bids above
 * the bar but never lifts one over it.
 */
export function rankBids(records: readonly BidRecord[], options: RankOptions): Ranking {
  const hint = options.domainHint?.trim().toLowerCase() || null;
  const ranked = records.map((r): RankedBid => {
    let score = 0;
    let eligible = false;
    if (r.outcome === 'bid' && r.confidence !== undefined) {
      const specialist = hint !== null && options.agentDomains.get(r.slug)?.toLowerCase() === hint;
      // Rounded so that float noise (0.7 × 1.15) cannot break what is meant as a tie.
      score = Math.round(Math.min(1, specialist ? r.confidence * DOMAIN_BOOST : r.confidence) * 10_000) / 10_000;
      eligible = r.confidence >= options.minConfidence;
    }
    // Built field by field, not spread: one object shape for all, which the sort reads fast.
    return {
      slug: r.slug,
      outcome: r.outcome,
      confidence: r.confidence,
      reasoning: r.reasoning,
      estimatedCostUsd: r.estimatedCostUsd,
      latencyMs: r.latencyMs,
      detail: r.detail,
      score,
      eligible,
    };
  });
  ranked.sort(compare);
  return { ranked, winner: ranked.find((b) => b.eligible) ?? null };
}

function compare(a: RankedBid, b: RankedBid): number {
  return (
    isBid(b) - isBid(a) ||
    b.score - a.score ||
    orLast(a.estimatedCostUsd) - orLast(b.estimatedCostUsd) ||
    a.latencyMs - b.latencyMs ||
    (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0)
  );
}

const isBid = (r: RankedBid) => (r.outcome === 'bid' ? 1 : 0);
/** A missing estimate sorts after every real one (a finite stand-in keeps the subtraction a number). */
const orLast = (cost: number | undefined) => (cost === undefined || !Number.isFinite(cost) ? Number.MAX_VALUE : cost);
