import type { BidRecord, RankedBid } from './types.js';

/** Specialists of the hinted domain get their confidence multiplied by this (capped at 1). */
export const DOMAIN_BOOST = 1.15;

export interface RankOptions {
  domainHint?: string | null;
  agentDomains: ReadonlyMap<string, string>;
  minConfidence: number;
}

/**
 * Orders every record: bids by score (confidence, boosted ×1.15 for the hinted domain's
 * specialists, capped at 1), ties broken by lower estimated cost, then faster bid, then
 * slug; non-bids after all bids. Records below the minimum stay in the list (every bid
 * is kept) but are not eligible to win.
 */
export function rankBids(records: readonly BidRecord[], options: RankOptions): { ranked: RankedBid[]; winner: RankedBid | null } {
  const ranked = records.map((r): RankedBid => {
    if (r.outcome !== 'bid' || r.confidence === undefined) return { ...r, score: 0, eligible: false };
    const boosted = options.domainHint && options.agentDomains.get(r.slug) === options.domainHint;
    const score = Math.min(1, boosted ? r.confidence * DOMAIN_BOOST : r.confidence);
    return { ...r, score: Math.round(score * 10_000) / 10_000, eligible: r.confidence >= options.minConfidence };
  });
  ranked.sort(compare);
  return { ranked, winner: ranked.find((b) => b.eligible) ?? null };
}

function compare(a: RankedBid, b: RankedBid): number {
  const aBid = a.outcome === 'bid' ? 0 : 1;
  const bBid = b.outcome === 'bid' ? 0 : 1;
  return (
    aBid - bBid ||
    b.score - a.score ||
    (a.estimatedCostUsd ?? Infinity) - (b.estimatedCostUsd ?? Infinity) ||
    a.latencyMs - b.latencyMs ||
    (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0)
  );
}
