import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BidDecision } from '../../src/modules/agents/types.js';
import { collectBids, type Bidder, type BidRecord, type SetTimer } from '../../src/modules/auctions/engine/index.js';

const bid = (confidence: number): BidDecision => ({ type: 'bid', confidence, reasoning: `at ${confidence}`, estimatedCostUsd: 0.01 });
/** Answers after `ms` of (fake) time. */
const after = <T>(ms: number, value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));
/** Never answers on its own; rejects when its signal is aborted. */
const hang = (signal: AbortSignal, onAbort: () => void = () => {}) =>
  new Promise<BidDecision>((_, reject) =>
    signal.addEventListener('abort', () => {
      onAbort();
      reject(signal.reason);
    }),
  );

describe('collectBids', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());
  const window = (deadlineMs: number, onBid?: (r: BidRecord) => void) => ({ deadlineMs, now: () => Date.now(), onBid });

  it('asks every bidder at once, before any answer is in', async () => {
    const asked: string[] = [];
    const bidders: Bidder[] = ['a', 'b', 'c'].map((slug) => ({ slug, bid: () => (asked.push(slug), after(10, bid(0.5))) }));
    const pending = collectBids(bidders, window(1000));
    expect(asked).toEqual(['a', 'b', 'c']);
    await vi.advanceTimersByTimeAsync(10);
    expect((await pending).map((r) => r.outcome)).toEqual(['bid', 'bid', 'bid']);
  });

  it('resolves as soon as every bid is in, without waiting for the deadline', async () => {
    const t0 = Date.now();
    const pending = collectBids(
      [
        { slug: 'a', bid: () => after(5, bid(0.5)) },
        { slug: 'b', bid: () => after(20, bid(0.6)) },
      ],
      window(1000),
    );
    await vi.advanceTimersByTimeAsync(20);
    const records = await pending;
    expect(Date.now() - t0).toBe(20);
    expect(records.map((r) => [r.slug, r.latencyMs])).toEqual([
      ['a', 5],
      ['b', 20],
    ]);
    expect(vi.getTimerCount()).toBe(0); // the deadline timer was cancelled
  });

  it('records a slow bidder as timed out at the deadline, aborts it and keeps the fast bids', async () => {
    let aborted = false;
    const pending = collectBids(
      [
        { slug: 'fast', bid: () => after(10, bid(0.9)) },
        { slug: 'slow', bid: (signal) => hang(signal, () => (aborted = true)) },
      ],
      window(300),
    );
    let settled = false;
    void pending.then(() => (settled = true));
    await vi.advanceTimersByTimeAsync(299);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(settled).toBe(true);
    const records = await pending;
    expect(records[0]).toMatchObject({ slug: 'fast', outcome: 'bid', confidence: 0.9, latencyMs: 10 });
    expect(records[1]).toMatchObject({ slug: 'slow', outcome: 'timed_out', latencyMs: 300 });
    expect(aborted).toBe(true);
  });

  it('ignores an answer that arrives after the window closed', async () => {
    const pending = collectBids([{ slug: 'late', bid: () => after(500, bid(0.99)) }], window(100));
    await vi.advanceTimersByTimeAsync(100);
    const records = await pending;
    await vi.advanceTimersByTimeAsync(400);
    expect(records).toEqual([{ slug: 'late', outcome: 'timed_out', latencyMs: 100, detail: 'no bid within 100 ms' }]);
  });

  it('isolates failures: every bidder leaves exactly one record, whatever it did', async () => {
    const called: string[] = [];
    const records = await collectBids(
      [
        { slug: 'rejects', bid: async () => Promise.reject(new Error('kaput')) },
        {
          slug: 'throws',
          bid: () => {
            throw new Error('sync kaput');
          },
        },
        { slug: 'declines', bid: async () => ({ type: 'decline', reason: 'not my field' }) },
        { slug: 'overconfident', bid: async () => bid(1.7) },
        { slug: 'garbled', bid: async () => ({ nonsense: true }) as unknown as BidDecision },
        { slug: 'off', unavailable: 'no LLM provider configured' },
        { slug: 'ok', bid: async () => (called.push('ok'), bid(0.4)) },
      ],
      window(100),
    );
    expect(records.map((r) => [r.slug, r.outcome, r.detail ?? null])).toEqual([
      ['rejects', 'failed', 'kaput'],
      ['throws', 'failed', 'sync kaput'],
      ['declines', 'declined', 'not my field'],
      ['overconfident', 'failed', 'confidence 1.7 is outside [0, 1]'],
      ['garbled', 'failed', 'answered neither a bid nor a decline'],
      ['off', 'unavailable', 'no LLM provider configured'],
      ['ok', 'bid', null],
    ]);
    expect(called).toEqual(['ok']);
  });

  it('takes answers given at once (no promise) while still asking the rest, and closes only when all are in', async () => {
    const asked: string[] = [];
    const seen: string[] = [];
    const pending = collectBids(
      [
        { slug: 'instant', bid: () => (asked.push('instant'), bid(0.7)) },
        { slug: 'later', bid: () => (asked.push('later'), after(10, bid(0.4))) },
        { slug: 'instant-decline', bid: () => (asked.push('instant-decline'), { type: 'decline', reason: 'not mine' }) },
      ],
      window(1000, (r) => seen.push(r.slug)),
    );
    expect(asked).toEqual(['instant', 'later', 'instant-decline']);
    expect(seen).toEqual(['instant', 'instant-decline']);
    let settled = false;
    void pending.then(() => (settled = true));
    await vi.advanceTimersByTimeAsync(9);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect((await pending).map((r) => [r.slug, r.outcome])).toEqual([
      ['instant', 'bid'],
      ['later', 'bid'],
      ['instant-decline', 'declined'],
    ]);
  });

  it('needs no window when every answer is given at once, and still judges each one', async () => {
    const records = await collectBids(
      [
        { slug: 'a', bid: () => bid(0.5) },
        { slug: 'b', bid: () => bid(2) },
      ],
      window(1000),
    );
    expect(records.map((r) => [r.slug, r.outcome])).toEqual([
      ['a', 'bid'],
      ['b', 'failed'],
    ]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('records unavailable agents without calling them, and needs no window when nobody can bid', async () => {
    const records = await collectBids([{ slug: 'off', unavailable: 'circuit open' }], window(1000));
    expect(records).toEqual([{ slug: 'off', outcome: 'unavailable', latencyMs: 0, detail: 'circuit open' }]);
    expect(vi.getTimerCount()).toBe(0);
    expect(await collectBids([], window(1000))).toEqual([]);
  });

  it('keeps a bid whose cost estimate is unusable, without making it look free', async () => {
    const [record] = await collectBids([{ slug: 'x', bid: async () => ({ ...bid(0.5), estimatedCostUsd: Number.NaN }) }], window(10));
    expect(record).toMatchObject({ outcome: 'bid', confidence: 0.5 });
    expect(record?.estimatedCostUsd).toBeUndefined();
  });

  it('streams each answer as it arrives, in arrival order; a throwing listener changes nothing', async () => {
    const seen: string[] = [];
    const pending = collectBids(
      [
        { slug: 'slow', bid: () => after(50, bid(0.3)) },
        { slug: 'quick', bid: () => after(10, { type: 'decline', reason: 'no' } as BidDecision) },
        { slug: 'hung', bid: (signal) => hang(signal) },
        { slug: 'off', unavailable: 'no provider' },
      ],
      window(100, (r) => {
        seen.push(`${r.slug}:${r.outcome}`);
        throw new Error('listener bug');
      }),
    );
    await vi.advanceTimersByTimeAsync(100);
    const records = await pending;
    // Timed-out and unavailable records are not answers: the caller stores them from the result.
    expect(seen).toEqual(['quick:declined', 'slow:bid']);
    expect(records.map((r) => r.outcome)).toEqual(['bid', 'declined', 'timed_out', 'unavailable']);
  });

  it('takes its clock and timer from the caller', async () => {
    vi.useRealTimers();
    let t = 1_000;
    let fire: () => void = () => {};
    const setTimer: SetTimer = (fn) => ((fire = fn), () => {});
    const pending = collectBids([{ slug: 'hung', bid: (signal) => hang(signal) }], { deadlineMs: 250, now: () => t, setTimer });
    t += 250;
    fire();
    expect(await pending).toMatchObject([{ slug: 'hung', outcome: 'timed_out', latencyMs: 250 }]);
  });
});
