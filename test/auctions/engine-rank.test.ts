import { describe, expect, it } from 'vitest';
import { DOMAIN_BOOST, rankBids, type BidRecord } from '../../src/modules/auctions/engine/index.js';

const record = (slug: string, confidence: number, extra: Partial<BidRecord> = {}): BidRecord => ({
  slug,
  outcome: 'bid',
  confidence,
  estimatedCostUsd: 0.01,
  latencyMs: 5,
  ...extra,
});
const agentDomains = new Map([
  ['py', 'engineering'],
  ['rust', 'engineering'],
  ['law', 'legal'],
  ['cheap', 'engineering'],
  ['dear', 'engineering'],
]);

describe('rankBids', () => {
  it('ranks by confidence when there is no domain hint', () => {
    const { ranked, winner } = rankBids([record('py', 0.6), record('law', 0.8)], { agentDomains, minConfidence: 0.35 });
    expect(ranked.map((r) => [r.slug, r.score])).toEqual([
      ['law', 0.8],
      ['py', 0.6],
    ]);
    expect(winner?.slug).toBe('law');
  });

  it(`boosts specialists of the hinted domain ×${DOMAIN_BOOST}, capped at 1`, () => {
    const { ranked, winner } = rankBids([record('law', 0.8), record('py', 0.75), record('rust', 0.9)], {
      domainHint: 'engineering',
      agentDomains,
      minConfidence: 0.35,
    });
    expect(ranked.map((r) => [r.slug, r.score])).toEqual([
      ['rust', 1],
      ['py', 0.8625],
      ['law', 0.8],
    ]);
    expect(winner?.slug).toBe('rust');
    // The boost changes the score only; the agent's own confidence is stored as it bid.
    expect(ranked[1]?.confidence).toBe(0.75);
  });

  it('matches the hint whatever its case', () => {
    const { winner } = rankBids([record('law', 0.8), record('py', 0.75)], { domainHint: ' Engineering ', agentDomains, minConfidence: 0 });
    expect(winner?.slug).toBe('py');
  });

  it('keeps every record: non-bids come after all bids (quickest answer first), with score 0, never eligible', () => {
    const { ranked } = rankBids(
      [
        { slug: 'gone', outcome: 'timed_out', latencyMs: 300 },
        record('py', 0.4),
        { slug: 'off', outcome: 'unavailable', latencyMs: 0, detail: 'no provider' },
        { slug: 'nope', outcome: 'declined', latencyMs: 3, detail: 'not mine' },
      ],
      { agentDomains, minConfidence: 0.35 },
    );
    expect(ranked.map((r) => [r.slug, r.score, r.eligible])).toEqual([
      ['py', 0.4, true],
      ['off', 0, false],
      ['nope', 0, false],
      ['gone', 0, false],
    ]);
  });

  describe('ties', () => {
    it('go to the lower estimated cost', () => {
      const { winner } = rankBids([record('dear', 0.7, { estimatedCostUsd: 0.05 }), record('cheap', 0.7, { estimatedCostUsd: 0.01 })], {
        agentDomains,
        minConfidence: 0,
      });
      expect(winner?.slug).toBe('cheap');
    });

    it('then to the faster bid', () => {
      const { winner } = rankBids([record('dear', 0.7, { latencyMs: 40 }), record('cheap', 0.7, { latencyMs: 4 })], { agentDomains, minConfidence: 0 });
      expect(winner?.slug).toBe('cheap');
    });

    it('then to the slug, so the ranking does not depend on arrival order', () => {
      const a = rankBids([record('py', 0.7), record('law', 0.7)], { agentDomains, minConfidence: 0 });
      const b = rankBids([record('law', 0.7), record('py', 0.7)], { agentDomains, minConfidence: 0 });
      expect(a.ranked.map((r) => r.slug)).toEqual(['law', 'py']);
      expect(b.ranked.map((r) => r.slug)).toEqual(['law', 'py']);
    });

    it('rank a bid without a cost estimate after one with an estimate', () => {
      const { winner } = rankBids([record('dear', 0.7, { estimatedCostUsd: undefined }), record('cheap', 0.7, { estimatedCostUsd: 9 })], {
        agentDomains,
        minConfidence: 0,
      });
      expect(winner?.slug).toBe('cheap');
    });

    it('include scores that are equal only after the boost (no float noise)', () => {
      // 0.8 × 1.15 = 0.9199999999999999 in floating point; it must tie with 0.92.
      const { ranked } = rankBids([record('law', 0.92, { estimatedCostUsd: 0.02 }), record('py', 0.8, { estimatedCostUsd: 0.01 })], {
        domainHint: 'engineering',
        agentDomains,
        minConfidence: 0,
      });
      expect(ranked.map((r) => [r.slug, r.score])).toEqual([
        ['py', 0.92],
        ['law', 0.92],
      ]);
    });
  });

  describe('minimum confidence', () => {
    it('keeps bids below it, marked ineligible; with none eligible there is no winner', () => {
      const { ranked, winner } = rankBids([record('py', 0.2), record('law', 0.1)], { agentDomains, minConfidence: 0.35 });
      expect(ranked.map((r) => [r.slug, r.eligible])).toEqual([
        ['py', false],
        ['law', false],
      ]);
      expect(winner).toBeNull();
    });

    it('is judged on the confidence bid: the boost reorders but never lifts a bid over the bar', () => {
      const { ranked, winner } = rankBids([record('py', 0.34), record('law', 0.36)], { domainHint: 'engineering', agentDomains, minConfidence: 0.35 });
      expect(ranked.map((r) => [r.slug, r.score, r.eligible])).toEqual([
        ['py', 0.391, false],
        ['law', 0.36, true],
      ]);
      expect(winner?.slug).toBe('law');
    });

    it('admits a bid exactly at the bar', () => {
      expect(rankBids([record('py', 0.35)], { agentDomains, minConfidence: 0.35 }).winner?.slug).toBe('py');
    });
  });
});
