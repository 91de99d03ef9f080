import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { createKey, gql, intentKey, rest, rosterSize } from '../helpers/http.js';

let t: TestApp;
let free: string;
let other: string;
let sandbox: string;
let roster: number;

beforeAll(async () => {
  t = await startTestApp();
  free = await intentKey(t, 'free-co', 'free');
  other = await intentKey(t, 'other-co', 'pro');
  sandbox = await intentKey(t, 'free-co', 'free', { sandbox: true });
  roster = await rosterSize(t.url);
});
afterAll(() => t?.stop());

describe('POST /api/intents (OctoMind)', () => {
  it('answers "What is 17% of 2,340?" with 397.8 from a tool agent, offline, in the documented receipt shape', async () => {
    const res = await rest(t.url, 'POST', '/api/intents', {
      key: free,
      body: { text: 'What is 17% of 2,340?', metadata: { order: 'A-1' } },
    });
    expect(res.status).toBe(200);
    const r = res.body;
    expect(Object.keys(r)).toEqual([
      'id',
      'status',
      'text',
      'created_at',
      'completed_at',
      'duration_ms',
      'winning_agent',
      'result',
      'cost',
      'meta',
      'metadata',
    ]);
    expect(r).toMatchObject({
      id: expect.any(Number),
      status: 'completed',
      text: 'What is 17% of 2,340?',
      winning_agent: {
        name: expect.any(String),
        emoji: expect.any(String),
        confidence: expect.any(Number),
        domain: expect.any(String),
        reasoning: expect.any(String),
      },
      cost: { input_tokens: expect.any(Number), output_tokens: expect.any(Number), total_tokens: expect.any(Number), cost_usd: expect.any(Number) },
      meta: { auction_tier: 'standard', api_key_id: expect.any(String), user_id: expect.any(Number), sandbox: false },
      metadata: { order: 'A-1' },
    });
    expect(r.result).toContain('397.8');
    expect(r.winning_agent.confidence).toBeGreaterThanOrEqual(0.85);
    expect(r.cost.input_tokens).toBeGreaterThan(0);
    expect(r.cost.total_tokens).toBe(r.cost.input_tokens + r.cost.output_tokens);
    expect(r.cost.cost_usd).toBeGreaterThan(0);
    expect(r.duration_ms).toBeGreaterThanOrEqual(0);
    expect(new Date(r.completed_at).getTime()).toBeGreaterThanOrEqual(new Date(r.created_at).getTime());

    const bids = await gql(
      t.url,
      'query($id: ID!) { intent(id: $id) { bids { outcome won eligible rank agent { kind slug } } winningAgent { agent { kind } } } }',
      { id: String(r.id) },
      free,
    );
    const intent = bids.body.data.intent;
    expect(intent.bids).toHaveLength(roster);
    expect(intent.bids.filter((b: { won: boolean }) => b.won)).toHaveLength(1);
    expect(intent.bids[0].won).toBe(true);
    expect(intent.winningAgent.agent.kind).toBe('tool');
    // No provider is configured: LLM agents are reported unavailable, never dropped.
    expect(intent.bids.some((b: { outcome: string; agent: { kind: string } }) => b.agent.kind === 'llm' && b.outcome === 'unavailable')).toBe(true);
  });

  it('with a sandbox key every agent bids, nothing is charged, and the receipt says so', async () => {
    const res = await rest(t.url, 'POST', '/api/intents', { key: sandbox, body: { text: 'What is 17% of 2,340?' } });
    expect(res.status).toBe(200);
    expect(res.body.meta.sandbox).toBe(true);
    expect(res.body.meta.note).toMatch(/sandbox/i);
    expect(res.body.cost.cost_usd).toBe(0);
    const g = await gql(t.url, 'query($id: ID!) { intent(id: $id) { sandbox bids { outcome } } }', { id: String(res.body.id) }, sandbox);
    expect(g.body.data.intent.sandbox).toBe(true);
    expect(g.body.data.intent.bids).toHaveLength(roster);
    expect(g.body.data.intent.bids.every((b: { outcome: string }) => b.outcome === 'bid')).toBe(true);
  });

  it('fails with 503 service_unavailable (reason provider_not_configured) when only an LLM agent could serve it and no provider is configured', async () => {
    const res = await rest(t.url, 'POST', '/api/intents', { key: free, body: { text: 'Help me name my bakery' } });
    expect(res.status).toBe(503);
    expect(res.body.error).toEqual({
      code: 'service_unavailable',
      message: expect.stringContaining('OPENAI_BASE_URL'),
      intent_id: expect.any(Number),
      reason: 'provider_not_configured',
      request_id: expect.any(String),
    });
    expect(res.headers.get('retry-after')).toBeNull(); // not until the operator configures one
    expect(res.headers.get('location')).toBe(`/api/intents/${res.body.error.intent_id}`);
    const stored = await rest(t.url, 'GET', `/api/intents/${res.body.error.intent_id}`, { key: free });
    expect(stored.status).toBe(200);
    expect(stored.body.status).toBe('failed');
    expect(stored.body.meta.error).toEqual({ code: 'provider_not_configured', message: res.body.error.message });
    const g = await gql(t.url, 'query($id: ID!) { intent(id: $id) { error { code } } }', { id: String(res.body.error.intent_id) }, free);
    expect(g.body.data.intent.error.code).toBe('provider_not_configured');
  });

  it('rejects bad input with 400 invalid_request and stores nothing', async () => {
    const before = (await rest(t.url, 'GET', '/api/intents', { key: free })).body.total;
    const bad: unknown[] = [{ text: '' }, { text: '   ' }, { text: 'x'.repeat(8001) }, { text: 'ok', auctionTier: 'platinum' }, { text: 42 }, 'not json'];
    for (const body of bad) {
      const res = await rest(t.url, 'POST', '/api/intents', { key: free, body, headers: { 'content-type': 'application/json' } });
      expect(res.status, JSON.stringify(body).slice(0, 40)).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
    }
    expect((await rest(t.url, 'GET', '/api/intents', { key: free })).body.total).toBe(before);
  });

  it('accepts exactly 8,000 characters', async () => {
    const res = await rest(t.url, 'POST', '/api/intents?wait=false', { key: free, body: { text: 'a'.repeat(8000) } });
    expect(res.status).toBe(202);
  });

  it('refuses the shield tier to Free keys with 403', async () => {
    const res = await rest(t.url, 'POST', '/api/intents', { key: free, body: { text: 'What is 2+2?', auctionTier: 'shield' } });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('forbidden');
  });

  it('without intent_submit scope answers 403', async () => {
    const reader = (await createKey(t.url, t.rootKey, { tenant: 'free-co', scopes: ['intent_read'] })).key;
    const res = await rest(t.url, 'POST', '/api/intents', { key: reader, body: { text: 'What is 2+2?' } });
    expect(res.status).toBe(403);
  });
});

describe('GET /api/intents/:id and /api/intents', () => {
  it("returns the tenant's own receipt; another tenant's id is a plain 404, like a missing one", async () => {
    const mine = await rest(t.url, 'POST', '/api/intents', { key: free, body: { text: 'convert 5 km to miles' } });
    const got = await rest(t.url, 'GET', `/api/intents/${mine.body.id}`, { key: free });
    expect(got.status).toBe(200);
    expect(got.body).toEqual(mine.body);
    const theirs = await rest(t.url, 'GET', `/api/intents/${mine.body.id}`, { key: other });
    const missing = await rest(t.url, 'GET', '/api/intents/99999999', { key: other });
    expect(theirs.status).toBe(404);
    expect(missing.status).toBe(404);
    expect({ ...theirs.body.error, request_id: 0 }).toEqual({ ...missing.body.error, request_id: 0 });
    expect((await rest(t.url, 'GET', '/api/intents/abc', { key: free })).status).toBe(400);
  });

  it('lists newest first with {intents,total,limit,offset}, filters by status and validates paging', async () => {
    const page = await rest(t.url, 'GET', '/api/intents?limit=2&offset=0', { key: free });
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ total: expect.any(Number), limit: 2, offset: 0 });
    expect(page.body.intents).toHaveLength(2);
    const ids = page.body.intents.map((i: { id: number }) => i.id);
    expect(ids[0]).toBeGreaterThan(ids[1]);
    const next = await rest(t.url, 'GET', '/api/intents?limit=2&offset=1', { key: free });
    expect(next.body.intents[0].id).toBe(ids[1]);
    const completed = await rest(t.url, 'GET', '/api/intents?status=completed&limit=100', { key: free });
    expect(completed.body.intents.every((i: { status: string }) => i.status === 'completed')).toBe(true);
    expect((await rest(t.url, 'GET', '/api/intents', { key: other })).body.intents.length).toBe(0);
    for (const q of ['limit=0', 'limit=101', 'limit=x', 'offset=-1', 'status=weird']) {
      const res = await rest(t.url, 'GET', `/api/intents?${q}`, { key: free });
      expect(res.status, q).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
    }
  });
});

describe('GET /api/routing/stats', () => {
  it('needs no key and is computed from stored auctions', async () => {
    const res = await rest(t.url, 'GET', '/api/routing/stats');
    expect(res.status).toBe(200);
    expect(res.body.agents_active).toBe(roster);
    expect(res.body.total_intents_30d).toBeGreaterThan(0);
    expect(res.body.latency.bid_collection_p50_ms).toBeGreaterThan(0);
    expect(res.body.latency.bid_collection_p95_ms).toBeGreaterThanOrEqual(res.body.latency.bid_collection_p50_ms);
    expect(res.body.quality.avg_winning_confidence).toBeGreaterThan(0.5);
    expect(res.body.quality.failure_rate_30d).toBeGreaterThan(0);
    expect(res.body.top_domains[0]).toEqual({ domain: expect.any(String), intent_share: expect.any(Number) });
    // Failed intents with no winner and no hint count in no domain (none is made up for them).
    const domains = new Set((await gql(t.url, '{ agents { domain } }')).body.data.agents.map((a: { domain: string }) => a.domain));
    for (const d of res.body.top_domains) expect(domains.has(d.domain), d.domain).toBe(true);
  });
});
