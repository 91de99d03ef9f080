import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AuctionFailedError, runWithFailover, type FailoverOptions } from '../../src/modules/auctions/engine/index.js';

type Candidate = { slug: string };
const candidates: Candidate[] = [{ slug: 'winner' }, { slug: 'runner-up' }, { slug: 'third' }];
const options = (extra: Partial<FailoverOptions<Candidate, string>> = {}): FailoverOptions<Candidate, string> => ({
  attemptTimeoutMs: 100,
  maxAttempts: 3,
  now: () => Date.now(),
  ...extra,
});
const byItself = async (c: Candidate) => `by ${c.slug}`;
const failing = (slugs: string[]) => async (c: Candidate) => {
  if (slugs.includes(c.slug)) throw new Error(`${c.slug} overloaded`);
  return `by ${c.slug}`;
};
const failedWith = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.unreachable('should have failed'),
    (e: unknown) => e as AuctionFailedError,
  );

describe('runWithFailover', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('runs the winner alone when it succeeds', async () => {
    const out = await runWithFailover(candidates, byItself, options());
    expect(out).toMatchObject({ result: 'by winner', candidate: { slug: 'winner' }, promotions: 0 });
    expect(out.attempts.map((a) => [a.slug, a.outcome])).toEqual([['winner', 'succeeded']]);
  });

  it('hands over to the runner-up when the winner fails, recording the chain in order', async () => {
    const out = await runWithFailover(candidates, failing(['winner']), options());
    expect(out.result).toBe('by runner-up');
    expect(out.attempts.map((a) => [a.slug, a.outcome, a.error ?? null])).toEqual([
      ['winner', 'failed', 'winner overloaded'],
      ['runner-up', 'succeeded', null],
    ]);
  });

  it('goes down the list past several failures', async () => {
    const out = await runWithFailover(candidates, failing(['winner', 'runner-up']), options());
    expect(out.candidate.slug).toBe('third');
    expect(out.attempts.map((a) => a.outcome)).toEqual(['failed', 'failed', 'succeeded']);
  });

  it('times out a hung winner, aborts it, and records when each attempt started and ended', async () => {
    const t0 = Date.now();
    let aborted = false;
    const pending = runWithFailover(
      candidates,
      (c, signal) =>
        c.slug === 'winner'
          ? new Promise<string>((_, reject) => signal.addEventListener('abort', () => ((aborted = true), reject(signal.reason))))
          : new Promise<string>((resolve) => setTimeout(() => resolve(`by ${c.slug}`), 30)),
      options(),
    );
    await vi.advanceTimersByTimeAsync(130);
    const out = await pending;
    expect(aborted).toBe(true);
    expect(out.attempts).toEqual([
      { slug: 'winner', outcome: 'timed_out', error: 'no result within 100 ms', startedAt: t0, finishedAt: t0 + 100 },
      { slug: 'runner-up', outcome: 'succeeded', startedAt: t0 + 100, finishedAt: t0 + 130 },
    ]);
  });

  it('times out an execution that ignores its abort signal', async () => {
    const pending = runWithFailover(candidates, (c) => (c.slug === 'winner' ? new Promise<string>(() => {}) : byItself(c)), options());
    await vi.advanceTimersByTimeAsync(100);
    expect((await pending).attempts.map((a) => a.outcome)).toEqual(['timed_out', 'succeeded']);
  });

  it('throws AuctionFailedError with every attempt when all fail, trying at most maxAttempts', async () => {
    const calls: string[] = [];
    const error = await failedWith(
      runWithFailover(
        candidates,
        async (c) => {
          calls.push(c.slug);
          throw new Error('no');
        },
        options({ maxAttempts: 2 }),
      ),
    );
    expect(error).toBeInstanceOf(AuctionFailedError);
    expect(error.attempts.map((a) => [a.slug, a.outcome])).toEqual([
      ['winner', 'failed'],
      ['runner-up', 'failed'],
    ]);
    expect(calls).toEqual(['winner', 'runner-up']);
  });

  it('throws AuctionFailedError with no attempts when there is no candidate', async () => {
    const error = await failedWith(runWithFailover([], byItself, options()));
    expect(error).toBeInstanceOf(AuctionFailedError);
    expect(error.attempts).toEqual([]);
  });

  describe('shield verification', () => {
    it('promotes the next candidate when a result is rejected, and counts the promotion', async () => {
      const verified: string[] = [];
      const out = await runWithFailover(
        candidates,
        byItself,
        options({
          verify: async (c, result) => {
            verified.push(result);
            return c.slug === 'winner' ? { accepted: false, reason: 'wrong total' } : { accepted: true };
          },
        }),
      );
      expect(out).toMatchObject({ result: 'by runner-up', candidate: { slug: 'runner-up' }, promotions: 1 });
      expect(verified).toEqual(['by winner', 'by runner-up']);
      expect(out.attempts.map((a) => [a.slug, a.outcome, a.error ?? null])).toEqual([
        ['winner', 'rejected', 'wrong total'],
        ['runner-up', 'succeeded', null],
      ]);
    });

    it('counts every rejection, and fails with the chain when every result is rejected', async () => {
      const error = await failedWith(runWithFailover(candidates, byItself, options({ verify: async () => ({ accepted: false }) })));
      expect(error.attempts.map((a) => [a.outcome, a.error])).toEqual([
        ['rejected', 'rejected by the verifier'],
        ['rejected', 'rejected by the verifier'],
        ['rejected', 'rejected by the verifier'],
      ]);
    });

    it('does not verify a failed execution, and mixes failures and rejections in one chain', async () => {
      const verified: string[] = [];
      const out = await runWithFailover(
        candidates,
        failing(['winner']),
        options({
          verify: async (c) => (verified.push(c.slug), { accepted: c.slug === 'third' }),
        }),
      );
      expect(verified).toEqual(['runner-up', 'third']);
      expect(out.promotions).toBe(1);
      expect(out.attempts.map((a) => a.outcome)).toEqual(['failed', 'rejected', 'succeeded']);
    });

    it('records a verifier that throws as a failed attempt (not a promotion) and moves on', async () => {
      const out = await runWithFailover(
        candidates,
        byItself,
        options({
          verify: async (c) => {
            if (c.slug === 'winner') throw new Error('judge unreachable');
            return { accepted: true };
          },
        }),
      );
      expect(out.promotions).toBe(0);
      expect(out.attempts.map((a) => [a.slug, a.outcome, a.error ?? null])).toEqual([
        ['winner', 'failed', 'verification failed: judge unreachable'],
        ['runner-up', 'succeeded', null],
      ]);
    });
  });
});
