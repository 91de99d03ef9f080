import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { startFakeOpenAI, type FakeOpenAI, type FakeOpenAIOptions } from '../helpers/fake-openai.js';
import { intentKey, rest } from '../helpers/http.js';

/* A gateway whose real LLM provider fails, then recovers: 503 with the cause and Retry-After, and back at the first trial. */

let t: TestApp;
let llm: FakeOpenAI;
const provider: FakeOpenAIOptions = {};
let key: string;

beforeAll(async () => {
  llm = await startFakeOpenAI(provider);
  t = await startTestApp({ OPENAI_BASE_URL: llm.baseUrl, GAVEL_BREAKER_THRESHOLD: '1', GAVEL_BREAKER_COOLDOWN_MS: '1000' });
  key = await intentKey(t, 'outage-co', 'pro');
});
afterAll(async () => {
  await t?.stop();
  await llm?.close();
});

describe('an LLM provider outage', () => {
  it('is a retryable 503 naming the provider, its status and its message; its circuit opens; the first trial after it closes it', async () => {
    Object.assign(provider, { errorStatus: 500, errorMessage: 'upstream model crashed' });
    const res = await rest(t.url, 'POST', '/api/intents', { key, body: { text: 'Help me name my bakery' } });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('10');
    expect(res.body.error).toMatchObject({ code: 'service_unavailable', reason: 'provider_unavailable', retry_after: 10 });
    expect(res.body.error.message).toContain(`the LLM provider at ${llm.baseUrl} answered 500: upstream model crashed`);
    const stored = await rest(t.url, 'GET', `/api/intents/${res.body.error.intent_id}`, { key });
    const attempts = stored.body.meta.attempts as Array<{ error: string }>;
    expect(attempts.length).toBeGreaterThan(0);
    expect(attempts[0]!.error).toBe(`the LLM provider at ${llm.baseUrl} answered 500: upstream model crashed`);

    // One failure (the threshold here) opened the provider's one circuit: the next intent is refused without a call.
    const calls = llm.requests.length;
    const open = await rest(t.url, 'POST', '/api/intents', { key, body: { text: 'Help me name my bakery' } });
    expect(open.status).toBe(503);
    expect(open.body.error).toMatchObject({ reason: 'provider_unavailable', message: expect.stringContaining('circuit open') });
    expect(llm.requests.length).toBe(calls);

    // The provider recovers; after the cool-down the first intent is the trial, and it is served.
    delete provider.errorStatus;
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const back = await rest(t.url, 'POST', '/api/intents', { key, body: { text: 'Help me name my bakery' } });
    expect(back.status).toBe(200);
    expect(back.body.status).toBe('completed');
  });
});
