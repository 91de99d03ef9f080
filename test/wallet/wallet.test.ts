import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { startFakeOpenAI, type FakeOpenAI, type FakeOpenAIOptions } from '../helpers/fake-openai.js';
import { createKey, eventually, gql, intentKey, rest } from '../helpers/http.js';

let t: TestApp;
let fake: FakeOpenAI;
const provider: FakeOpenAIOptions = { chunks: ['A', ' haiku', ' about', ' autumn.'], usage: { prompt_tokens: 1_000, completion_tokens: 500 } };
beforeAll(async () => {
  // A provider that reports usage, so LLM agents win and cost real money.
  fake = await startFakeOpenAI(provider);
  t = await startTestApp({ OPENAI_BASE_URL: fake.baseUrl, OPENAI_API_KEY: 'sk-test' });
});
afterAll(async () => {
  await t?.stop();
  await fake?.close();
});

const topUp = (tenant: string, amount_usd: number, key = t.rootKey) =>
  rest(t.url, 'POST', '/api/admin/wallet/top-up', { key, body: { tenant, amount_usd, note: 'test' } });
const wallet = async (key: string) => (await rest(t.url, 'GET', '/api/wallet', { key })).body;
const micros = (usd: number) => Math.round(usd * 1e6);

describe('prepaid wallets', () => {
  it('refuses with 402 before any agent runs when the balance cannot cover an intent; nothing is stored and no quota is used', async () => {
    const key = await intentKey(t, 'wallet-poor', 'pro');
    expect((await topUp('wallet-poor', 0.000001)).status).toBe(200);
    const requestsBefore = fake.requests.length;
    const res = await rest(t.url, 'POST', '/api/intents', { key, body: { text: 'Write a haiku about autumn' } });
    expect(res.status).toBe(402);
    expect(res.body.error.code).toBe('insufficient_balance');
    expect(res.body.error.message).toMatch(/needs up to \$\d/);
    expect(fake.requests.length).toBe(requestsBefore);
    expect((await rest(t.url, 'GET', '/api/intents', { key })).body.total).toBe(0);
    expect((await rest(t.url, 'GET', '/api/usage', { key })).body.intents).toBe(0);
    expect(await wallet(key)).toMatchObject({ prepaid: true, balance_usd: 0.000001, held_usd: 0, available_usd: 0.000001 });
    // GraphQL says the same, with the documented code and status.
    const viaGql = await gql(t.url, 'mutation { submitIntent(input: { text: "Write a haiku" }) { id } }', {}, key);
    expect(viaGql.body.errors?.[0]?.extensions?.code).toBe('INSUFFICIENT_BALANCE');
    expect(viaGql.status).toBe(402);
  });

  it('charges each completed intent its exact cost once and releases the hold; the ledger shows both lines', async () => {
    const key = await intentKey(t, 'wallet-co', 'pro');
    await topUp('wallet-co', 5);
    const done = await rest(t.url, 'POST', '/api/intents', { key, body: { text: 'Write a haiku about autumn leaves', domain: 'writing' } });
    expect(done.status).toBe(200);
    expect(done.body.status).toBe('completed');
    const cost = done.body.cost.cost_usd as number;
    expect(cost).toBeGreaterThan(0);
    const after = await eventually(
      () => wallet(key),
      (w) => w.held_usd === 0,
    );
    expect(micros(after.balance_usd)).toBe(micros(5) - micros(cost));
    const ledger = (await rest(t.url, 'GET', '/api/wallet/transactions', { key })).body;
    expect(ledger.total).toBe(2);
    expect(ledger.transactions[0]).toMatchObject({
      kind: 'charge',
      intent_id: done.body.id,
      amount_usd: -micros(cost) / 1e6,
      balance_after_usd: after.balance_usd,
    });
    expect(ledger.transactions[1]).toMatchObject({ kind: 'top_up', amount_usd: 5, balance_after_usd: 5 });
  });

  it('holds atomically: concurrent submissions against room for one admit exactly one', async () => {
    const key = await intentKey(t, 'wallet-race', 'pro');
    await topUp('wallet-race', 0.000001);
    const refused = await rest(t.url, 'POST', '/api/intents', { key, body: { text: 'Write a haiku about rain' } });
    const need = Number(/needs up to \$([\d.]+)/.exec(refused.body.error.message)![1]);
    await topUp('wallet-race', need * 1.5);
    // The admitted intent must still hold its funds while the others ask: were it done
    // already, its released hold would rightly admit the next one.
    provider.chunkDelayMs = 400;
    onTestFinished(() => void (provider.chunkDelayMs = 0));
    const results = await Promise.all(
      Array.from({ length: 8 }, () => rest(t.url, 'POST', '/api/intents?wait=false', { key, body: { text: 'Write a haiku about rain' } })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([202, 402, 402, 402, 402, 402, 402, 402]);
    await eventually(
      () => wallet(key),
      (w) => w.held_usd === 0,
    );
  });

  it('never holds or charges sandbox keys, and only the operator may top up', async () => {
    const sandbox = await intentKey(t, 'wallet-sandbox', 'pro', { sandbox: true });
    await topUp('wallet-sandbox', 0.000001);
    const res = await rest(t.url, 'POST', '/api/intents', { key: sandbox, body: { text: 'Write a haiku about snow' } });
    expect(res.status).toBe(200);
    expect(res.body.cost.cost_usd).toBe(0);
    expect((await wallet(sandbox)).balance_usd).toBe(0.000001);
    const admin = (await createKey(t.url, t.rootKey, { tenant: 'wallet-admin', tier: 'enterprise', scopes: ['full_access'] })).key;
    const selfTopUp = await topUp('wallet-admin', 100, admin);
    expect(selfTopUp.status).toBe(403);
    expect((await topUp('no-such-tenant', 1)).status).toBe(404);
    expect((await topUp('wallet-admin', -1)).status).toBe(400);
  });

  it('tenants that are not prepaid are never refused for balance', async () => {
    const key = await intentKey(t, 'wallet-postpaid', 'pro');
    const res = await rest(t.url, 'POST', '/api/intents', { key, body: { text: 'What is 2 + 2?' } });
    expect(res.status).toBe(200);
    expect(await wallet(key)).toMatchObject({ prepaid: false, balance_usd: 0 });
  });
});
