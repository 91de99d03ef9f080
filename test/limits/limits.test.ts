import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { BOOTSTRAP_KEY, startTestApp, type TestApp } from '../helpers/app.js';
import { startCluster, type Cluster } from '../helpers/cluster.js';
import { gql, rest } from '../helpers/http.js';
import { startPrivateRedis } from '../helpers/private-services.js';
import type { GatewayProcess } from '../helpers/process.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.stop());

async function keyWith(baseUrl: string, input: Record<string, unknown>): Promise<string> {
  const res = await gql(
    baseUrl,
    'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { key } }',
    { input: { scopes: ['intent_submit', 'intent_read'], tier: 'free', ...input } },
    BOOTSTRAP_KEY,
  );
  expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
  return res.body.data.createApiKey.key;
}

/** Fixed one-minute windows: start a burst well inside one, so it cannot straddle two. */
async function awayFromMinuteEdge(): Promise<void> {
  const intoMinute = Date.now() % 60_000;
  if (intoMinute > 50_000) await new Promise((r) => setTimeout(r, 60_000 - intoMinute + 200));
}

describe('per-key rate limit', () => {
  it('answers the 61st request of a minute of a Free key with 429, Retry-After and the seed body', async () => {
    const key = await keyWith(t.url, { tenant: 'rl-free' });
    await awayFromMinuteEdge();
    const first = await rest(t.url, 'GET', '/api/me', { key });
    expect(first.headers.get('x-ratelimit-limit')).toBe('60');
    expect(first.headers.get('x-ratelimit-remaining')).toBe('59');
    expect(Number(first.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);
    // GraphQL and REST share the counter.
    for (let i = 0; i < 29; i++) await gql(t.url, '{ me { tenant } }', {}, key);
    for (let i = 0; i < 30; i++) expect((await rest(t.url, 'GET', '/api/me', { key })).status).toBe(200);
    const over = await rest(t.url, 'GET', '/api/me', { key });
    expect(over.status).toBe(429);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(over.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(over.body.error).toMatchObject({
      code: 'rate_limit_exceeded',
      message: expect.stringContaining('60 requests per minute'),
      retry_after: expect.any(Number),
    });
    const g = await gql(t.url, '{ me { tenant } }', {}, key);
    expect(g.status).toBe(429);
    expect(g.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMIT_EXCEEDED');
  });

  it('lets a key carry its own ceiling, and leaves unlimited Enterprise keys unlimited', async () => {
    const key = await keyWith(t.url, { tenant: 'rl-custom', rateLimitPerMinute: 3 });
    await awayFromMinuteEdge();
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await gql(t.url, '{ me { tenant } }', {}, key)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const enterprise = await keyWith(t.url, { tenant: 'rl-ent', tier: 'enterprise' });
    const res = await gql(t.url, '{ me { tenant } }', {}, enterprise);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-ratelimit-limit')).toBeNull();
  });
});

describe('monthly intent quota', () => {
  it('admits exactly one of 25 concurrent submissions against 1 remaining intent', async () => {
    const key = await keyWith(t.url, { tenant: 'quota-race', monthlyIntentQuota: 1, rateLimitPerMinute: 1000 });
    const results = await Promise.all(
      Array.from({ length: 25 }, () => rest(t.url, 'POST', '/api/intents?wait=false', { key, body: { text: 'What is 1 + 1?' } })),
    );
    expect(results.filter((r) => r.status === 202 || r.status === 200)).toHaveLength(1);
    const refused = results.filter((r) => r.status === 429);
    expect(refused).toHaveLength(24);
    expect(refused[0]!.body.error.message).toMatch(/Monthly intent quota of 1 reached\. Resets in \d+ days?\./);
    expect(Number(refused[0]!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await rest(t.url, 'GET', '/api/intents', { key })).body.total).toBe(1);
  });

  it('does not charge rejected or replayed submissions', async () => {
    const key = await keyWith(t.url, { tenant: 'quota-fair', monthlyIntentQuota: 2, rateLimitPerMinute: 1000 });
    expect((await rest(t.url, 'POST', '/api/intents', { key, body: { text: '' } })).status).toBe(400);
    const once = await rest(t.url, 'POST', '/api/intents?wait=false', { key, body: { text: 'What is 2 + 2?' }, headers: { 'idempotency-key': 'same' } });
    const again = await rest(t.url, 'POST', '/api/intents?wait=false', { key, body: { text: 'What is 2 + 2?' }, headers: { 'idempotency-key': 'same' } });
    expect(again.body.id).toBe(once.body.id);
    expect((await rest(t.url, 'POST', '/api/intents?wait=false', { key, body: { text: 'What is 3 + 3?' } })).status).toBe(202);
    expect((await rest(t.url, 'POST', '/api/intents?wait=false', { key, body: { text: 'What is 4 + 4?' } })).status).toBe(429);
  });
});

const shared = process.env.TEST_REDIS_URL && process.env.TEST_DATABASE_URL;
describe.skipIf(!shared)('limits across instances (Redis)', () => {
  let cluster: Cluster;
  let a: GatewayProcess;
  let b: GatewayProcess;
  beforeAll(async () => {
    cluster = await startCluster();
    ({ a, b } = cluster);
  });
  afterAll(() => cluster?.stop());

  it('two instances together never admit more than the limit', async () => {
    const key = await keyWith(a.url, { tenant: 'two-instances', rateLimitPerMinute: 10, monthlyIntentQuota: 3 });
    await awayFromMinuteEdge();
    const requests = await Promise.all(Array.from({ length: 20 }, (_, i) => gql(i % 2 ? b.url : a.url, '{ me { tenant } }', {}, key)));
    expect(requests.filter((r) => r.status === 200)).toHaveLength(10);
    const fresh = await keyWith(b.url, { tenant: 'two-instances', rateLimitPerMinute: 1000, monthlyIntentQuota: 3 });
    const submits = await Promise.all(
      Array.from({ length: 12 }, (_, i) => rest(i % 2 ? b.url : a.url, 'POST', '/api/intents?wait=false', { key: fresh, body: { text: 'What is 5 + 5?' } })),
    );
    expect(submits.filter((r) => r.status === 202 || r.status === 200)).toHaveLength(3);
  }, 60_000);
});

describe('monthly quotas with Redis', () => {
  it('are counted in the database: a Redis restart gives no key a fresh month', async (ctx) => {
    const redis = await startPrivateRedis();
    if (typeof redis === 'string') return ctx.skip(redis); // no redis-server binary here
    onTestFinished(() => redis.destroy());
    const app = await startTestApp({ REDIS_URL: redis.url });
    onTestFinished(() => app.stop());
    const key = await keyWith(app.url, { tenant: 'quota-durable', monthlyIntentQuota: 3, rateLimitPerMinute: 1000 });
    for (const text of ['What is 1 + 2?', 'What is 2 + 3?']) {
      expect((await rest(app.url, 'POST', '/api/intents?wait=false', { key, body: { text } })).status).toBe(202);
    }
    await redis.stop('SIGKILL');
    await redis.start(); // comes back empty: no snapshot, no append-only file
    // Redis still carries the per-minute counters: wait until the gateway reaches the new one.
    for (let i = 0; (await gql(app.url, '{ me { tenant } }', {}, key)).status !== 200; i++) {
      expect(i, 'the gateway did not reconnect to the restarted Redis').toBeLessThan(100);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect((await rest(app.url, 'POST', '/api/intents?wait=false', { key, body: { text: 'What is 3 + 4?' } })).status).toBe(202);
    const over = await rest(app.url, 'POST', '/api/intents?wait=false', { key, body: { text: 'What is 4 + 5?' } });
    expect(over.status).toBe(429);
    expect(over.body.error.message).toMatch(/Monthly intent quota of 3 reached/);
  }, 60_000);
});
