import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { startFakeOpenAI, type FakeOpenAI } from '../helpers/fake-openai.js';
import { createKey, gql, intentKey, rest } from '../helpers/http.js';

let t: TestApp;
let fake: FakeOpenAI;
let keyA: { key: string; id: string };
let keyB: { key: string; id: string };
let analyst: string;
const today = new Date().toISOString().slice(0, 10);
let receipts: Array<{
  id: number;
  status: string;
  cost: { input_tokens: number; output_tokens: number; cost_usd: number };
  winning_agent: { name: string; domain: string } | null;
  meta: { api_key_id: string; user_id: number };
}>;

beforeAll(async () => {
  fake = await startFakeOpenAI({ chunks: ['Some', ' prose.'], usage: { prompt_tokens: 900, completion_tokens: 300 } });
  t = await startTestApp({ OPENAI_BASE_URL: fake.baseUrl, OPENAI_API_KEY: 'sk-test' });
  keyA = await createKey(t.url, t.rootKey, { tenant: 'costs-co', tier: 'enterprise', scopes: ['intent_submit', 'intent_read'] });
  keyB = await createKey(t.url, t.rootKey, { tenant: 'costs-co', scopes: ['intent_submit', 'intent_read'] });
  analyst = (await createKey(t.url, t.rootKey, { tenant: 'costs-co', tier: 'enterprise', scopes: ['analytics_read'] })).key;
  const submit = (key: string, text: string, domain?: string) => rest(t.url, 'POST', '/api/intents', { key, body: { text, domain } });
  await submit(keyA.key, 'What is 17% of 2,340?');
  await submit(keyA.key, 'Write a short poem about the sea', 'writing');
  await submit(keyB.key, 'Write a product description for a kettle', 'ecommerce');
  await submit(keyB.key, 'Convert 5 km to miles');
  // Another tenant's spending never shows up.
  await submit(await intentKey(t, 'costs-other', 'pro'), 'Write a haiku about the moon');
  receipts = (await rest(t.url, 'GET', '/api/intents?limit=100', { key: keyA.key })).body.intents;
});
afterAll(async () => {
  await t?.stop();
  await fake?.close();
});

const summary = (group_by: string, key = analyst, start = today, end = today) =>
  rest(t.url, 'GET', `/api/admin/analytics/cost-summary?start=${start}&end=${end}&group_by=${group_by}`, { key });

/** The expected figures, summed here from the receipts rather than by the gateway. */
function expected(keyOf: (r: (typeof receipts)[number]) => string) {
  const groups = new Map<string, { intents: number; input_tokens: number; output_tokens: number; cost_usd: number }>();
  for (const r of receipts) {
    const g = groups.get(keyOf(r)) ?? { intents: 0, input_tokens: 0, output_tokens: 0, cost_usd: 0 };
    g.intents++;
    g.input_tokens += r.cost.input_tokens;
    g.output_tokens += r.cost.output_tokens;
    g.cost_usd += r.cost.cost_usd;
    groups.set(keyOf(r), g);
  }
  return groups;
}

describe('cost summary', () => {
  it.each([
    ['api_key_id', (r: (typeof receipts)[number]) => r.meta.api_key_id],
    ['user_id', (r: (typeof receipts)[number]) => String(r.meta.user_id)],
    ['domain', (r: (typeof receipts)[number]) => r.winning_agent?.domain ?? 'none'],
  ])('groups by %s with the exact sums of the stored receipts', async (groupBy, keyOf) => {
    const res = await summary(groupBy);
    expect(res.status).toBe(200);
    const want = expected(keyOf);
    expect(res.body.groups).toHaveLength(want.size);
    for (const g of res.body.groups) {
      const w = want.get(g[groupBy])!;
      expect(w, g[groupBy]).toBeDefined();
      expect(g).toMatchObject({
        intents: w.intents,
        input_tokens: w.input_tokens,
        output_tokens: w.output_tokens,
        total_tokens: w.input_tokens + w.output_tokens,
      });
      expect(g.cost_usd).toBeCloseTo(w.cost_usd, 8);
    }
    expect(res.body.totals.intents).toBe(4);
    expect(res.body).toMatchObject({ start: today, end: today, group_by: groupBy, currency: 'USD' });
  });

  it('groups by winning agent, most expensive first, and GraphQL answers the same', async () => {
    const res = await summary('agent');
    const names = res.body.groups.map((g: { name: string }) => g.name).sort();
    expect(names).toEqual(receipts.map((r) => r.winning_agent?.name ?? 'No winning agent').sort());
    const costs = res.body.groups.map((g: { cost_usd: number }) => g.cost_usd);
    expect(costs).toEqual([...costs].sort((a, b) => b - a));
    expect(costs[0]).toBeGreaterThan(0);
    const viaGql = await gql(
      t.url,
      'query($s: String!) { costSummary(start: $s, end: $s, groupBy: agent) { totals { intents costUsd } } }',
      { s: today },
      analyst,
    );
    expect(viaGql.body.data.costSummary.totals).toEqual({ intents: 4, costUsd: res.body.totals.cost_usd });
  });

  it('counts only the days asked for', async () => {
    const res = await summary('domain', analyst, '2020-01-01', '2020-01-31');
    expect(res.body).toMatchObject({ groups: [], totals: { intents: 0, cost_usd: 0 } });
  });

  it('refuses bad parameters with 400 and keys without analytics_read with 403', async () => {
    for (const [start, end, groupBy] of [
      ['2026-13-01', today, 'agent'],
      ['yesterday', today, 'agent'],
      [today, '2020-01-01', 'agent'],
      ['2020-01-01', '2026-01-01', 'agent'],
      [today, today, 'planet'],
    ]) {
      const res = await summary(groupBy!, analyst, start, end);
      expect(res.status, `${start} ${end} ${groupBy}`).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
    }
    expect((await rest(t.url, 'GET', `/api/admin/analytics/cost-summary?end=${today}`, { key: analyst })).status).toBe(400);
    expect((await summary('agent', keyA.key)).status).toBe(403);
    expect((await summary('agent', t.rootKey)).body.totals.intents).toBe(0); // full_access, the operator's own tenant
  });
});
