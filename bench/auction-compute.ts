import type { RosterEntry } from '../src/modules/agents/agent-registry.js';
import { buildBidders } from '../src/modules/auctions/bidders.js';
import { collectBids, createRelevanceIndex, rankBids } from '../src/modules/auctions/engine/index.js';
import { fmt, percentile, type Row } from './stats.js';

const ROUNDS = 2_000;

/**
 * The auction's own compute for the whole roster (relevance scoring, every in-process
 * bid, ranking), against a baseline that only sorts the same number of random scores:
 * the least any auction could do.
 */
export async function benchAuctionCompute(roster: readonly RosterEntry[]): Promise<Row[]> {
  const index = createRelevanceIndex(roster.map((e) => e.profile));
  const agentDomains = new Map(roster.map((e) => [e.profile.slug, e.profile.domain]));
  const texts = ['What is 17% of 2,340?', 'Write a Python function that validates email addresses using regex', 'Review this NDA for risky clauses'];
  const auction = async (text: string) => {
    const intent = { intentId: 'bench', text, domain: null, deadline: Date.now() + 1000 };
    const records = await collectBids(buildBidders(roster, intent, index.score(text), true), { deadlineMs: 1000, now: () => performance.now() });
    return rankBids(records, { agentDomains, minConfidence: 0.35 });
  };
  const baseline = () => Array.from({ length: roster.length }, () => Math.random()).sort((a, b) => b - a);
  for (let i = 0; i < 200; i++) {
    await auction(texts[i % 3]!);
    baseline();
  }
  const gavel: number[] = [];
  const base: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    let t0 = performance.now();
    await auction(texts[i % 3]!);
    gavel.push(performance.now() - t0);
    t0 = performance.now();
    baseline();
    base.push(performance.now() - t0);
  }
  const p50 = percentile(gavel, 50);
  const b50 = percentile(base, 50);
  return [
    {
      benchmark: `auction compute p50 (ms, ${roster.length} bids)`,
      value: fmt(p50, 3),
      baseline: `${fmt(b50, 3)} sort ${roster.length} scores`,
      ratio: `${fmt(p50 / b50, 1)}×`,
      target: '',
    },
    { benchmark: 'auction compute p99 (ms)', value: fmt(percentile(gavel, 99), 3), baseline: `${fmt(percentile(base, 99), 3)}`, ratio: '', target: '' },
  ];
}
