import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey, eventually, gql, rest } from '../helpers/http.js';
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
    const { key, id } = await createKey(t.url, t.rootKey, { tenant: 'revokers', tier: 'enterprise', scopes: ['full_access'] });
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

  it('records when a key was last used, once a minute at most, and never for an unused key', async () => {
    const admin = await createKey(t.url, t.rootKey, { tenant: 'initech', tier: 'enterprise', scopes: ['full_access'] });
    const idle = await createKey(t.url, t.rootKey, { tenant: 'initech', tier: 'enterprise', scopes: ['intent_read'] });
    const before = Date.now();
    const lastUsed = async () => {
      const list = await gql(t.url, '{ apiKeys { id lastUsedAt } }', {}, admin.key);
      return new Map((list.body.data.apiKeys as Array<{ id: string; lastUsedAt: string | null }>).map((k) => [k.id, k.lastUsedAt]));
    };
    // The stamp is written beside the answer, not before it: wait for it.
    const first = await eventually(lastUsed, (m) => m.get(admin.id) !== null);
    const stamped = Date.parse(first.get(admin.id)!);
    expect(stamped).toBeGreaterThanOrEqual(before - 1000);
    expect(first.get(idle.id)).toBeNull();
    await new Promise((r) => setTimeout(r, 2_100)); // past the authentication cache: the next use reaches the database
    expect((await gql(t.url, '{ me { tenant } }', {}, admin.key)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 300)); // what that use would have written, it has
    expect((await lastUsed()).get(admin.id)).toBe(first.get(admin.id)); // within the minute: not rewritten
  });

  it('lets only the operator create tenants; a tenant admin creates keys within its own tenant', async () => {
    const admin = await createKey(t.url, t.rootKey, { tenant: 'globex', tier: 'enterprise', scopes: ['full_access'] });
    const own = await gql(t.url, 'mutation { createApiKey(input: { scopes: [intent_read] }) { key apiKey { tenant } } }', {}, admin.key);
    expect(own.body.data.createApiKey.apiKey.tenant).toBe('globex');
    const other = await gql(t.url, 'mutation { createApiKey(input: { scopes: [intent_read], tenant: "acme" }) { key } }', {}, admin.key);
    expect(other.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it("never shows or revokes another tenant's keys: their id is simply not found", async () => {
    const a = await createKey(t.url, t.rootKey, { tenant: 'tenant-a', tier: 'enterprise', scopes: ['full_access'] });
    const b = await createKey(t.url, t.rootKey, { tenant: 'tenant-b', tier: 'enterprise', scopes: ['full_access'] });
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

  describe('tiers bound scopes (OctoMind: full_access and analytics_read on Enterprise only)', () => {
    const mint = (tenant: string, tier: string | null, scopes: string[]) =>
      gql(
        t.url,
        'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { key } }',
        { input: { tenant, scopes, ...(tier ? { tier } : {}) } },
        t.rootKey,
      );

    it.each([
      ['free', 'full_access'],
      ['free', 'analytics_read'],
      ['pro', 'full_access'],
      ['pro', 'analytics_read'],
      ['pro', 'agents_write'],
    ])('refuses a %s key with %s, with a clear 400, and keeps no tenant', async (tier, scope) => {
      const tenant = `refused-${tier}-${scope}`.replace(/_/g, '-');
      const res = await mint(tenant, tier, ['intent_read', scope]);
      expect(res.status).toBe(400);
      expect(res.body.errors?.[0]).toMatchObject({
        message: `${scope} needs the enterprise tier; tenant ${tenant} is on ${tier}`,
        extensions: { code: 'INVALID_REQUEST', field: 'scopes' },
      });
      const rows = await t.app.db.orm.em.fork().getConnection().execute(`select 1 from tenants where name = ?`, [tenant]);
      expect(rows).toHaveLength(0);
    });

    it('lets Free keys submit and read (Gavel departs from the table here: Free has 20 intents a month)', async () => {
      const res = await mint('free-submitter', 'free', ['intent_submit', 'intent_read']);
      expect(res.body.errors).toBeUndefined();
      const me = await gql(t.url, '{ me { tier scopes } }', {}, res.body.data.createApiKey.key);
      expect(me.body.data.me).toEqual({ tier: 'free', scopes: ['intent_submit', 'intent_read'] });
    });

    it('refuses a new key beyond an existing tenant’s tier, and the operator’s own downgrade', async () => {
      expect((await mint('steady-pro', 'pro', ['intent_read'])).body.errors).toBeUndefined();
      const res = await mint('steady-pro', null, ['analytics_read']);
      expect(res.body.errors?.[0]?.message).toBe('analytics_read needs the enterprise tier; tenant steady-pro is on pro');
      const own = await gql(t.url, 'mutation { createApiKey(input: { scopes: [intent_read], tier: free }) { key } }', {}, t.rootKey);
      expect(own.body.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_REQUEST', field: 'tier' });
      expect((await gql(t.url, '{ me { tier scopes } }', {}, t.rootKey)).body.data.me).toEqual({ tier: 'enterprise', scopes: ['full_access'] });
    });

    it('a tenant moved to a lower tier keeps its keys, which lose what the tier does not allow', async () => {
      const admin = await createKey(t.url, t.rootKey, { tenant: 'shrinking', tier: 'enterprise', scopes: ['full_access', 'intent_read'] });
      expect((await gql(t.url, '{ apiKeys { id } }', {}, admin.key)).status).toBe(200);
      expect((await mint('shrinking', 'pro', ['intent_read'])).body.errors).toBeUndefined();
      await new Promise((r) => setTimeout(r, 2100)); // the 2 s authentication cache
      expect((await gql(t.url, '{ me { tier scopes } }', {}, admin.key)).body.data.me).toEqual({ tier: 'pro', scopes: ['intent_read'] });
      const refused = await gql(t.url, '{ apiKeys { id } }', {}, admin.key);
      expect(refused.status).toBe(403);
      expect(refused.body.errors?.[0]?.message).toBe(
        'This API key lacks the required scope: full_access (it needs the enterprise tier; this tenant is on pro)',
      );
      const cost = await rest(t.url, 'GET', '/api/admin/analytics/cost-summary?start=2026-01-01&end=2026-01-02&group_by=user_id', { key: admin.key });
      expect(cost.status).toBe(403);
      expect(cost.body).toMatchObject({ error: { code: 'forbidden' } });
    });
  });
});
