import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { launchBrowser, noBrowser, openPage, pageServer } from '../helpers/browser.js';
import { createKey, gql } from '../helpers/http.js';
import { registerSilentAgent } from '../helpers/silent-agent.js';

/** What the page scripts use of the browser's EventSource (the tests compile without the DOM library). */
interface BrowserEventSource {
  readyState: number;
  addEventListener(type: string, listener: (event: { data?: string; lastEventId?: string }) => void): void;
  close(): void;
}
declare const EventSource: new (url: string) => BrowserEventSource;

describe.skipIf(noBrowser !== null)('a browser on another origin', () => {
  let t: TestApp;
  let browser: Browser;
  let allowed: Awaited<ReturnType<typeof pageServer>>;
  let unlisted: Awaited<ReturnType<typeof pageServer>>;
  let page: Page;
  let key: string;

  beforeAll(async () => {
    [allowed, unlisted, browser] = await Promise.all([pageServer(), pageServer(), launchBrowser()]);
    // Only the first page's origin is listed; the agent secret lets the silent HTTP agent be asked.
    t = await startTestApp({ GAVEL_CORS_ORIGINS: allowed.origin, GAVEL_AGENT_SECRET: 'browser-agent-secret-0123' });
    key = (await createKey(t.url, t.rootKey, { tenant: 'browser-co', tier: 'pro', scopes: ['intent_submit', 'intent_read'] })).key;
    page = await openPage(browser, allowed.origin);
  });
  afterAll(async () => {
    await browser?.close();
    await Promise.all([t?.stop(), allowed?.close(), unlisted?.close()]);
  });

  it('reads Location, X-Request-ID and X-RateLimit-* of a REST answer', async () => {
    const read = await page.evaluate(
      async ({ gavel, key }) => {
        const res = await fetch(`${gavel}/api/intents?wait=false`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'idempotency-key': `browser-${Math.random()}` },
          body: JSON.stringify({ text: 'What is 12 * 12?' }),
        });
        const names = ['location', 'x-request-id', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset'];
        return { status: res.status, headers: Object.fromEntries(names.map((n) => [n, res.headers.get(n)])) };
      },
      { gavel: t.url, key },
    );
    expect(read.status).toBe(202);
    expect(read.headers.location).toMatch(/^\/api\/intents\/\d+$/);
    expect(read.headers['x-request-id']).toMatch(/^req_/);
    expect(read.headers['x-ratelimit-limit']).toBe('300');
    expect(Number(read.headers['x-ratelimit-remaining'])).toBeLessThan(300);
    expect(Number(read.headers['x-ratelimit-reset'])).toBeGreaterThan(Date.now() / 1000);
  });

  it('reads Retry-After and the error code of a 429', async () => {
    const limited = await gql(
      t.url,
      'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { key } }',
      { input: { tenant: 'browser-limited', tier: 'free', scopes: ['intent_read'], rateLimitPerMinute: 2 } },
      t.rootKey,
    );
    const refused = await page.evaluate(
      async ({ gavel, key }) => {
        // Two a minute: a third call within any one minute is refused (at most one window edge can intervene).
        for (let i = 0; i < 6; i++) {
          const res = await fetch(`${gavel}/api/me`, { headers: { authorization: `Bearer ${key}` } });
          if (res.status === 429) return { retryAfter: res.headers.get('retry-after'), body: await res.json() };
        }
        return null;
      },
      { gavel: t.url, key: limited.body.data.createApiKey.key as string },
    );
    expect(refused).not.toBeNull();
    expect(Number(refused!.retryAfter)).toBeGreaterThan(0);
    expect(refused!.body.error.code).toBe('rate_limit_exceeded');
  });

  it('is blocked from reading answers when its origin is not listed', async () => {
    const other = await openPage(browser, unlisted.origin);
    const outcome = await other.evaluate(
      async ({ gavel, key }) => {
        try {
          await fetch(`${gavel}/api/me`, { headers: { authorization: `Bearer ${key}` } });
          return 'read';
        } catch (error) {
          return `blocked: ${(error as Error).name}`;
        }
      },
      { gavel: t.url, key },
    );
    expect(outcome).toBe('blocked: TypeError');
  });

  it('mints a stream token and follows an auction with a native EventSource, to the end', async () => {
    const seen = await page.evaluate(
      async ({ gavel, key }) => {
        const submitted = await fetch(`${gavel}/api/intents?wait=false`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: JSON.stringify({ text: 'convert 5 km to miles' }),
        });
        const { id } = await submitted.json();
        const minted = await fetch(`${gavel}/api/intents/${id}/stream-token`, { method: 'POST', headers: { authorization: `Bearer ${key}` } });
        const { events_url } = await minted.json();
        return new Promise<{ types: string[]; ids: string[]; url: string }>((resolve, reject) => {
          const types: string[] = [];
          const ids: string[] = [];
          const source = new EventSource(`${gavel}${events_url}`);
          const record = (type: string) => (event: { lastEventId?: string }) => {
            types.push(type);
            ids.push(event.lastEventId ?? '');
            if (type === 'completed') {
              source.close();
              resolve({ types, ids, url: events_url });
            }
          };
          for (const type of ['created', 'bid', 'auction_closed', 'execution_started', 'chunk', 'completed']) source.addEventListener(type, record(type));
          source.addEventListener('error', (event) => {
            if (source.readyState === 2 || event.data) reject(new Error(`stream failed: ${event.data ?? 'closed'}`));
          });
        });
      },
      { gavel: t.url, key },
    );
    expect(seen.url).not.toContain(key);
    expect(seen.types[0]).toBe('created');
    expect(seen.types).toContain('auction_closed');
    expect(seen.types.at(-1)).toBe('completed');
    expect(seen.ids.map(Number)).toEqual(seen.ids.map((_, i) => i + 1));
  });

  it("gets an error event with the code when the stream's key is revoked", async () => {
    // The silent agent keeps the bid window open, so the stream is live when the key goes.
    await registerSilentAgent(t, 'browser-silent');
    const doomed = await createKey(t.url, t.rootKey, { tenant: 'browser-revoked', tier: 'enterprise', scopes: ['full_access'] });
    const ended = await page.evaluate(
      async ({ gavel, key, keyId }) => {
        const submitted = await fetch(`${gavel}/api/intents?wait=false`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: JSON.stringify({ text: 'What is 7 + 7?', bid_window_ms: 20000 }),
        });
        const { id } = await submitted.json();
        const minted = await fetch(`${gavel}/api/intents/${id}/stream-token`, { method: 'POST', headers: { authorization: `Bearer ${key}` } });
        const { events_url } = await minted.json();
        return new Promise<unknown>((resolve) => {
          const source = new EventSource(`${gavel}${events_url}`);
          source.addEventListener('created', () => {
            void fetch(`${gavel}/graphql`, {
              method: 'POST',
              headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
              body: JSON.stringify({ query: 'mutation($id: ID!) { revokeApiKey(id: $id) { id } }', variables: { id: keyId } }),
            });
          });
          // The stream's own `error` event carries data; a connection error does not.
          source.addEventListener('error', (event) => {
            if (!event.data) return;
            source.close();
            resolve(JSON.parse(event.data));
          });
        });
      },
      { gavel: t.url, key: doomed.key, keyId: doomed.id },
    );
    expect(ended).toMatchObject({ error: { code: 'unauthorized', message: expect.stringMatching(/revoked/), request_id: expect.any(String) } });
  });
});
