/**
 * The engine end to end, as the auction runner drives it: relevance → bids → ranking →
 * execution with failover. The parts have their own files (engine-*.test.ts).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AgentProfile, BidDecision } from '../../src/modules/agents/types.js';
import { AuctionFailedError, collectBids, createRelevanceIndex, rankBids, runWithFailover, type Bidder } from '../../src/modules/auctions/engine/index.js';

const profile = (slug: string, domain: string, skills: string[], description: string): AgentProfile => ({
  slug,
  name: slug,
  emoji: '🤖',
  domain,
  skills,
  description,
  version: '1.0.0',
  kind: 'llm',
  price: { inputPerMTok: 1, outputPerMTok: 2 },
});
const roster = [
  profile('python-craftsman', 'engineering', ['python', 'regex', 'functions'], 'Writes idiomatic Python code.'),
  profile('python-mentor', 'engineering', ['python', 'functions', 'teaching'], 'Explains and writes Python functions.'),
  profile('contract-counsel', 'legal', ['contracts', 'nda', 'clauses'], 'Drafts and reviews contracts.'),
  profile('remote-python', 'engineering', ['python'], 'An external Python service.'),
  profile('offline-llm', 'engineering', ['python'], 'An LLM without a provider.'),
];
const agentDomains = new Map(roster.map((p) => [p.slug, p.domain]));

/** In-process agents bid their relevance; the remote one answers over a (fake) slow wire. */
function bidders(text: string, domain: string | null): Bidder[] {
  const relevance = createRelevanceIndex(roster).score(text, domain);
  return roster.map((p): Bidder => {
    if (p.slug === 'offline-llm') return { slug: p.slug, unavailable: 'no LLM provider configured' };
    if (p.slug === 'remote-python') {
      return {
        slug: p.slug,
        bid: () => new Promise<BidDecision>((r) => setTimeout(() => r({ type: 'bid', confidence: 0.99, reasoning: 'too late', estimatedCostUsd: 0 }), 5_000)),
      };
    }
    const confidence = relevance.get(p.slug) ?? 0;
    return {
      slug: p.slug,
      bid: async (): Promise<BidDecision> =>
        confidence > 0.05
          ? { type: 'bid', confidence, reasoning: `relevance ${confidence}`, estimatedCostUsd: 0.001 }
          : { type: 'decline', reason: 'not my field' },
    };
  });
}

describe('auction engine, end to end', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  async function auction(text: string, domain: string | null, minConfidence = 0.35) {
    const pending = collectBids(bidders(text, domain), { deadlineMs: 300, now: () => Date.now() });
    await vi.advanceTimersByTimeAsync(300);
    const records = await pending;
    return { records, ...rankBids(records, { domainHint: domain, agentDomains, minConfidence }) };
  }

  it('picks the specialist, stores every bidder, and fails over to the runner-up', async () => {
    const { records, ranked, winner } = await auction('Write a Python function that validates input with a regex', 'engineering');
    expect(records.map((r) => [r.slug, r.outcome])).toEqual([
      ['python-craftsman', 'bid'],
      ['python-mentor', 'bid'],
      ['contract-counsel', 'declined'],
      ['remote-python', 'timed_out'],
      ['offline-llm', 'unavailable'],
    ]);
    expect(ranked).toHaveLength(roster.length);
    expect(winner?.slug).toBe('python-craftsman');

    const eligible = ranked.filter((b) => b.eligible);
    const out = await runWithFailover(
      eligible,
      async (c) => {
        if (c.slug === 'python-craftsman') throw new Error('provider returned 503');
        return `answer from ${c.slug}`;
      },
      { attemptTimeoutMs: 1_000, maxAttempts: 3, now: () => Date.now() },
    );
    expect(out.result).toBe('answer from python-mentor');
    expect(out.attempts.map((a) => [a.slug, a.outcome])).toEqual([
      ['python-craftsman', 'failed'],
      ['python-mentor', 'succeeded'],
    ]);
  });

  it('has no winner when nobody is confident enough, and the failover then has nothing to run', async () => {
    const { ranked, winner } = await auction('Write a Python function that validates input with a regex', null, 0.99);
    expect(winner).toBeNull();
    expect(ranked.some((b) => b.outcome === 'bid')).toBe(true);
    await expect(
      runWithFailover(
        ranked.filter((b) => b.eligible),
        async () => 'x',
        { attemptTimeoutMs: 10, maxAttempts: 3, now: () => Date.now() },
      ),
    ).rejects.toBeInstanceOf(AuctionFailedError);
  });
});
