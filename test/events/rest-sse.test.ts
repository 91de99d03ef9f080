import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { readSse } from '../../src/lib/sse.js';
import { expectStreamEndsOnRevoke } from '../helpers/revoked-stream.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { createKey, gql, intentKey, rest } from '../helpers/http.js';
import { registerSilentAgent } from '../helpers/silent-agent.js';

let t: TestApp;
let key: string;
let other: string;
beforeAll(async () => {
  // A short heartbeat, to see it; an agent secret, so that the silent HTTP agent is asked.
  t = await startTestApp({ GAVEL_SSE_HEARTBEAT_MS: '200', GAVEL_AGENT_SECRET: 'rest-sse-agent-secret' });
  key = await intentKey(t, 'sse-co', 'pro');
  other = await intentKey(t, 'sse-other', 'pro');
});
afterAll(() => t?.stop());

async function readAll(res: Response): Promise<Array<{ id?: string; event?: string; data: any }>> {
  const out: Array<{ id?: string; event?: string; data: any }> = [];
  for await (const e of readSse(res.body!)) out.push({ id: e.id, event: e.event, data: JSON.parse(e.data) });
  return out;
}

describe('REST event streams (Server-Sent Events)', () => {
  it('GET /api/intents/:id/events streams every stored event with id = seq and ends after the final one', async () => {
    const done = await rest(t.url, 'POST', '/api/intents', { key, body: { text: 'What is 17% of 2,340?' } });
    const res = await fetch(`${t.url}/api/intents/${done.body.id}/events`, { headers: { authorization: `Bearer ${key}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const events = await readAll(res);
    expect(events.map((e) => Number(e.id))).toEqual(events.map((_, i) => i + 1));
    expect(events[0]!.event).toBe('created');
    expect(events.at(-1)).toMatchObject({ event: 'completed', data: { result: expect.stringContaining('397.8'), intent_id: done.body.id } });

    const resumed = await readAll(
      await fetch(`${t.url}/api/intents/${done.body.id}/events`, { headers: { authorization: `Bearer ${key}`, 'last-event-id': String(events.length - 3) } }),
    );
    expect(resumed.map((e) => Number(e.id))).toEqual([events.length - 2, events.length - 1, events.length]);
  });

  it("answers another tenant's intent with the plain 404 body", async () => {
    const done = await rest(t.url, 'POST', '/api/intents', { key, body: { text: 'What is 3 + 3?' } });
    const res = await rest(t.url, 'GET', `/api/intents/${done.body.id}/events`, { key: other });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });

  it('POST /api/intents with Accept: text/event-stream streams the auction and ends with the receipt', async () => {
    const res = await fetch(`${t.url}/api/intents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ text: 'convert 100 F to C' }),
    });
    expect(res.status).toBe(200);
    const events = await readAll(res);
    expect(events.filter((e) => e.event === 'bid').length).toBeGreaterThan(100);
    expect(events.map((e) => e.event)).toContain('auction_closed');
    const last = events.at(-1)!;
    expect(last.event).toBe('receipt');
    expect(last.data).toMatchObject({ status: 'completed', result: expect.stringContaining('37.77'), cost: { total_tokens: expect.any(Number) } });
  });
});

describe('GraphQL over SSE on /graphql', () => {
  it('streams a subscription as text/event-stream', async () => {
    const id = (await gql(t.url, 'mutation { submitIntent(input: { text: "What is 9 * 9?" }) { id } }', {}, key)).body.data.submitIntent.id;
    const res = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: 'subscription($id: ID!) { intentEvents(intentId: $id) { ... on Event { seq type } } }', variables: { id } }),
    });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const types: string[] = [];
    for await (const e of readSse(res.body!)) {
      if (e.event === 'next') types.push(JSON.parse(e.data).data.intentEvents.type);
      if (e.event === 'complete') break;
    }
    expect(types[0]).toBe('created');
    expect(types.at(-1)).toBe('completed');
  });
});

describe('REST event stream heartbeat', () => {
  it('sends heartbeat comments while the stream is idle', async () => {
    // An HTTP agent that never answers keeps the bid window open: nothing happens for a while.
    await registerSilentAgent(t, 'sse-silent');
    const submitted = await rest(t.url, 'POST', '/api/intents?wait=false', { key, body: { text: 'What is 5 + 5?', bid_window_ms: 3000 } });
    expect(submitted.status).toBe(202);
    const controller = new AbortController();
    onTestFinished(() => controller.abort());
    const res = await fetch(`${t.url}/api/intents/${submitted.body.id}/events`, { headers: { authorization: `Bearer ${key}` }, signal: controller.signal });
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    // The bid window is 3 s long; at 200 ms, several heartbeats come before it closes.
    while ((text.match(/^: heartbeat$/gm) ?? []).length < 3) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    expect((text.match(/^: heartbeat$/gm) ?? []).length).toBeGreaterThanOrEqual(3);
    expect(text).not.toContain('event: completed');
    controller.abort();
  });
});

describe('REST event stream of a revoked key', () => {
  it("ends with an error event carrying the dialect's unauthorized body", async () => {
    // The silent agent holds the bid window open, so the stream is still live when the key goes.
    await registerSilentAgent(t, 'sse-silent-revoked');
    const doomed = await createKey(t.url, t.rootKey, { tenant: 'sse-revoked', tier: 'enterprise', scopes: ['full_access'] });
    const submitted = await rest(t.url, 'POST', '/api/intents?wait=false', { key: doomed.key, body: { text: 'What is 6 + 6?', bid_window_ms: 20_000 } });
    const res = await fetch(`${t.url}/api/intents/${submitted.body.id}/events`, { headers: { authorization: `Bearer ${doomed.key}` } });
    const body = await expectStreamEndsOnRevoke(res, doomed, t.url);
    expect(body).toMatchObject({ error: { message: expect.stringMatching(/revoked/), request_id: expect.any(String) } });
  });
});
