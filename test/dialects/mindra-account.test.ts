import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { createKey, eventually, gql, intentKey, rest } from '../helpers/http.js';

/** Mindra's wallet, API keys, `auth/test` and `/health`, as a client written from its reference calls them. */
describe('Mindra account routes /v1', () => {
  let t: TestApp;
  let admin: string;
  let proKey: string;
  beforeAll(async () => {
    t = await startTestApp();
    admin = (await createKey(t.url, t.rootKey, { tenant: 'mindra-admin', tier: 'enterprise', scopes: ['full_access'] })).key;
    proKey = await intentKey(t, 'mindra-pro', 'pro');
  });
  afterAll(() => t?.stop());

  const err = (code: string) => expect.objectContaining({ error: code, message: expect.any(String), requestId: expect.any(String) });

  it('GET /health answers {status: ok} without a key', async () => {
    const res = await fetch(`${t.url}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('GET /v1/auth/test says who the key is, and 401 in Mindra’s body without one', async () => {
    const me = await rest(t.url, 'GET', '/v1/auth/test', { key: proKey });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ authenticated: true, tenant: 'mindra-pro', tier: 'pro', scopes: ['intent_submit', 'intent_read'], sandbox: false });
    const none = await rest(t.url, 'GET', '/v1/auth/test', { key: 'mk_not_a_key' });
    expect(none).toMatchObject({ status: 401, body: err('UNAUTHORIZED') });
  });

  it('GET /v1/wallet and /v1/wallet/transactions, paginated', async () => {
    const wallet = await rest(t.url, 'GET', '/v1/wallet', { key: proKey });
    expect(wallet.status).toBe(200);
    expect(wallet.body).toMatchObject({ balance: expect.any(Number), currency: 'USD', prepaid: expect.any(Boolean) });
    const top = await rest(t.url, 'POST', '/api/admin/wallet/top-up', { key: t.rootKey, body: { tenant: 'mindra-pro', amount_usd: 5 } });
    expect(top.status).toBe(200);
    await rest(t.url, 'POST', '/api/admin/wallet/top-up', { key: t.rootKey, body: { tenant: 'mindra-pro', amount_usd: 2 } });
    const page1 = await rest(t.url, 'GET', '/v1/wallet/transactions?limit=1', { key: proKey });
    expect(page1.status).toBe(200);
    expect(page1.body.pagination).toEqual({ page: 1, limit: 1, total: 2, pages: 2, hasNext: true, hasPrev: false });
    expect(page1.body.data[0]).toMatchObject({ type: 'top_up', amount: 2, balanceAfter: 7, executionId: null });
    const page2 = await rest(t.url, 'GET', '/v1/wallet/transactions?limit=1&page=2', { key: proKey });
    expect(page2.body.data[0]).toMatchObject({ amount: 5, balanceAfter: 5 });
    expect((await rest(t.url, 'GET', '/v1/wallet', { key: proKey })).body).toMatchObject({ balance: 7, available: 7, prepaid: true });
    expect(await rest(t.url, 'GET', '/v1/wallet/transactions?limit=0', { key: proKey })).toMatchObject({ status: 400, body: err('INVALID_REQUEST') });
  });

  it('creates a key (shown once), lists, renames, narrows, switches off and on, and deletes it', async () => {
    const created = await rest(t.url, 'POST', '/v1/api-keys', { key: admin, body: { name: 'ci', scopes: ['intent_submit', 'intent:read'] } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'ci', scopes: ['intent_submit', 'intent_read'], enabled: true, key: expect.any(String) });
    const { id, key } = created.body as { id: string; key: string };
    expect((await rest(t.url, 'GET', '/v1/auth/test', { key })).status).toBe(200);

    const list = await rest(t.url, 'GET', '/v1/api-keys?limit=1', { key: admin });
    expect(list.status).toBe(200);
    expect(list.body.pagination).toMatchObject({ page: 1, limit: 1, total: 2, hasNext: true });
    expect(list.body.data[0]).toMatchObject({ id, name: 'ci' });
    expect(list.body.data[0]).not.toHaveProperty('key');

    const renamed = await rest(t.url, 'PATCH', `/v1/api-keys/${id}`, { key: admin, body: { name: 'ci-2', scopes: ['intent_read'] } });
    expect(renamed).toMatchObject({ status: 200, body: { id, name: 'ci-2', scopes: ['intent_read'] } });
    await eventually(
      () => rest(t.url, 'POST', '/v1/orchestrate', { key, body: { query: 'Convert 5 km to miles' } }),
      (r) => r.status === 403,
      5_000,
    );

    const off = await rest(t.url, 'PATCH', `/v1/api-keys/${id}`, { key: admin, body: { enabled: false } });
    expect(off).toMatchObject({ status: 200, body: { enabled: false } });
    await eventually(
      () => rest(t.url, 'GET', '/v1/auth/test', { key }),
      (r) => r.status === 401,
      5_000,
    );
    expect((await rest(t.url, 'PATCH', `/v1/api-keys/${id}`, { key: admin, body: { enabled: true } })).body.enabled).toBe(true);
    await eventually(
      () => rest(t.url, 'GET', '/v1/auth/test', { key }),
      (r) => r.status === 200,
      5_000,
    );

    const deleted = await rest(t.url, 'DELETE', `/v1/api-keys/${id}`, { key: admin });
    expect(deleted).toMatchObject({ status: 200, body: { id, enabled: false, revokedAt: expect.any(String) } });
    await eventually(
      () => rest(t.url, 'GET', '/v1/auth/test', { key }),
      (r) => r.status === 401,
      5_000,
    );
    // A revoked key stays revoked: switching it on is refused, not ignored.
    expect(await rest(t.url, 'PATCH', `/v1/api-keys/${id}`, { key: admin, body: { enabled: true } })).toMatchObject({
      status: 400,
      body: err('INVALID_REQUEST'),
    });
  });

  it('a per-day ceiling (Mindra’s tiers) refuses past it with RATE_LIMIT_EXCEEDED and says so in the headers', async () => {
    const res = await gql(
      t.url,
      'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { key apiKey { rateLimitPerMinute rateLimitPerDay } } }',
      { input: { tenant: 'mindra-daily', tier: 'pro', scopes: ['intent_read'], rateLimitPerMinute: 100, rateLimitPerDay: 3 } },
      t.rootKey,
    );
    expect(res.body.data.createApiKey.apiKey).toEqual({ rateLimitPerMinute: 100, rateLimitPerDay: 3 });
    const daily = res.body.data.createApiKey.key as string;
    const seen: Array<[number, string | null]> = [];
    for (let i = 0; i < 4; i++) {
      const r = await rest(t.url, 'GET', '/v1/auth/test', { key: daily });
      seen.push([r.status, r.headers.get('x-ratelimit-remaining')]);
      if (i === 3) {
        expect(r.body).toEqual(expect.objectContaining({ error: 'RATE_LIMIT_EXCEEDED', message: expect.stringContaining('per day') }));
        expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(r.headers.get('x-ratelimit-limit')).toBe('3');
      }
    }
    expect(seen).toEqual([
      [200, '2'],
      [200, '1'],
      [200, '0'],
      [429, '0'],
    ]);
    // Only the operator sets ceilings.
    const own = await gql(t.url, 'mutation { createApiKey(input: { scopes: [intent_read], rateLimitPerDay: 5 }) { key } }', {}, admin);
    expect(own.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('refuses bad bodies, scopes beyond the tier, other tenants’ keys and keys without full access', async () => {
    const cases: Array<[string, string, unknown, string | undefined, number, string]> = [
      ['POST', '/v1/api-keys', { scopes: ['everything'] }, admin, 400, 'INVALID_REQUEST'],
      ['POST', '/v1/api-keys', { scopes: 'intent_read' }, admin, 400, 'INVALID_REQUEST'],
      ['POST', '/v1/api-keys', { scopes: ['intent_read'], expiresAt: 'tomorrow' }, admin, 400, 'INVALID_REQUEST'],
      ['POST', '/v1/api-keys', { scopes: ['intent_read'], expiresAt: '2001-01-01T00:00:00Z' }, admin, 400, 'INVALID_REQUEST'],
      ['POST', '/v1/api-keys', { scopes: ['intent_read'] }, proKey, 403, 'FORBIDDEN'],
      ['GET', '/v1/api-keys', undefined, proKey, 403, 'FORBIDDEN'],
      ['PATCH', '/v1/api-keys/00000000-0000-4000-8000-000000000000', { name: 'x' }, admin, 404, 'NOT_FOUND'],
      ['PATCH', '/v1/api-keys/not-a-uuid', { name: 'x' }, admin, 404, 'NOT_FOUND'],
      ['DELETE', '/v1/api-keys/00000000-0000-4000-8000-000000000000', undefined, admin, 404, 'NOT_FOUND'],
    ];
    for (const [method, path, body, key, status, code] of cases) {
      const res = await rest(t.url, method, path, { key, body });
      expect({ method, path, status: res.status, code: res.body.error }).toEqual({ method, path, status, code });
    }
    // Another tenant's key id is a plain 404, for a read-modify and a delete alike.
    const mine = (await rest(t.url, 'POST', '/v1/api-keys', { key: admin, body: { scopes: ['intent_read'] } })).body.id as string;
    const other = (await createKey(t.url, t.rootKey, { tenant: 'mindra-other', tier: 'enterprise', scopes: ['full_access'] })).key;
    expect(await rest(t.url, 'PATCH', `/v1/api-keys/${mine}`, { key: other, body: { name: 'stolen' } })).toMatchObject({ status: 404, body: err('NOT_FOUND') });
    expect(await rest(t.url, 'DELETE', `/v1/api-keys/${mine}`, { key: other })).toMatchObject({ status: 404 });
    expect((await rest(t.url, 'GET', '/v1/api-keys?limit=100', { key: admin })).body.data.find((k: { id: string }) => k.id === mine)).toMatchObject({
      enabled: true,
    });
  });
});
