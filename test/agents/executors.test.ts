import type { ChildProcess } from 'node:child_process';
import { spawnExampleAgent } from '../helpers/process.js';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { CircuitBreaker } from '../../src/modules/agents/executors/circuit-breaker.js';
import { DeadlineExceededError } from '../../src/modules/agents/executors/deadline.js';
import { createGuardedFetch } from '../../src/lib/guarded-http.js';
import { createHttpExecutor, ENDPOINT } from '../../src/modules/agents/executors/http.js';
import { createLlmExecutor, NO_PROVIDER_REASON, type LlmProvider } from '../../src/modules/agents/executors/llm.js';
import { signAgentRequest } from '../../src/modules/agents/executors/signing.js';
import { countTokens } from '../../src/modules/agents/executors/tokens.js';
import type { IntentForAgents } from '../../src/modules/agents/types.js';
import { writerProfile as profile } from '../helpers/agents.js';
import { startFakeOpenAI, type FakeOpenAIOptions } from '../helpers/fake-openai.js';

function intent(text: string, deadlineInMs = 10_000): IntentForAgents {
  return { intentId: 'intent-1', text, domain: 'writing', deadline: Date.now() + deadlineInMs };
}

const never = () => new AbortController().signal;
/** The example agent listens on 127.0.0.1. */
const local = createGuardedFetch({ allowPrivate: true });

async function fakeProvider(options: FakeOpenAIOptions = {}, provider: Partial<LlmProvider> = {}) {
  const fake = await startFakeOpenAI(options);
  onTestFinished(() => fake.close());
  return { fake, provider: { baseUrl: fake.baseUrl, apiKey: 'sk-test-123', ...provider } };
}

describe('LLM executor', () => {
  it('streams the reply in order and returns the usage the provider reports', async () => {
    const { provider } = await fakeProvider({ chunks: ['Roses', ' are', ' red'], usage: { prompt_tokens: 21, completion_tokens: 3 } });
    const chunks: string[] = [];
    const result = await createLlmExecutor(profile(), provider).execute(intent('Write a line'), (c) => chunks.push(c), never());
    expect(chunks).toEqual(['Roses', ' are', ' red']);
    expect(result).toEqual({ output: 'Roses are red', usage: { inputTokens: 21, outputTokens: 3 } });
  });

  it("sends the agent's system prompt, its model, the intent and the bearer key, and asks for usage", async () => {
    const { fake, provider } = await fakeProvider();
    await createLlmExecutor(profile(), provider).execute(intent('Summarise RFC 9110'), () => {}, never());
    const [request] = fake.requests;
    expect(request?.path).toBe('/v1/chat/completions');
    expect(request?.headers.authorization).toBe('Bearer sk-test-123');
    expect(request?.body).toMatchObject({
      model: 'writer-model-1',
      stream: true,
      stream_options: { include_usage: true },
      messages: [
        { role: 'system', content: 'You are a careful technical writer.' },
        { role: 'user', content: 'Summarise RFC 9110' },
      ],
    });
  });

  it("falls back to the provider's default model, then gpt-4o-mini, and sends no key when there is none", async () => {
    const { fake, provider } = await fakeProvider({}, { apiKey: undefined, defaultModel: 'local-llama' });
    await createLlmExecutor(profile({ model: undefined }), provider).execute(intent('hi'), () => {}, never());
    await createLlmExecutor(profile({ model: undefined }), { baseUrl: `${fake.baseUrl}/` }).execute(intent('hi'), () => {}, never());
    expect(fake.requests.map((r) => r.body.model)).toEqual(['local-llama', 'gpt-4o-mini']);
    expect(fake.requests.map((r) => r.headers.authorization)).toEqual([undefined, undefined]);
  });

  it('returns no usage when the provider reports none, so the caller counts tokens', async () => {
    const { provider } = await fakeProvider({ chunks: ['Four', ' words', ' of', ' output'], usage: null });
    const result = await createLlmExecutor(profile(), provider).execute(intent('Say four words'), () => {}, never());
    expect(result).toEqual({ output: 'Four words of output' });
    expect(countTokens(result.output)).toBe(4);
  });

  it("fails with the status and the provider's own message on a non-2xx answer", async () => {
    const { provider } = await fakeProvider({ errorStatus: 429, errorMessage: 'Rate limit reached for gpt-4o-mini' });
    await expect(createLlmExecutor(profile(), provider).execute(intent('hi'), () => {}, never())).rejects.toThrow(
      `the LLM provider at ${provider.baseUrl} answered 429: Rate limit reached for gpt-4o-mini`,
    );
  });

  it('rejects a stream that ends before the completion finished', async () => {
    const { provider } = await fakeProvider({ chunks: ['a', 'b', 'c'], cutAfter: 1 });
    await expect(createLlmExecutor(profile(), provider).execute(intent('hi'), () => {}, never())).rejects.toThrow(
      'stream ended before the completion finished',
    );
  });

  it('stops at the deadline and hangs up on the provider', async () => {
    const { fake, provider } = await fakeProvider({ chunkDelayMs: 150 });
    const chunks: string[] = [];
    const started = Date.now();
    const run = createLlmExecutor(profile(), provider).execute(intent('hi', 250), (c) => chunks.push(c), never());
    await expect(run).rejects.toBeInstanceOf(DeadlineExceededError);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(chunks.length).toBeLessThan(5); // cut mid-reply
    await expect.poll(() => fake.abandoned()).toBe(1);
  });

  it("stops when the caller aborts, with the caller's reason, and does not count it against the agent", async () => {
    const { provider } = await fakeProvider({ chunkDelayMs: 100 });
    const breaker = new CircuitBreaker({ threshold: 1 });
    const controller = new AbortController();
    const run = createLlmExecutor(profile(), provider, { breaker }).execute(
      intent('hi'),
      () => controller.abort(new Error('intent cancelled')),
      controller.signal,
    );
    await expect(run).rejects.toThrow('intent cancelled');
    expect(breaker.availability()).toEqual({ available: true });
  });

  it('is unavailable without a provider, and never bids itself', async () => {
    const executor = createLlmExecutor(profile(), null);
    expect(executor.availability()).toEqual({ available: false, reason: NO_PROVIDER_REASON, cause: 'provider_not_configured' });
    expect(NO_PROVIDER_REASON).toContain('OPENAI_BASE_URL');
    await expect(executor.execute(intent('hi'), () => {}, never())).rejects.toThrow(NO_PROVIDER_REASON);
    await expect(executor.bid(intent('hi'), never())).rejects.toThrow('relevance index');
  });

  it('opens its circuit after consecutive failures, and closes it after a successful trial', async () => {
    let now = 1_000_000;
    const breaker = new CircuitBreaker({ threshold: 3, coolDownMs: 30_000, now: () => now });
    const { provider: failing } = await fakeProvider({ errorStatus: 500 });
    const { provider: healthy } = await fakeProvider();
    const broken = createLlmExecutor(profile(), failing, { breaker });
    for (let i = 0; i < 3; i++) {
      expect(broken.availability()).toEqual({ available: true });
      await expect(broken.execute(intent('hi'), () => {}, never())).rejects.toThrow('500');
    }
    expect(broken.availability()).toMatchObject({ available: false, reason: expect.stringContaining('circuit open'), cause: 'provider_unavailable' });
    await expect(broken.execute(intent('hi'), () => {}, never())).rejects.toThrow(`the LLM provider at ${failing.baseUrl}: circuit open`);

    now += 30_000; // cool-down over: one trial call; failing it reopens at once
    expect(broken.availability()).toEqual({ available: true });
    await expect(broken.execute(intent('hi'), () => {}, never())).rejects.toThrow('500');
    expect(broken.availability()).toMatchObject({ available: false, reason: expect.stringContaining('circuit open') });

    now += 30_000;
    await createLlmExecutor(profile(), healthy, { breaker }).execute(intent('hi'), () => {}, never());
    await expect(broken.execute(intent('hi'), () => {}, never())).rejects.toThrow('500');
    expect(breaker.availability()).toEqual({ available: true }); // closed again: one failure is not enough
  });
});

describe('HTTP executor against the example agent', () => {
  const SECRET = 'example-agent-secret-0123456789';
  let agent: { child: ChildProcess; url: string };
  const poet = () =>
    createHttpExecutor({ ...profile({ kind: 'http', slug: 'haiku-poet' }), endpoint: agent.url }, { secrets: { current: SECRET }, fetch: local });

  beforeAll(async () => {
    agent = await spawnExampleAgent(SECRET);
  });
  afterAll(() => {
    agent?.child.kill('SIGTERM');
  });

  it('gets a signed bid accepted', async () => {
    const decision = await poet().bid(intent('Write a haiku about autumn rain'), never());
    expect(decision).toEqual({ type: 'bid', confidence: 0.9, reasoning: expect.stringContaining('haiku') as string, estimatedCostUsd: 0.0001 });
  });

  it('is told no on an intent the agent does not serve', async () => {
    expect(await poet().bid(intent('Convert 5 miles to km'), never())).toEqual({ type: 'decline', reason: 'only writes haiku and poems' });
  });

  it('cannot be impersonated: unsigned, wrongly signed, stale and replayed calls are refused', async () => {
    const body = JSON.stringify({ call: 'bid', intent_id: 'x', text: 'a haiku please', domain: null, deadline_ms: Date.now() + 5_000 });
    const post = (path: string, headers: Record<string, string>) =>
      fetch(`${agent.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    const signed = (secret: string, timestamp: number) => ({
      'x-gavel-timestamp': String(timestamp),
      'x-gavel-signature': signAgentRequest(secret, body, timestamp),
    });
    const now = Math.floor(Date.now() / 1000);

    expect((await post('/bid', {})).status).toBe(401);
    expect((await post('/bid', signed('some-other-secret', now))).status).toBe(401);
    expect((await post('/bid', signed(SECRET, now - 600))).status).toBe(401);
    expect((await post('/execute', signed(SECRET, now))).status).toBe(400); // a bid's signature does not open /execute
    expect((await post('/bid', signed(SECRET, now))).status).toBe(200);

    const impostor = createHttpExecutor({ ...profile({ kind: 'http' }), endpoint: agent.url }, { secrets: { current: 'not-the-agents-secret' }, fetch: local });
    await expect(impostor.bid(intent('Write a haiku'), never())).rejects.toThrow('bid answered 401');
  });

  it("signs with the replaced secret too during a rotation's grace window, and not after it", async () => {
    const rotated = (until: number) =>
      createHttpExecutor(
        { ...profile({ kind: 'http', slug: 'haiku-poet' }), endpoint: agent.url },
        { secrets: { current: 'the-new-secret-0123456789', previous: { secret: SECRET, until } }, fetch: local },
      );
    expect(await rotated(Date.now() + 60_000).bid(intent('Write a haiku'), never())).toMatchObject({ type: 'bid', confidence: 0.9 });
    await expect(rotated(Date.now() - 1).bid(intent('Write a haiku'), never())).rejects.toThrow('bid answered 401');
  });

  it('does not reach an agent whose name resolves to a private address when private targets are not allowed', async () => {
    const port = new URL(agent.url).port;
    const guarded = createHttpExecutor(
      { ...profile({ kind: 'http' }), endpoint: `http://localhost:${port}` },
      { secrets: { current: SECRET }, fetch: createGuardedFetch({ allowPrivate: false }) },
    );
    await expect(guarded.bid(intent('Write a haiku'), never())).rejects.toThrow('the target is not a public address');
  });

  it('streams the execution in order and returns the usage the agent counted', async () => {
    const chunks: string[] = [];
    const text = 'Write a haiku about autumn rain on tin roofs';
    const result = await poet().execute(intent(text), (c) => chunks.push(c), never());
    expect(chunks.length).toBeGreaterThan(5);
    expect(chunks.join('')).toBe(result.output);
    expect(result.output.split('\n')).toEqual(['Autumn at first light', 'rain drifting where the cold wind goes', 'roofs, then stillness']);
    expect(result.usage).toEqual({ inputTokens: countTokens(text), outputTokens: countTokens(result.output) });
  });

  it('gives up at the deadline, and holds it against the agent', async () => {
    const chunks: string[] = [];
    const started = Date.now();
    const breaker = new CircuitBreaker({ threshold: 1 });
    const slow = createHttpExecutor(
      { ...profile({ kind: 'http', slug: 'haiku-poet' }), endpoint: agent.url },
      { secrets: { current: SECRET }, fetch: local, breaker },
    );
    const run = slow.execute(intent('Write a haiku about the sea', 250), (c) => chunks.push(c), never());
    await expect(run).rejects.toThrow('agent haiku-poet execute did not finish before the deadline');
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(chunks.length).toBeGreaterThan(0); // cut mid-stream: the poem has 14 words, 40 ms apart
    expect(chunks.length).toBeLessThan(12);
    expect(slow.availability()).toMatchObject({ available: false, reason: expect.stringContaining('circuit open') });
  });

  it('opens its circuit when the agent cannot be reached', async () => {
    const breaker = new CircuitBreaker({ threshold: 2, target: ENDPOINT });
    const down = createHttpExecutor({ ...profile({ kind: 'http' }), endpoint: 'http://127.0.0.1:9' }, { secrets: { current: SECRET }, fetch: local, breaker });
    // What happened, and no address: a tenant sees this as the bid's reasoning.
    await expect(down.bid(intent('a haiku'), never())).rejects.toThrow("the agent's endpoint refused the connection (ECONNREFUSED)");
    await expect(down.bid(intent('a haiku'), never())).rejects.toThrow(/^(?!.*127\.0\.0\.1).*ECONNREFUSED/);
    expect(down.availability()).toMatchObject({ available: false, reason: expect.stringContaining("circuit open: the agent's endpoint failed repeatedly") });
    await expect(down.bid(intent('a haiku'), never())).rejects.toThrow('circuit open');
  });
});

describe('HTTP executor answers', () => {
  const reply = (body: unknown, contentType = 'application/json') =>
    createHttpExecutor(
      { ...profile({ kind: 'http' }), endpoint: 'http://agent.invalid' },
      {
        secrets: { current: 'secret' },
        fetch: () => Promise.resolve(new Response(typeof body === 'string' ? body : JSON.stringify(body), { headers: { 'content-type': contentType } })),
      },
    );

  it('refuses a bid whose confidence is not a number in [0, 1]', async () => {
    await expect(reply({ confidence: 1.5 }).bid(intent('x'), never())).rejects.toThrow('confidence must be a number in [0, 1], got 1.5');
    await expect(reply({ confidence: '0.9' }).bid(intent('x'), never())).rejects.toThrow('got "0.9"');
    await expect(reply({ confidence: 0.5, estimated_cost_usd: -1 }).bid(intent('x'), never())).rejects.toThrow('estimated_cost_usd');
    await expect(reply('not json').bid(intent('x'), never())).rejects.toThrow('bid answer is not JSON');
  });

  it('accepts a plain JSON execution reply from a simple agent', async () => {
    const chunks: string[] = [];
    const result = await reply({ output: 'done in one go', usage: { input_tokens: 3, output_tokens: 4 } }).execute(intent('x'), (c) => chunks.push(c), never());
    expect(chunks).toEqual(['done in one go']);
    expect(result).toEqual({ output: 'done in one go', usage: { inputTokens: 3, outputTokens: 4 } });
  });

  it("surfaces an agent's error event", async () => {
    const stream = 'event: chunk\ndata: {"text":"par"}\n\nevent: error\ndata: {"message":"model overloaded"}\n\n';
    await expect(reply(stream, 'text/event-stream').execute(intent('x'), () => {}, never())).rejects.toThrow('agent error: model overloaded');
  });

  it('is unavailable without a secret to sign with or a usable endpoint', () => {
    const http = (endpoint: string, secret: string) =>
      createHttpExecutor({ ...profile({ kind: 'http' }), endpoint }, { secrets: { current: secret }, fetch: local }).availability();
    expect(http('http://agent.example', '')).toMatchObject({ available: false, reason: expect.stringContaining('GAVEL_AGENT_SECRET') as string });
    expect(http('', 'secret')).toMatchObject({ available: false, reason: expect.stringContaining('not an http(s) URL') as string });
  });
});
