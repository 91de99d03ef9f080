import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey, gql, rest } from '../helpers/http.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.stop());

describe('API keys', () => {
  it('the bootstrap key is a full-access enterprise key of the operator tenant', async () => {
    const res = await gql(t.url, '{ me { tenant tier scopes operator sandbox userId } }', {}, t.rootKey);
    expect(res.body.data.me).toEqual({
      tenant: 'operator',
      tier: 'enterprise',
      scopes: ['full_access'],
      operator: true,
      sandbox: false,
      userId: expect.any(Number),
    });
  });

  it('creates a key for a new tenant, shown once with a recognisable prefix, stored only as a hash', async () => {
    const { key, id } = await createKey(t.url, t.rootKey, { tenant: 'acme', tier: 'pro', scopes: ['intent_submit', 'intent_read'] });
    expect(key).toMatch(/^gvl_live_[A-Za-z0-9]{32}$/);
    const me = await gql(t.url, '{ me { tenant tier scopes keyId keyPrefix } }', {}, key);
    expect(me.body.data.me).toMatchObject({ tenant: 'acme', tier: 'pro', scopes: ['intent_submit', 'intent_read'], keyId: id });
    expect(key.startsWith(me.body.data.me.keyPrefix)).toBe(true);
    const rows = await t.app.db.orm.em.fork().getConnection().execute(`select * from api_keys where id = ?`, [id]);
    expect(JSON.stringify(rows)).not.toContain(key);
    expect(rows[0]?.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('marks sandbox keys with the gvl_test_ prefix', async () => {
    const { key } = await createKey(t.url, t.rootKey, { tenant: 'acme', scopes: ['intent_read'], sandbox: true });
    expect(key).toMatch(/^gvl_test_/);
    expect((await gql(t.url, '{ me { sandbox } }', {}, key)).body.data.me.sandbox).toBe(true);
  });

  it('answers 401 with the documented body for a missing, malformed, unknown, revoked or expired key', async () => {
    const { key, id } = await createKey(t.url, t.rootKey, { tenant: 'revokers', scopes: ['full_access'] });
    const revoke = await gql(t.url, 'mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }', { id }, key);
    expect(revoke.body.data.revokeApiKey.revokedAt).toBeTruthy();
    const expired = await createKey(t.url, t.rootKey, { tenant: 'acme', scopes: ['intent_read'], expiresAt: new Date(Date.now() + 1500).toISOString() });
    await new Promise((r) => setTimeout(r, 3600)); // past expiry and the 2 s auth cache
    const cases: Array<Record<string, string>> = [
      {},
      { authorization: 'Basic abc' },
      { authorization: 'Bearer' },
      { authorization: 'Bearer gvl_live_unknownunknownunknownunknown12' },
      { authorization: `Bearer ${key}` },
      { authorization: `Bearer ${expired.key}` },
    ];
    for (const headers of cases) {
      const res = await rest(t.url, 'GET', '/api/me', { headers });
      expect(res.status, JSON.stringify(headers)).toBe(401);
      expect(res.body).toMatchObject({ error: { code: 'unauthorized', message: expect.any(String) } });
    }
    const g = await gql(t.url, '{ me { tenant } }', {}, key);
    expect(g.status).toBe(401);
    expect(g.body.errors?.[0]?.extensions?.code).toBe('UNAUTHORIZED');
  });

  it('answers 403 for a valid key without the scope', async () => {
    const { key } = await createKey(t.url, t.rootKey, { tenant: 'acme', scopes: ['intent_read'] });
    const res = await gql(t.url, '{ apiKeys { id } }', {}, key);
    expect(res.status).toBe(403);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(res.body.errors?.[0]?.message).toContain('full_access');
  });

  it('lets only the operator create tenants; a tenant admin creates keys within its own tenant', async () => {
    const admin = await createKey(t.url, t.rootKey, { tenant: 'globex', tier: 'pro', scopes: ['full_access'] });
    const own = await gql(t.url, 'mutation { createApiKey(input: { scopes: [intent_read] }) { key apiKey { tenant } } }', {}, admin.key);
    expect(own.body.data.createApiKey.apiKey.tenant).toBe('globex');
    const other = await gql(t.url, 'mutation { createApiKey(input: { scopes: [intent_read], tenant: "acme" }) { key } }', {}, admin.key);
    expect(other.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it("never shows or revokes another tenant's keys: their id is simply not found", async () => {
    const a = await createKey(t.url, t.rootKey, { tenant: 'tenant-a', scopes: ['full_access'] });
    const b = await createKey(t.url, t.rootKey, { tenant: 'tenant-b', scopes: ['full_access'] });
    const list = await gql(t.url, '{ apiKeys { id tenant } }', {}, a.key);
    expect(list.body.data.apiKeys.every((k: { tenant: string }) => k.tenant === 'tenant-a')).toBe(true);
    expect(list.body.data.apiKeys.map((k: { id: string }) => k.id)).not.toContain(b.id);
    const res = await gql(t.url, 'mutation($id: ID!) { revokeApiKey(id: $id) { id } }', { id: b.id }, a.key);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await gql(t.url, '{ me { tenant } }', {}, b.key)).body.data.me.tenant).toBe('tenant-b');
  });

  it('rejects unknown scopes and bad input with invalid_request', async () => {
    const res = await gql(t.url, 'mutation { createApiKey(input: { scopes: [], tenant: "x y", tier: free }) { key } }', {}, t.rootKey);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('INVALID_REQUEST');
    const bad = await gql(t.url, 'mutation { createApiKey(input: { scopes: [nope] }) { key } }', {}, t.rootKey);
    expect(bad.status).toBe(400);
  });
});
