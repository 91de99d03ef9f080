import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { launchBrowser, noBrowser } from '../helpers/browser.js';
import { gql } from '../helpers/http.js';
import { startSilentAgent } from '../helpers/silent-agent.js';

/** Screenshots of every page, to look at: test-results/console/*.png. */
const SHOTS = 'test-results/console';
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

/**
 * The console in a real Chromium against a real gateway: sign in, watch an auction to its
 * receipt (reloading mid-auction), replay it, and manage keys. The bid window is held
 * open by a silent HTTP agent so that the reload lands while bids are still coming in.
 */
describe.skipIf(noBrowser !== null)('the console', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let stopSilent: () => Promise<void>;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    [t, browser] = await Promise.all([startTestApp({ GAVEL_AGENT_SECRET: 'console-agent-secret-0123', GAVEL_BID_WINDOW_MS: '4000' }), launchBrowser()]);
    base = t.url;
    stopSilent = await startSilentAgent(t, 'console-silent');
  });
  afterAll(async () => {
    await stopSilent?.();
    await browser?.close();
    await t?.stop();
  });

  async function signedIn(key: string, viewport = DESKTOP): Promise<Page> {
    const context = await browser.newContext({ viewport });
    contexts.push(context);
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    // A failed request is a problem unless it is the expected 401 of a revoked key; its body says why.
    page.on('response', (r) => {
      if (r.status() >= 400 && r.status() !== 401) void r.text().then((body) => problems.push(`${r.status()} ${r.url()}: ${body.slice(0, 300)}`));
    });
    (page as Page & { problems: string[] }).problems = problems;
    await page.goto(`${base}/console`);
    await page.getByLabel('API key').fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('tenant').waitFor();
    return page;
  }
  const problemsOf = (page: Page) => (page as Page & { problems: string[] }).problems;

  it('serves the app with a strict CSP, cacheable hashed assets, and / redirecting to it', async () => {
    const index = await fetch(`${base}/console/intents/1`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(index.headers.get('cache-control')).toBe('no-cache');
    const html = await index.text();
    const script = /src="(\/console\/assets\/[^"]+\.js)"/.exec(html)![1]!;
    const asset = await fetch(`${base}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await fetch(`${base}/console/assets/missing.js`)).status).toBe(404);
    expect((await fetch(`${base}/console/..%2f..%2fpackage.json`)).headers.get('content-type')).toMatch(/text\/html/);
  });

  it('signs in, shows tenant, tier and scopes, and refuses a wrong key', async () => {
    const context = await browser.newContext({ viewport: DESKTOP });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${base}/console`);
    await page.screenshot({ path: `${SHOTS}/01-sign-in.png` });
    await page.getByLabel('API key').fill('gvl_live_not_a_real_key_000000000000');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/key/i);

    const op = await signedIn(t.rootKey);
    expect(await op.getByTestId('tier').textContent()).toBe('enterprise');
    expect(await op.getByTestId('scopes').textContent()).toContain('full_access');
    expect(await op.evaluate('document.cookie')).toBe('');
    expect(op.url()).not.toContain(t.rootKey);
    expect(problemsOf(op)).toEqual([]);
  });

  let intentId: string;

  it('runs an auction live: one bar per agent asked, the winner and the receipt, across a reload with no duplicate', async () => {
    const page = await signedIn(t.rootKey);
    await page.getByLabel('Intent').fill('What is 17% of 2,340?');
    await page.getByRole('button', { name: 'Submit' }).click();
    await page.waitForURL(/\/console\/auction\/\d+$/);
    intentId = /auction\/(\d+)$/.exec(page.url())![1]!;

    // Bids are in, but the silent agent holds the window open: reload now.
    // Tool agents' bids stream at once; agents that cannot bid are told at the close.
    await expect.poll(() => page.locator('rect.bar').count(), { timeout: 15_000 }).toBeGreaterThan(3);
    expect(await page.getByTestId('auction').getAttribute('data-phase')).toBe('bidding');
    await page.screenshot({ path: `${SHOTS}/02-auction-bidding.png` });
    const seenBeforeReload = Number(await page.getByTestId('event-count').getAttribute('data-last-seq'));
    await page.reload();
    // What this tab saw is back at once, before any new event.
    await expect.poll(() => page.getByTestId('event-count').getAttribute('data-last-seq')).not.toBe('0');
    expect(Number(await page.getByTestId('event-count').getAttribute('data-last-seq'))).toBeGreaterThanOrEqual(seenBeforeReload);

    await page.getByTestId('receipt-result').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('receipt-result').textContent()).toContain('397.8');
    expect(await page.getByTestId('output').textContent()).toContain('397.8');
    const asked = Number(/of (\d+) agents answered/.exec((await page.getByTestId('event-count').textContent())!)![1]);
    const roster = await gql(base, '{ agents { slug active } }', {}, t.rootKey);
    expect(asked).toBe(roster.body.data.agents.filter((a: { active: boolean }) => a.active).length);
    const bars = await page.locator('rect.bar').evaluateAll((rects) => rects.map((r) => r.getAttribute('data-agent')));
    expect(bars).toHaveLength(asked);
    expect(new Set(bars).size).toBe(asked);
    // The silent agent never answered: its bar says so.
    expect(await page.locator('rect.bar[data-agent="console-silent"]').getAttribute('class')).toMatch(/o-(timed_out|failed)/);
    expect(await page.locator('rect.bar.winner').count()).toBe(1);
    expect(await page.getByTestId('winner').textContent()).toMatch(/Winner/);

    // Every event exactly once, in order: seq 1..n with neither gap nor repeat.
    const seqs = (await page.evaluate(`JSON.parse(sessionStorage.getItem('gavel.events.${intentId}')).map((e) => e.seq)`)) as number[];
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    expect(seqs.length).toBeGreaterThan(asked);
    expect(seqs.length).toBeGreaterThan(seenBeforeReload);
    const receipt = await page.getByTestId('receipt').textContent();
    expect(receipt).toMatch(/Tokens.*in.*out/);
    expect(receipt).toMatch(/Duration\d+ ms/);
    expect(receipt).toMatch(/Attempts1/);
    await page.screenshot({ path: `${SHOTS}/03-auction-receipt.png`, fullPage: true });
    expect(problemsOf(page)).toEqual([]);

    const phone = await signedIn(t.rootKey, PHONE);
    await phone.goto(`${base}/console/auction/${intentId}`);
    await phone.getByTestId('receipt-result').waitFor();
    await phone.screenshot({ path: `${SHOTS}/04-auction-phone.png`, fullPage: true });
  });

  it('lists intents and replays one from its stored events (play, pause, scrub)', async () => {
    const page = await signedIn(t.rootKey);
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Intents' }).click();
    await page.getByTestId('intents').waitFor();
    await page.screenshot({ path: `${SHOTS}/05-intents.png` });
    await page.getByRole('link', { name: intentId, exact: true }).click();
    await page.getByTestId('receipt').waitFor();
    const position = page.getByTestId('replay-position');
    await expect.poll(() => position.textContent()).toMatch(/^(\d+) \/ \1$/);
    const total = Number((await position.textContent())!.split(' / ')[1]);
    const live = (await page.evaluate(`JSON.parse(sessionStorage.getItem('gavel.events.${intentId}') ?? 'null')`)) as unknown;
    expect(live).toBeNull(); // another tab: this replay comes from the server's log alone
    const allBars = await page.locator('rect.bar').count();

    await page.getByRole('slider').fill('5');
    expect(await position.textContent()).toBe(`5 / ${total}`);
    expect(await page.locator('rect.bar').count()).toBeLessThan(allBars);
    await page.getByRole('button', { name: 'Play' }).click();
    await expect.poll(async () => Number((await position.textContent())!.split(' / ')[0])).toBeGreaterThan(8);
    await page.getByRole('button', { name: 'Pause' }).click();
    const paused = await position.textContent();
    await page.waitForTimeout(500);
    expect(await position.textContent()).toBe(paused);
    await page.screenshot({ path: `${SHOTS}/06-intent-replay.png`, fullPage: true });
    await page.getByRole('slider').fill(String(total));
    expect(await page.locator('rect.bar').count()).toBe(allBars);
    expect(problemsOf(page)).toEqual([]);
  });

  it('shows the bid feed, the roster and the routing statistics', async () => {
    const page = await signedIn(t.rootKey);
    const nav = page.getByRole('navigation', { name: 'Sections' });
    await nav.getByRole('link', { name: 'Agents' }).click();
    await page.getByTestId('agents').waitFor();
    await page.getByRole('searchbox', { name: 'Search' }).fill('percent');
    await page.screenshot({ path: `${SHOTS}/07-agents.png` });
    await nav.getByRole('link', { name: 'Stats' }).click();
    await page.getByText('Share of intents by domain').waitFor();
    await page.screenshot({ path: `${SHOTS}/08-stats.png` });
    await nav.getByRole('link', { name: 'Bid feed' }).click();
    await page.getByText('Waiting for bids').waitFor();
    // A bid arrives on the feed while it is open (outcome filter: bids only).
    await page.waitForTimeout(500);
    const submitted = await gql(base, 'mutation { submitIntent(input: { text: "What is 3 + 4?" }) { id } }', {}, t.rootKey);
    expect(submitted.body.errors).toBeUndefined();
    await expect.poll(() => page.locator('table.list tbody tr').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    expect(await page.locator('table.list .badge.o-declined').count()).toBe(0);
    await page.screenshot({ path: `${SHOTS}/09-bid-feed.png` });
    expect(problemsOf(page)).toEqual([]);
  });

  it('creates keys (shown once), signs in with a Free one without the account pages, and signs out a revoked key within seconds', async () => {
    const page = await signedIn(t.rootKey);
    page.on('dialog', (dialog) => void dialog.accept());
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Account' }).click();
    await page.getByTestId('keys').waitFor();

    // A Free key of a new tenant.
    await page.getByLabel('Name').fill('free-one');
    await page.getByLabel('Tenant (new or existing)').fill('console-free-co');
    await page.getByLabel('Tier').selectOption('free');
    await page.getByRole('button', { name: 'Create key' }).click();
    const freeKey = (await page.getByTestId('new-key-value').textContent())!;
    expect(freeKey).toMatch(/^gvl_live_/);
    await page.screenshot({ path: `${SHOTS}/10-account-key-created.png`, fullPage: true });

    // A key of this tenant, to revoke.
    await page.getByLabel('Tenant (new or existing)').fill('');
    await page.getByLabel('Name').fill('to-revoke');
    await page.getByRole('button', { name: 'Create key' }).click();
    await expect.poll(() => page.getByTestId('new-key-value').textContent()).not.toBe(freeKey);
    const doomedKey = (await page.getByTestId('new-key-value').textContent())!;

    const free = await signedIn(freeKey);
    expect(await free.getByTestId('tier').textContent()).toBe('free');
    const nav = free.getByRole('navigation', { name: 'Sections' });
    expect(await nav.getByRole('link', { name: 'Account' }).count()).toBe(0);
    expect(await nav.getByRole('link', { name: 'Live auction' }).count()).toBe(1);
    expect(await free.locator('option[value="shield"]').isDisabled()).toBe(true);
    await free.screenshot({ path: `${SHOTS}/11-free-key.png` });

    const doomed = await signedIn(doomedKey);
    await page
      .getByTestId('keys')
      .locator('tr', { hasText: 'to-revoke' })
      .getByRole('button', { name: /Revoke/ })
      .click();
    await expect.poll(() => page.getByTestId('keys').locator('tr', { hasText: 'to-revoke' }).textContent()).toContain('revoked');
    const revokedAt = Date.now();
    await doomed.getByLabel('API key').waitFor({ timeout: 10_000 });
    expect(Date.now() - revokedAt).toBeLessThan(10_000);
    expect(await doomed.getByRole('status').textContent()).toMatch(/no longer valid/);
    await doomed.screenshot({ path: `${SHOTS}/12-revoked.png` });
    expect(problemsOf(page)).toEqual([]);
  });
});
