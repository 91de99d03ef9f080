import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { createKey, eventually, gql, intentKey, rest } from '../helpers/http.js';
import { startReceiver } from '../helpers/webhook-receiver.js';

let t: TestApp;
let key: string;
beforeAll(async () => {
  t = await startTestApp({ GAVEL_WEBHOOK_SECRET: 'batch-secret-0123456789' });
  key = await intentKey(t, 'batch-co', 'enterprise');
});
afterAll(() => t?.stop());

const total = async (k: string) => (await rest(t.url, 'GET', '/api/intents', { key: k })).body.total as number;

describe('batch submission', () => {
  it('answers at once with the batch id, delivers each result to the batch webhook, and can be queried', async () => {
    const receiver = await startReceiver();
    const texts = ['What is 17% of 2,340?', 'Convert 5 km to miles', 'What is 12 * 12?'];
    const res = await rest(t.url, 'POST', '/api/intents/batch', {
      key,
      body: { intents: texts.map((text, i) => ({ text, metadata: { row: i } })), webhook_url: receiver.url },
    });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ batch_id: expect.stringMatching(/^batch_[A-Za-z0-9]{16}$/), submitted: 3, estimated_duration_s: expect.any(Number) });
    expect(res.body.estimated_duration_s).toBeGreaterThanOrEqual(1);
    const hits = await receiver.waitFor(3);
    expect(hits.map((h) => h.body.metadata.row).sort()).toEqual([0, 1, 2]);
    expect(hits.every((h) => h.body.status === 'completed')).toBe(true);
    const batch = await eventually(
      async () => (await rest(t.url, 'GET', `/api/intents/batch/${res.body.batch_id}`, { key })).body,
      (b) => b.status === 'completed',
    );
    expect(batch).toMatchObject({
      batch_id: res.body.batch_id,
      submitted: 3,
      counts: { completed: 3, pending: 0, in_progress: 0, failed: 0 },
      webhook_url: receiver.url,
    });
    expect(batch.intents.map((i: { text: string }) => i.text)).toEqual(texts);
    expect(batch.intents.map((i: { id: number }) => i.id).sort()).toEqual(hits.map((h) => h.body.id).sort());
    // GraphQL shows the same batch.
    const viaGql = await gql(
      t.url,
      'query($id: ID!) { batch(id: $id) { submitted status counts { completed } intents(first: 10) { totalCount } } }',
      { id: res.body.batch_id },
      key,
    );
    expect(viaGql.body.data.batch).toEqual({ submitted: 3, status: 'completed', counts: { completed: 3 }, intents: { totalCount: 3 } });
    // Another tenant's batch is a plain 404.
    const stranger = await intentKey(t, 'batch-stranger', 'enterprise');
    expect((await rest(t.url, 'GET', `/api/intents/batch/${res.body.batch_id}`, { key: stranger })).status).toBe(404);
  });

  it('is Enterprise only and takes 1 to 100 valid intents, storing nothing when any is invalid', async () => {
    const pro = await intentKey(t, 'batch-pro', 'pro');
    expect((await rest(t.url, 'POST', '/api/intents/batch', { key: pro, body: { intents: [{ text: 'What is 1 + 1?' }] } })).status).toBe(403);
    const before = await total(key);
    for (const body of [
      { intents: [] },
      { intents: Array.from({ length: 101 }, () => ({ text: 'What is 1 + 1?' })) },
      { intents: [{ text: 'What is 1 + 1?' }, { text: '   ' }] },
      { intents: [{ text: 'What is 1 + 1?', auctionTier: 'platinum' }] },
      { intents: 'not a list' },
    ]) {
      const res = await rest(t.url, 'POST', '/api/intents/batch', { key, body });
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
    }
    const bad = await rest(t.url, 'POST', '/api/intents/batch', { key, body: { intents: [{ text: 'ok' }, { text: '' }] } });
    expect(bad.body.error.message).toMatch(/intents\[1\]/);
    expect(await total(key)).toBe(before);
  });

  it('admits a batch against the quota all or nothing', async () => {
    const capped = (await createKey(t.url, t.rootKey, { tenant: 'batch-capped', tier: 'enterprise', scopes: ['intent_submit', 'intent_read'] })).key;
    const limited = await gql(
      t.url,
      'mutation { createApiKey(input: { tenant: "batch-capped", scopes: [intent_submit, intent_read], monthlyIntentQuota: 5 }) { key } }',
      {},
      t.rootKey,
    );
    const k = limited.body.data.createApiKey.key as string;
    const batch = (n: number) =>
      rest(t.url, 'POST', '/api/intents/batch', { key: k, body: { intents: Array.from({ length: n }, (_, i) => ({ text: `What is ${i} + 1?` })) } });
    expect((await batch(4)).status).toBe(202);
    const over = await batch(2);
    expect(over.status).toBe(429);
    expect(over.body.error.code).toBe('rate_limit_exceeded');
    expect(over.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await total(capped)).toBe(4);
    expect((await batch(1)).status).toBe(202);
    expect(await total(capped)).toBe(5);
  });
});
