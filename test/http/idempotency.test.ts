import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { createKey, gql, intentKey, rest } from '../helpers/http.js';

/**
 * Idempotency keys on every mutation that arrives over HTTP: GraphQL and every REST
 * dialect's POST. The same key and request answer the first result and create nothing;
 * another request with the key is refused; a failed first try keeps nothing.
 */
describe('idempotency keys', () => {
  let t: TestApp;
  let key: string;
  let enterprise: string;
  beforeAll(async () => {
    t = await startTestApp();
    key = await intentKey(t, 'idem-pro', 'pro', { sandbox: true });
    enterprise = (await createKey(t.url, t.rootKey, { tenant: 'idem-ent', tier: 'enterprise', scopes: ['full_access'], sandbox: true })).key;
  });
  afterAll(() => t?.stop());

  const submit = 'mutation($input: SubmitIntentInput!) { submitIntent(input: $input) { id status } }';
  const count = async (k: string) => (await gql(t.url, '{ intents(first: 100) { totalCount } }', {}, k)).body.data.intents.totalCount as number;

  it('GraphQL: the same key and variables answer the first result; other variables are IDEMPOTENCY_KEY_REUSED', async () => {
    const before = await count(key);
    const first = await gql(t.url, submit, { input: { text: 'Convert 5 km to miles' } }, key, { 'idempotency-key': 'gql-1' });
    expect(first.body.errors).toBeUndefined();
    const again = await gql(t.url, submit, { input: { text: 'Convert 5 km to miles' } }, key, { 'idempotency-key': 'gql-1' });
    // The first answer itself, not the intent as it is now.
    expect(again.body).toEqual(first.body);
    expect(await count(key)).toBe(before + 1);
    const other = await gql(t.url, submit, { input: { text: 'Convert 6 km to miles' } }, key, { 'idempotency-key': 'gql-1' });
    expect(other.status).toBe(422);
    expect(other.body.errors![0]!.extensions!.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await count(key)).toBe(before + 1);
    // Queries are not what a key names: they run as always.
    expect((await gql(t.url, '{ me { tenant } }', {}, key, { 'idempotency-key': 'gql-1' })).body.data.me.tenant).toBe('idem-pro');
  });

  it('a failed first try keeps nothing, so the retry runs; keys are per tenant', async () => {
    const bad = await gql(t.url, submit, { input: { text: '' } }, key, { 'idempotency-key': 'retry-1' });
    expect(bad.body.errors![0]!.extensions!.code).toBe('INVALID_REQUEST');
    const good = await gql(t.url, submit, { input: { text: 'Convert 7 km to miles' } }, key, { 'idempotency-key': 'retry-1' });
    expect(good.body.errors).toBeUndefined();
    const elsewhere = await gql(t.url, submit, { input: { text: 'Convert 7 km to miles' } }, enterprise, { 'idempotency-key': 'retry-1' });
    expect(elsewhere.body.errors).toBeUndefined();
    expect(elsewhere.body.data.submitIntent.id).not.toBe(good.body.data.submitIntent.id);
  });

  it('REST: OctoMind batches and Mindra orchestrations replay the cached response', async () => {
    const body = { intents: [{ text: 'Convert 1 km to miles' }, { text: 'Convert 2 km to miles' }] };
    const before = await count(enterprise);
    const first = await rest(t.url, 'POST', '/api/intents/batch', { key: enterprise, body, headers: { 'idempotency-key': 'batch-1' } });
    expect(first.status).toBe(202);
    const again = await rest(t.url, 'POST', '/api/intents/batch', { key: enterprise, body, headers: { 'idempotency-key': 'batch-1' } });
    expect(again).toMatchObject({ status: 202, body: first.body });
    expect(await count(enterprise)).toBe(before + 2);
    const reused = await rest(t.url, 'POST', '/api/intents/batch', {
      key: enterprise,
      body: { intents: [{ text: 'x y z' }] },
      headers: { 'idempotency-key': 'batch-1' },
    });
    expect(reused.status).toBe(422);

    const orchestrate = { query: 'Convert 9 km to miles', context: { run: 1 } };
    const o1 = await rest(t.url, 'POST', '/v1/orchestrate', { key, body: orchestrate, headers: { 'x-idempotency-key': 'orch-1' } });
    expect(o1.status).toBe(202);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const o2 = await rest(t.url, 'POST', '/v1/orchestrate', { key, body: orchestrate, headers: { 'x-idempotency-key': 'orch-1' } });
    expect(o2).toMatchObject({ status: 202, body: o1.body });
  });

  it('a key that created an API key never shows the secret again, and creates no second key', async () => {
    const body = { name: 'idem', scopes: ['intent_read'] };
    const first = await rest(t.url, 'POST', '/v1/api-keys', { key: enterprise, body, headers: { 'x-idempotency-key': 'mk-1' } });
    expect(first.status).toBe(201);
    const again = await rest(t.url, 'POST', '/v1/api-keys', { key: enterprise, body, headers: { 'x-idempotency-key': 'mk-1' } });
    expect(again.status).toBe(400);
    expect(again.body).toMatchObject({ error: 'INVALID_REQUEST', details: expect.stringContaining('CONFLICT') });
    expect(JSON.stringify(again.body)).not.toContain(first.body.key);
    const keys = await rest(t.url, 'GET', '/v1/api-keys?limit=100', { key: enterprise });
    expect(keys.body.data.filter((k: { name: string }) => k.name === 'idem')).toHaveLength(1);
  });

  it('refuses a key longer than 255 characters', async () => {
    const res = await gql(t.url, submit, { input: { text: 'Convert 5 km to miles' } }, key, { 'idempotency-key': 'k'.repeat(256) });
    expect(res.body.errors![0]!.extensions!.code).toBe('INVALID_REQUEST');
  });
});
