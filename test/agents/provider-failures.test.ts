import { describe, expect, it, onTestFinished } from 'vitest';
import { BreakerBoard, CircuitBreaker } from '../../src/modules/agents/executors/circuit-breaker.js';
import { ProviderError } from '../../src/modules/agents/executors/failures.js';
import { createLlmExecutor, type LlmProvider } from '../../src/modules/agents/executors/llm.js';
import type { IntentForAgents } from '../../src/modules/agents/types.js';
import { writerProfile } from '../helpers/agents.js';
import { closedProviderUrl, startFakeOpenAI, type FakeOpenAIOptions } from '../helpers/fake-openai.js';

/* An LLM provider that fails in each real way, against a real HTTP fake: what the executor says, how fast it gives up. */

const profile = (slug = 'test-writer') => writerProfile({ slug, name: slug });

const intent = (deadlineInMs = 20_000): IntentForAgents => ({ intentId: 'intent-1', text: 'hi', domain: null, deadline: Date.now() + deadlineInMs });
const never = () => new AbortController().signal;
const TIMEOUTS = { firstByteMs: 400, idleMs: 400 };

async function fakeProvider(options: FakeOpenAIOptions = {}): Promise<{ provider: LlmProvider; abandoned: () => number; options: FakeOpenAIOptions }> {
  const fake = await startFakeOpenAI(options);
  onTestFinished(() => fake.close());
  return { provider: { baseUrl: fake.baseUrl, timeouts: TIMEOUTS }, abandoned: fake.abandoned, options };
}

/** The executor's failure, and how long it took. */
async function failure(run: Promise<unknown>): Promise<{ error: ProviderError; ms: number }> {
  const started = Date.now();
  const error = await run.then(
    () => {
      throw new Error('the call succeeded');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return { error: error as ProviderError, ms: Date.now() - started };
}

describe('a failing LLM provider says what failed', () => {
  it('connection refused: the configured address and ECONNREFUSED, not "fetch failed"', async () => {
    const baseUrl = await closedProviderUrl();
    const { error } = await failure(createLlmExecutor(profile(), { baseUrl }).execute(intent(), () => {}, never()));
    expect(error.message).toBe(`the LLM provider at ${baseUrl} refused the connection (ECONNREFUSED)`);
    expect(error.kind).toBe('unreachable');
  });

  it("a 500 with an error body: the status and the provider's own message", async () => {
    const { provider } = await fakeProvider({ errorStatus: 500, errorMessage: 'model overloaded, try later' });
    const { error } = await failure(createLlmExecutor(profile(), provider).execute(intent(), () => {}, never()));
    expect(error.message).toBe(`the LLM provider at ${provider.baseUrl} answered 500: model overloaded, try later`);
    expect(error.kind).toBe('status');
  });

  it('a provider that never answers fails at the first-byte timeout, and is hung up on', async () => {
    const { provider, abandoned } = await fakeProvider({ mode: 'hang' });
    const { error, ms } = await failure(createLlmExecutor(profile(), provider).execute(intent(), () => {}, never()));
    expect(error.message).toBe(`the LLM provider at ${provider.baseUrl} did not answer within 0.4 s`);
    expect(error.kind).toBe('timeout');
    expect(ms).toBeGreaterThanOrEqual(380); // it did wait for the provider; the deadline (20 s) was far
    await expect.poll(abandoned).toBe(1);
  });

  it('a stream that goes silent fails at the idle timeout, after the tokens it sent', async () => {
    const { provider, abandoned } = await fakeProvider({ mode: 'hang-mid-stream', hangAfter: 2, chunks: ['one', ' two', ' three'] });
    const chunks: string[] = [];
    const { error } = await failure(createLlmExecutor(profile(), provider).execute(intent(), (c) => chunks.push(c), never()));
    expect(error.message).toBe(`the LLM provider at ${provider.baseUrl} sent nothing for 0.4 s (idle stream)`);
    expect(chunks).toEqual(['one', ' two']);
    await expect.poll(abandoned).toBe(1);
  });

  it('a slow stream that keeps sending is not idle: each token restarts the watch', async () => {
    const { provider } = await fakeProvider({ chunkDelayMs: 150, chunks: ['a', 'b', 'c', 'd', 'e'] });
    const result = await createLlmExecutor(profile(), provider).execute(intent(), () => {}, never());
    expect(result.output).toBe('abcde'); // 750 ms in all, longer than the 400 ms idle limit
  });
});

describe('one circuit per provider, half-open with one trial', () => {
  it('failures of different agents count against their one provider; the open circuit fails fast and says so', async () => {
    const { provider } = await fakeProvider({ errorStatus: 502, errorMessage: 'bad gateway' });
    const board = new BreakerBoard({ threshold: 3, coolDownMs: 60_000 });
    const breaker = () => board.for(`llm ${provider.baseUrl}`, `the LLM provider at ${provider.baseUrl}`);
    const agents = ['a', 'b', 'c', 'd'].map((slug) => createLlmExecutor(profile(slug), provider, { breaker: breaker() }));
    for (const agent of agents.slice(0, 3)) await failure(agent.execute(intent(), () => {}, never()));
    // The fourth agent never called the provider, yet its provider's circuit is open.
    expect(agents[3]!.availability()).toMatchObject({ available: false, cause: 'provider_unavailable' });
    const { error } = await failure(agents[3]!.execute(intent(), () => {}, never()));
    expect(error.kind).toBe('circuit_open');
    expect(error.message).toMatch(new RegExp(`^the LLM provider at ${provider.baseUrl}: circuit open: .* next trial in 60 s$`));
    expect(error.retryAfterSeconds).toBe(60);
  });

  it('after the cool-down one trial runs while the others fail fast; its success closes the circuit for all', async () => {
    let now = 1_000_000;
    const { provider, options } = await fakeProvider({ errorStatus: 500 });
    const breaker = new CircuitBreaker({ threshold: 2, coolDownMs: 30_000, now: () => now, target: 'the provider' });
    const [first, second] = ['a', 'b'].map((slug) => createLlmExecutor(profile(slug), provider, { breaker }));
    await failure(first!.execute(intent(), () => {}, never()));
    await failure(second!.execute(intent(), () => {}, never()));
    expect(first!.availability().available).toBe(false);

    // The provider recovers (slowly); the cool-down passes.
    delete options.errorStatus;
    options.chunkDelayMs = 100;
    now += 30_000;
    expect(first!.availability()).toEqual({ available: true });
    const trial = first!.execute(intent(), () => {}, never());
    await new Promise((resolve) => setTimeout(resolve, 50));
    // While the trial runs, nobody else calls the provider.
    expect(second!.availability()).toMatchObject({ available: false, reason: expect.stringContaining('half-open') });
    const { error, ms } = await failure(second!.execute(intent(), () => {}, never()));
    expect(error.kind).toBe('circuit_open');
    expect(ms).toBeLessThan(100); // refused without a call: the trial itself takes 500 ms
    expect((await trial).output).toBe('Hello from the fake model.');
    // The first trial's success closed it: everyone is back at once.
    expect(second!.availability()).toEqual({ available: true });
    expect((await second!.execute(intent(), () => {}, never())).output).toBe('Hello from the fake model.');
  });

  it('a failed trial opens the circuit again at once', async () => {
    let now = 1_000_000;
    const breaker = new CircuitBreaker({ threshold: 5, coolDownMs: 1_000, now: () => now });
    const fail = () => breaker.run(() => Promise.reject(new Error('down')));
    for (let i = 0; i < 5; i++) await expect(fail()).rejects.toThrow('down');
    expect(breaker.availability().available).toBe(false);
    now += 1_000;
    await expect(fail()).rejects.toThrow('down'); // the trial
    expect(breaker.availability()).toMatchObject({ available: false, retryAfterSeconds: 1 });
    await expect(fail()).rejects.toThrow('circuit open');
  });

  it('the board gives one breaker per key', () => {
    const board = new BreakerBoard();
    expect(board.for('llm http://a/v1', 'a')).toBe(board.for('llm http://a/v1', 'a'));
    expect(board.for('llm http://a/v1', 'a')).not.toBe(board.for('llm http://b/v1', 'b'));
  });
});
