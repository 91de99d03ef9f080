import { describe, expect, it } from 'vitest';
import type { AgentProfile, BidDecision } from '../../src/modules/agents/types.js';
import {
  AuctionFailedError,
  collectBids,
  createRelevanceIndex,
  rankBids,
  runWithFailover,
  type Bidder,
  type BidRecord,
} from '../../src/modules/auctions/engine/index.js';

/** A hand-driven clock and timer, so deadlines are exact and tests instant. */
function fakeTime() {
  let t = 0;
  const timers: Array<{ at: number; fn: () => void; live: boolean }> = [];
  return {
    now: () => t,
    setTimer: (fn: () => void, ms: number) => {
      const timer = { at: t + ms, fn, live: true };
      timers.push(timer);
      return () => (timer.live = false);
    },
    async advance(ms: number) {
      t += ms;
      for (const timer of timers) {
        if (timer.live && timer.at <= t) {
          timer.live = false;
          timer.fn();
        }
      }
      await new Promise((r) => setImmediate(r));
    },
  };
}

const bid = (confidence: number, estimatedCostUsd = 0.01): BidDecision => ({ type: 'bid', confidence, reasoning: `at ${confidence}`, estimatedCostUsd });
const record = (slug: string, confidence: number, extra: Partial<BidRecord> = {}): BidRecord => ({
  slug,
  outcome: 'bid',
  confidence,
  estimatedCostUsd: 0.01,
  latencyMs: 5,
  ...extra,
});
const profile = (slug: string, domain: string, skills: string[], description: string): AgentProfile => ({
  slug, name: slug, emoji: '🤖', domain, skills, description, version: '1', kind: 'llm', price: { inputPerMTok: 1, outputPerMTok: 2 },
});

describe('collectBids', () => {
  it('asks everyone at once and closes as soon as every bid is in', async () => {
    const clock = fakeTime();
    const started: string[] = [];
    const bidders: Bidder[] = ['a', 'b', 'c'].map((slug) => ({ slug, bid: async () => (started.push(slug), bid(0.5)) }));
    const records = await collectBids(bidders, { deadlineMs: 1000, now: clock.now, setTimer: clock.setTimer });
    expect(started).toEqual(['a', 'b', 'c']);
    expect(records.map((r) => r.outcome)).toEqual(['bid', 'bid', 'bid']);
  });

  it('records a slow bidder as timed out at the deadline and keeps the others; never waits longer', async () => {
    const clock = fakeTime();
    let aborted = false;
    const bidders: Bidder[] = [
      { slug: 'fast', bid: async () => bid(0.9) },
      { slug: 'slow', bid: (signal) => new Promise((_, reject) => signal.addEventListener('abort', () => ((aborted = true), reject(new Error('aborted'))))) },
    ];
    const pending = collectBids(bidders, { deadlineMs: 300, now: clock.now, setTimer: clock.setTimer });
    await clock.advance(299);
    let settled = false;
    void pending.then(() => (settled = true));
    await new Promise((r) => setImmediate(r));
    expect(settled).toBe(false);
    await clock.advance(1);
    const records = await pending;
    expect(records[0]).toMatchObject({ slug: 'fast', outcome: 'bid', confidence: 0.9 });
    expect(records[1]).toMatchObject({ slug: 'slow', outcome: 'timed_out', latencyMs: 300 });
    expect(aborted).toBe(true);
  });

  it('isolates failures: a throwing bidder, a decline, a bad confidence and an unavailable agent each leave a record', async () => {
    const clock = fakeTime();
    const records = await collectBids(
      [
        { slug: 'boom', bid: async () => { throw new Error('kaput'); } },
        { slug: 'nope', bid: async () => ({ type: 'decline', reason: 'not my field' }) },
        { slug: 'liar', bid: async () => bid(1.7) },
        { slug: 'off', unavailable: 'no LLM provider configured' },
        { slug: 'ok', bid: async () => bid(0.4) },
      ],
      { deadlineMs: 100, now: clock.now, setTimer: clock.setTimer },
    );
    expect(records.map((r) => [r.slug, r.outcome, r.detail ?? null])).toEqual([
      ['boom', 'failed', 'kaput'],
      ['nope', 'declined', 'not my field'],
      ['liar', 'failed', 'confidence 1.7 is outside [0, 1]'],
      ['off', 'unavailable', 'no LLM provider configured'],
      ['ok', 'bid', null],
    ]);
  });

  it('streams each bid as it arrives', async () => {
    const clock = fakeTime();
    const seen: string[] = [];
    await collectBids([{ slug: 'x', bid: async () => bid(0.3) }], { deadlineMs: 10, now: clock.now, setTimer: clock.setTimer, onBid: (r) => seen.push(r.slug) });
    expect(seen).toEqual(['x']);
  });
});

describe('rankBids', () => {
  const domains = new Map([['py', 'engineering'], ['law', 'legal'], ['cheap', 'engineering'], ['dear', 'engineering']]);

  it('ranks by confidence, boosts the hinted domain ×1.15 (capped at 1), keeps non-bids last', () => {
    const { ranked, winner } = rankBids(
      [record('law', 0.8), record('py', 0.75), { slug: 'gone', outcome: 'timed_out', latencyMs: 300 }],
      { domainHint: 'engineering', agentDomains: domains, minConfidence: 0.35 },
    );
    expect(ranked.map((r) => [r.slug, r.score])).toEqual([['py', 0.8625], ['law', 0.8], ['gone', 0]]);
    expect(winner?.slug).toBe('py');
  });

  it('breaks ties on lower estimated cost, then on the faster bid', () => {
    const byCost = rankBids([record('dear', 0.7, { estimatedCostUsd: 0.05 }), record('cheap', 0.7, { estimatedCostUsd: 0.01 })], { agentDomains: domains, minConfidence: 0 });
    expect(byCost.winner?.slug).toBe('cheap');
    const bySpeed = rankBids([record('dear', 0.7, { latencyMs: 40 }), record('cheap', 0.7, { latencyMs: 4 })], { agentDomains: domains, minConfidence: 0 });
    expect(bySpeed.winner?.slug).toBe('cheap');
  });

  it('keeps bids under the minimum confidence but never lets them win', () => {
    const { ranked, winner } = rankBids([record('py', 0.2), record('law', 0.1)], { agentDomains: domains, minConfidence: 0.35 });
    expect(ranked).toHaveLength(2);
    expect(ranked.every((r) => !r.eligible)).toBe(true);
    expect(winner).toBeNull();
  });
});

describe('runWithFailover', () => {
  const candidates = [{ slug: 'winner' }, { slug: 'runner-up' }, { slug: 'third' }];

  it('runs the winner alone when it succeeds', async () => {
    const clock = fakeTime();
    const out = await runWithFailover(candidates, async (c) => `by ${c.slug}`, { attemptTimeoutMs: 100, maxAttempts: 3, now: clock.now, setTimer: clock.setTimer });
    expect(out.result).toBe('by winner');
    expect(out.attempts.map((a) => [a.slug, a.outcome])).toEqual([['winner', 'succeeded']]);
  });

  it('hands over to the runner-up when the winner fails, recording the chain', async () => {
    const clock = fakeTime();
    const out = await runWithFailover(
      candidates,
      async (c) => {
        if (c.slug === 'winner') throw new Error('model overloaded');
        return `by ${c.slug}`;
      },
      { attemptTimeoutMs: 100, maxAttempts: 3, now: clock.now, setTimer: clock.setTimer },
    );
    expect(out.result).toBe('by runner-up');
    expect(out.attempts.map((a) => [a.slug, a.outcome, a.error ?? null])).toEqual([
      ['winner', 'failed', 'model overloaded'],
      ['runner-up', 'succeeded', null],
    ]);
  });

  it('times out a hung winner and aborts it', async () => {
    const clock = fakeTime();
    let aborted = false;
    const pending = runWithFailover(
      candidates,
      (c, signal) =>
        c.slug === 'winner'
          ? new Promise<string>((_, reject) => signal.addEventListener('abort', () => ((aborted = true), reject(signal.reason))))
          : Promise.resolve(`by ${c.slug}`),
      { attemptTimeoutMs: 100, maxAttempts: 3, now: clock.now, setTimer: clock.setTimer },
    );
    await clock.advance(100);
    const out = await pending;
    expect(aborted).toBe(true);
    expect(out.attempts.map((a) => a.outcome)).toEqual(['timed_out', 'succeeded']);
  });

  it('shield: a rejected result promotes the next bidder and is counted', async () => {
    const clock = fakeTime();
    const out = await runWithFailover(candidates, async (c) => `by ${c.slug}`, {
      attemptTimeoutMs: 100,
      maxAttempts: 3,
      now: clock.now,
      setTimer: clock.setTimer,
      verify: async (c) => (c.slug === 'winner' ? { accepted: false, reason: 'wrong' } : { accepted: true }),
    });
    expect(out.candidate.slug).toBe('runner-up');
    expect(out.promotions).toBe(1);
    expect(out.attempts.map((a) => a.outcome)).toEqual(['rejected', 'succeeded']);
  });

  it('throws AuctionFailedError with every attempt when all fail, within maxAttempts', async () => {
    const clock = fakeTime();
    const calls: string[] = [];
    const error = await runWithFailover(candidates, async (c) => { calls.push(c.slug); throw new Error('no'); }, { attemptTimeoutMs: 100, maxAttempts: 2, now: clock.now, setTimer: clock.setTimer }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuctionFailedError);
    expect((error as AuctionFailedError).attempts).toHaveLength(2);
    expect(calls).toEqual(['winner', 'runner-up']);
  });
});

describe('relevance index', () => {
  const index = createRelevanceIndex([
    profile('python-craftsman', 'engineering', ['python', 'regex', 'functions', 'typing'], 'Writes idiomatic Python code: functions, regular expressions, validation.'),
    profile('contract-counsel', 'legal', ['contracts', 'nda', 'clauses'], 'Drafts and reviews contracts, NDAs and legal clauses.'),
    profile('k8s-pilot', 'devops', ['kubernetes', 'helm', 'deployments'], 'Operates Kubernetes clusters, Helm charts and rollouts.'),
  ]);

  it('ranks the specialist whose profile matches the intent first, in [0, 1]', () => {
    const scores = index.score('Write a Python function that validates email addresses using regex');
    const py = scores.get('python-craftsman') ?? 0;
    expect(py).toBeGreaterThan(0.35);
    expect(py).toBeLessThanOrEqual(1);
    expect(py).toBeGreaterThan(scores.get('contract-counsel') ?? 0);
    const legal = index.score('Review this NDA contract for risky clauses');
    expect([...legal.entries()].sort((a, b) => b[1] - a[1])[0]?.[0]).toBe('contract-counsel');
  });

  it('gives nobody a score for an intent with nothing in common, or only stop words', () => {
    expect(index.score('the and of').size).toBe(0);
    expect(index.score('bake sourdough bread').size).toBe(0);
  });
});
