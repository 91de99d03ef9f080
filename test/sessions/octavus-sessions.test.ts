/**
 * Octavus's agent-session routes against a real gateway, with a real fake OpenAI server:
 * create, read, trigger (SSE of typed events, each checked against the OpenAPI
 * document), cancel, restore; the 409 on a busy session; a dropped stream that does not
 * stop its turn; and Octavus's two permissions on Gavel's scopes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { startFakeOpenAI, type FakeOpenAI, type FakeOpenAIOptions } from '../helpers/fake-openai.js';
import { createKey, eventually, intentKey, rest } from '../helpers/http.js';
import { assertDocumentedEvents, assertDocumentedResponse } from '../helpers/openapi.js';

let t: TestApp;
let llm: FakeOpenAI;
const provider: FakeOpenAIOptions = {};
let key: string;

interface Trigger {
  status: number;
  type: string;
  events: Array<Record<string, any>>;
  body: any;
}

/** POST …/trigger, read to its end (or, with `stopAfter`, dropped after that many events); JSON errors parsed. */
async function trigger(id: string, input: unknown, as = key, stopAfter?: number): Promise<Trigger> {
  const path = `/api/agent-sessions/${id}/trigger`;
  const controller = new AbortController();
  const res = await fetch(`${t.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${as}` },
    body: JSON.stringify({ triggerName: 'user-message', input }),
    signal: controller.signal,
  });
  const type = res.headers.get('content-type') ?? '';
  if (!type.startsWith('text/event-stream')) {
    const body = await res.json();
    await assertDocumentedResponse(t.url, 'POST', path, res.status, res.headers, body);
    return { status: res.status, type, events: [], body };
  }
  await assertDocumentedResponse(t.url, 'POST', path, res.status, res.headers, null);
  const events: Array<Record<string, any>> = [];
  const decoder = new TextDecoder();
  let buffer = '';
  const reader = res.body!.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const message = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = message
        .split('\n')
        .filter((l) => l.startsWith('data: '))
        .map((l) => l.slice(6))
        .join('\n');
      if (data) events.push(JSON.parse(data));
    }
    if (stopAfter !== undefined && events.length >= stopAfter) {
      controller.abort();
      break;
    }
  }
  await assertDocumentedEvents(t.url, 'POST', path, 200, events);
  return { status: res.status, type, events, body: null };
}

const types = (r: Trigger) => r.events.map((e) => e.type);
const createSession = async (agentId: string, as = key) => {
  const res = await rest(t.url, 'POST', '/api/agent-sessions', { key: as, body: { agentId, input: { COMPANY: 'Acme' } } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
};

beforeAll(async () => {
  Object.assign(provider, {
    reply: (body) =>
      (body.messages?.at(-1)?.content ?? '').includes('longest') ? ['The Loire', ' is the longest.'] : ['The Seine,', ' the Loire', ' and the Rhône.'],
    usage: { prompt_tokens: 20, completion_tokens: 8 },
  } satisfies FakeOpenAIOptions);
  llm = await startFakeOpenAI(provider);
  t = await startTestApp({ OPENAI_BASE_URL: llm.baseUrl, OPENAI_API_KEY: 'sk-test', GAVEL_MODEL: 'test-model' });
  key = await intentKey(t, 'octavus-sessions');
});
afterAll(async () => {
  await t?.stop();
  await llm?.close();
});

describe('Octavus agent sessions', () => {
  it('streams each turn of an LLM session as typed events, with the conversation sent to the provider', async () => {
    const session = await createSession('generalist');
    expect(session).toMatchObject({ agentSlug: 'generalist', status: 'active', input: { COMPANY: 'Acme' }, turns: [], messages: [] });
    const before = llm.requests.length;

    const first = await trigger(session.id, 'Name three rivers in France');
    expect(first.status).toBe(200);
    expect(types(first)).toEqual(['start', 'text-start', ...first.events.filter((e) => e.type === 'text-delta').map(() => 'text-delta'), 'text-end', 'finish']);
    expect(
      first.events
        .filter((e) => e.type === 'text-delta')
        .map((e) => e.delta)
        .join(''),
    ).toBe('The Seine, the Loire and the Rhône.');
    expect(first.events.at(-1)).toMatchObject({ type: 'finish', finishReason: 'stop', usage: { inputTokens: 20, outputTokens: 8 } });

    const second = await trigger(session.id, { USER_MESSAGE: 'Which of them is the longest?' });
    expect(types(second).at(0)).toBe('start');
    expect(second.events.filter((e) => e.type === 'finish' || e.type === 'error')).toHaveLength(1);
    const lastRequest = llm.requests
      .slice(before)
      .at(-1)!
      .body.messages!.filter((m) => m.role !== 'system');
    expect(lastRequest.map((m) => m.content)).toEqual(['Name three rivers in France', 'The Seine, the Loire and the Rhône.', 'Which of them is the longest?']);

    const read = await rest(t.url, 'GET', `/api/agent-sessions/${session.id}`, { key });
    expect(read.status).toBe(200);
    expect(read.body.turns).toHaveLength(2);
    for (const turn of read.body.turns) {
      expect(turn.status).toBe('completed');
      expect(turn.costUsd).toBeGreaterThan(0);
      expect(turn.usage).toEqual({ inputTokens: 20, outputTokens: 8 });
    }
    expect(read.body.messages.map((m: any) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
  });

  it('streams a tool agent as tool input and output, on a sandbox key', async () => {
    const sandbox = (await createKey(t.url, t.rootKey, { tenant: 'octavus-sessions', tier: 'pro', scopes: ['intent_submit', 'intent_read'], sandbox: true }))
      .key;
    const session = await createSession('unit-converter', sandbox);
    const turn = await trigger(session.id, 'Convert 10 km to miles', sandbox);
    expect(types(turn)).toEqual([
      'start',
      'tool-input-start',
      'tool-input-available',
      'tool-output-available',
      'text-start',
      'text-delta',
      'text-end',
      'finish',
    ]);
    expect(turn.events[2]).toMatchObject({ toolName: 'unit-converter', input: { text: 'Convert 10 km to miles' } });
    expect(turn.events[3]!.output).toMatch(/6\.21/);
    expect(turn.events.at(-1)).toMatchObject({ finishReason: 'stop', costUsd: 0 });
  });

  it('refuses a trigger while a turn runs (409), keeps a dropped turn running, and cancels a running turn', async () => {
    const session = await createSession('generalist');
    provider.chunkDelayMs = 250;
    try {
      // The client goes away after `start`: the turn goes on and can be read afterwards.
      const dropped = await trigger(session.id, 'Name three rivers in France', key, 1);
      expect(types(dropped)[0]).toBe('start');
      expect(types(dropped)).not.toContain('finish');
      const busy = await trigger(session.id, 'And a fourth?');
      expect(busy.status).toBe(409);
      expect(busy.body.error.code).toBe('conflict');
      const done = await eventually(
        () => rest(t.url, 'GET', `/api/agent-sessions/${session.id}`, { key }),
        (r) => r.body.turns[0]?.status === 'completed',
      );
      expect(done.body.turns[0].output).toBe('The Seine, the Loire and the Rhône.');

      // A running turn is cancelled with DELETE; its stream ends with one finish.
      const streaming = trigger(session.id, 'Name three rivers in France');
      await eventually(
        () => rest(t.url, 'GET', `/api/agent-sessions/${session.id}`, { key }),
        (r) => r.body.turns.length === 2,
      );
      const cancelled = await rest(t.url, 'DELETE', `/api/agent-sessions/${session.id}/trigger`, { key });
      expect(cancelled.status).toBe(200);
      expect(cancelled.body).toMatchObject({ seq: 2, status: 'cancelled' });
      const ended = await streaming;
      expect(ended.events.at(-1)).toMatchObject({ type: 'finish', finishReason: 'other' });
      expect(ended.events.filter((e) => e.type === 'finish' || e.type === 'error')).toHaveLength(1);
      expect((await rest(t.url, 'DELETE', `/api/agent-sessions/${session.id}/trigger`, { key })).status).toBe(409);
    } finally {
      provider.chunkDelayMs = 0;
    }
  });

  it('ends a turn that fails with one error event', async () => {
    const session = await createSession('generalist');
    provider.errorStatus = 400;
    try {
      const failed = await trigger(session.id, 'Name three rivers in France');
      // Every attempt failed at the LLM provider: retryable once it is back (issue 15's provider failures).
      expect(failed.events.at(-1)).toMatchObject({ type: 'error', errorType: 'provider_unavailable', retryable: true });
      expect(failed.events.filter((e) => e.type === 'finish' || e.type === 'error')).toHaveLength(1);
    } finally {
      delete provider.errorStatus;
    }
  });

  it("answers bad input, a missing session and a missing key with Octavus's statuses", async () => {
    expect((await rest(t.url, 'POST', '/api/agent-sessions', { key, body: {} })).status).toBe(400);
    expect((await rest(t.url, 'POST', '/api/agent-sessions', { key, body: { agentId: 'no-such-agent' } })).status).toBe(404);
    expect((await rest(t.url, 'GET', '/api/agent-sessions/ses_missing', { key })).status).toBe(404);
    expect((await rest(t.url, 'GET', '/api/agent-sessions/ses_missing')).status).toBe(401);
    const session = await createSession('unit-converter');
    expect((await trigger(session.id, { other: 'x' })).status).toBe(400);
    expect((await trigger(session.id, '')).status).toBe(400);
  });

  it("maps Octavus's Sessions and Agents permissions onto scopes, both ways", async () => {
    const sessionsKey = (await createKey(t.url, t.rootKey, { tenant: 'octavus-perms', tier: 'pro', scopes: ['intent_submit', 'intent_read'] })).key;
    const agentsKey = (await createKey(t.url, t.rootKey, { tenant: 'operator', tier: 'enterprise', scopes: ['agents_write'] })).key;
    const agent = {
      slug: 'perm-probe',
      kind: 'llm',
      name: 'Probe',
      emoji: '🔎',
      domain: 'general',
      skills: ['probing'],
      description: 'Checks permissions',
      systemPrompt: 'You probe.',
      version: '1.0.0',
      priceInputPerMTok: 1,
      priceOutputPerMTok: 1,
    };
    // Sessions: create and trigger sessions, read agents; never change them.
    expect((await rest(t.url, 'GET', '/api/agents/unit-converter', { key: sessionsKey })).status).toBe(200);
    expect((await rest(t.url, 'POST', '/api/agents', { key: sessionsKey, body: agent })).status).toBe(403);
    expect((await rest(t.url, 'PATCH', '/api/agents/unit-converter', { key: sessionsKey, body: { description: 'x' } })).status).toBe(403);
    const session = await createSession('unit-converter', sessionsKey);
    expect(types(await trigger(session.id, 'Convert 2 km to miles', sessionsKey)).at(-1)).toBe('finish');
    // Agents: create, update and read agent definitions; never run sessions.
    const created = await rest(t.url, 'POST', '/api/agents', { key: agentsKey, body: agent });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect((await rest(t.url, 'PATCH', '/api/agents/perm-probe', { key: agentsKey, body: { description: 'Updated' } })).status).toBe(200);
    expect((await rest(t.url, 'GET', '/api/agents/perm-probe', { key: agentsKey })).status).toBe(200);
    expect((await rest(t.url, 'POST', '/api/agent-sessions', { key: agentsKey, body: { agentId: 'unit-converter' } })).status).toBe(403);
    expect((await rest(t.url, 'GET', `/api/agent-sessions/${session.id}`, { key: agentsKey })).status).toBe(403);
    expect((await trigger(session.id, 'Convert 3 km to miles', agentsKey)).status).toBe(403);
  });
});

describe('session expiry', () => {
  let e: TestApp;
  let ekey: string;
  beforeAll(async () => {
    e = await startTestApp({ GAVEL_SESSION_IDLE_S: '1' });
    ekey = await intentKey(e, 'octavus-expiry');
  });
  afterAll(async () => {
    await e?.stop();
  });

  it('expires an idle session, refuses its triggers, and restores it', async () => {
    const created = await rest(e.url, 'POST', '/api/agent-sessions', { key: ekey, body: { agentId: 'unit-converter' } });
    expect(created.body.status).toBe('active');
    const expired = await eventually(
      () => rest(e.url, 'GET', `/api/agent-sessions/${created.body.id}`, { key: ekey }),
      (r) => r.body.status === 'expired',
      10_000,
    );
    expect(expired.body.expiresAt).toBeNull();
    const refused = await fetch(`${e.url}/api/agent-sessions/${created.body.id}/trigger`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ekey}` },
      body: JSON.stringify({ input: 'Convert 1 km to miles' }),
    });
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as any).error.message).toMatch(/restore/);
    const restored = await rest(e.url, 'POST', `/api/agent-sessions/${created.body.id}/restore`, { key: ekey });
    expect(restored.status).toBe(200);
    expect(restored.body.status).toBe('active');
    const closed = await rest(e.url, 'DELETE', `/api/agent-sessions/${created.body.id}`, { key: ekey });
    expect(closed.body.status).toBe('closed');
  });
});
