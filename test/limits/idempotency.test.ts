import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { gql, intentKey, rest } from '../helpers/http.js';

let t: TestApp;
let key: string;
let other: string;
beforeAll(async () => {
  t = await startTestApp();
  key = await intentKey(t, 'idem-co', 'pro');
  other = await intentKey(t, 'idem-other', 'pro');
});
afterAll(() => t?.stop());

describe('idempotency keys', () => {
  it('the same key and body return the same status and body and create nothing new (both header spellings)', async () => {
    const body = { text: 'What is 17% of 2,340?', metadata: { order: 7 } };
    const first = await rest(t.url, 'POST', '/api/intents', { key, body, headers: { 'idempotency-key': 'order-7' } });
    const again = await rest(t.url, 'POST', '/api/intents', { key, body, headers: { 'x-idempotency-key': 'order-7' } });
    expect(again.status).toBe(first.status);
    expect(again.body).toEqual(first.body);
    const list = await rest(t.url, 'GET', '/api/intents?limit=100', { key });
    expect(list.body.intents.filter((i: { metadata: { order?: number } }) => i.metadata.order === 7)).toHaveLength(1);
  });

  it('refuses the same key with a different body with 422, and scopes keys to the tenant', async () => {
    await rest(t.url, 'POST', '/api/intents?wait=false', { key, body: { text: 'What is 1 + 1?' }, headers: { 'idempotency-key': 'k-2' } });
    const changed = await rest(t.url, 'POST', '/api/intents?wait=false', { key, body: { text: 'What is 2 + 2?' }, headers: { 'idempotency-key': 'k-2' } });
    expect(changed.status).toBe(422);
    expect(changed.body.error.code).toBe('idempotency_key_reused');
    const theirs = await rest(t.url, 'POST', '/api/intents?wait=false', {
      key: other,
      body: { text: 'What is 2 + 2?' },
      headers: { 'idempotency-key': 'k-2' },
    });
    expect(theirs.status).toBe(202);
  });

  it('concurrent retries with one key never create a second intent', async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        rest(t.url, 'POST', '/api/intents?wait=false', { key, body: { text: 'What is 6 * 7?' }, headers: { 'idempotency-key': 'race' } }),
      ),
    );
    const ids = new Set(results.filter((r) => r.status < 300).map((r) => r.body.id));
    expect(ids.size).toBe(1);
    expect(results.every((r) => r.status < 300 || r.status === 409)).toBe(true);
  });

  it('works in GraphQL through the idempotencyKey input', async () => {
    const q = 'mutation { submitIntent(input: { text: "What is 9 - 3?", idempotencyKey: "gql-1" }) { id } }';
    const a = await gql(t.url, q, {}, key);
    const b = await gql(t.url, q, {}, key);
    expect(b.body.data.submitIntent.id).toBe(a.body.data.submitIntent.id);
  });
});

describe('idempotency window', () => {
  it('a key older than 24 hours starts a new intent', async () => {
    const body = { text: 'What is 4 + 4?' };
    const first = await rest(t.url, 'POST', '/api/intents?wait=false', { key, body, headers: { 'idempotency-key': 'yesterday' } });
    // Age the first use past the window, as a day passing would.
    await t.app.db.pool.query(`update intents set created_at = created_at - interval '25 hours' where id = $1`, [first.body.id]);
    await t.app.db.pool.query(`update idempotent_requests set created_at = created_at - interval '25 hours' where key = 'yesterday'`);
    const again = await rest(t.url, 'POST', '/api/intents?wait=false', { key, body, headers: { 'idempotency-key': 'yesterday' } });
    expect(again.status).toBe(202);
    expect(again.body.id).not.toBe(first.body.id);
    const replay = await rest(t.url, 'POST', '/api/intents?wait=false', { key, body, headers: { 'idempotency-key': 'yesterday' } });
    expect(replay.body.id).toBe(again.body.id);
  });
});
