import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { createKey, gql } from '../helpers/http.js';
import { wsClient } from '../helpers/ws.js';

/** `subscription { me }`: the caller once, then an UNAUTHORIZED end when its key is revoked. */
describe('Subscription.me', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t?.stop());

  it('sends the caller at once and ends with UNAUTHORIZED within seconds of a revocation', async () => {
    // A tenant's full-access key, which revokes itself (the operator's key sees only its own tenant's keys).
    const { key, id } = await createKey(t.url, t.rootKey, { tenant: 'watch-co', tier: 'enterprise', scopes: ['full_access'] });
    const client = wsClient(t.url, key);
    const seen: unknown[] = [];
    let firstSeen: () => void = () => {};
    const first = new Promise<void>((resolve) => (firstSeen = resolve));
    const ended = new Promise<{ error?: unknown; at: number }>((resolve) => {
      client.subscribe(
        { query: 'subscription { me { keyId tenant tier } }' },
        {
          next: (value) => (value.errors ? resolve({ error: value.errors, at: Date.now() }) : (seen.push(value.data), firstSeen())),
          error: (error) => resolve({ error, at: Date.now() }),
          complete: () => resolve({ at: Date.now() }),
        },
      );
    });
    try {
      await first;
      expect(seen).toEqual([{ me: { keyId: id, tenant: 'watch-co', tier: 'enterprise' } }]);
      const revoked = await gql(t.url, 'mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }', { id }, key);
      expect(revoked.body.errors).toBeUndefined();
      const revokedAt = Date.now();
      const end = await ended;
      expect(JSON.stringify(end.error)).toContain('UNAUTHORIZED');
      expect(end.at - revokedAt).toBeLessThan(6_000);
      expect(seen).toHaveLength(1);
    } finally {
      await client.dispose();
    }
  });

  it('refuses an anonymous connection', async () => {
    const client = wsClient(t.url);
    try {
      const error = await new Promise<unknown>((resolve) =>
        client.subscribe({ query: 'subscription { me { keyId } }' }, { next: (v) => resolve(v.errors), error: resolve, complete: () => resolve(null) }),
      );
      expect(JSON.stringify(error)).toContain('UNAUTHORIZED');
    } finally {
      await client.dispose();
    }
  });
});
