import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { launchBrowser, noBrowser } from '../helpers/browser.js';
import { gql } from '../helpers/http.js';
import { collect, wsClient } from '../helpers/ws.js';

const FOLLOW = 'subscription($id: ID!) { intentEvents(intentId: $id) { seq type } }';

/** GraphiQL in development: served offline by the gateway, its Headers tab reaching subscriptions. */
describe('GraphiQL (development)', () => {
  let t: TestApp;
  let intentId: string;

  beforeAll(async () => {
    t = await startTestApp({ NODE_ENV: 'development' });
    const submitted = await gql(t.url, 'mutation { submitIntent(input: { text: "What is 2 + 2?" }, waitMs: 20000) { id status } }', {}, t.rootKey);
    intentId = submitted.body.data.submitIntent.id;
  });
  afterAll(() => t?.stop());

  it('is a page with its scripts inlined (no CDN), opening on an example operation', async () => {
    const res = await fetch(`${t.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('YogaGraphiQL.renderYogaGraphiQL');
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+stylesheet[^>]+href="http|unpkg\.com|jsdelivr/);
    expect(html).toContain('routingStats');
    expect(html).toContain('subscription Follow');
  });

  it("authenticates a subscription with the Authorization of the operation's extensions.headers, as GraphiQL sends it", async () => {
    const anonymous = wsClient(t.url);
    const subscribe = (headers: Record<string, string>) =>
      new Promise<{ items: unknown[]; error?: unknown }>((resolve) => {
        const items: unknown[] = [];
        anonymous.subscribe(
          { query: FOLLOW, variables: { id: intentId }, extensions: { headers } },
          {
            next: (v) => (v.errors ? resolve({ items, error: v.errors }) : items.push(v.data)),
            error: (error) => resolve({ items, error }),
            complete: () => resolve({ items }),
          },
        );
      });
    try {
      const withKey = await subscribe({ Authorization: `Bearer ${t.rootKey}` });
      expect(withKey.error).toBeUndefined();
      expect(withKey.items.length).toBeGreaterThan(3);
      const without = await subscribe({});
      expect(JSON.stringify(without.error)).toContain('UNAUTHORIZED');
      const wrong = await subscribe({ authorization: 'Bearer gvl_live_wrong_key_00000000000000000000' });
      expect(JSON.stringify(wrong.error)).toContain('UNAUTHORIZED');
    } finally {
      await anonymous.dispose();
    }
  });

  it('keeps the key of connection_init when there is one (extensions cannot swap it)', async () => {
    const other = await gql(t.url, 'mutation { createApiKey(input: { tenant: "graphiql-other", scopes: [intent_read] }) { key } }', {}, t.rootKey);
    const client = wsClient(t.url, other.body.data.createApiKey.key);
    try {
      const { error } = await collect(client, FOLLOW, { id: intentId }).done;
      expect(JSON.stringify(error)).toContain('NOT_FOUND'); // another tenant's intent, whatever extensions say
    } finally {
      await client.dispose();
    }
  });

  it.skipIf(noBrowser !== null)('renders in Chromium with nothing fetched from another origin, and runs the example', async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      const foreign: string[] = [];
      page.on('request', (r) => {
        const url = new URL(r.url());
        if (!['blob:', 'data:'].includes(url.protocol) && url.origin !== t.url) foreign.push(r.url());
      });
      await page.goto(`${t.url}/graphql`);
      await page.locator('.graphiql-execute-button').waitFor({ timeout: 30_000 });
      await page.locator('.graphiql-execute-button').click();
      // Several operations: GraphiQL asks which one to run.
      await page.getByRole('menuitem', { name: 'Stats' }).click({ timeout: 5_000 });
      await expect.poll(() => page.locator('.graphiql-response').textContent(), { timeout: 15_000 }).toContain('totalIntents30d');
      mkdirSync('test-results/console', { recursive: true });
      await page.screenshot({ path: 'test-results/console/13-graphiql.png' });
      expect(foreign).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});

describe('GraphiQL (production)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ NODE_ENV: 'production' });
  });
  afterAll(() => t?.stop());

  it('is not served, and / redirects to the console', async () => {
    const res = await fetch(`${t.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(await res.text()).not.toContain('YogaGraphiQL');
    const root = await fetch(`${t.url}/`, { redirect: 'manual' });
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/console');
  });
});
