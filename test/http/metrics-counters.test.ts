import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { registerHttpAgent, replyJson, startProtocolAgent } from '../helpers/agents.js';
import { startTestApp, useTestApp, type TestApp } from '../helpers/app.js';
import { eventually, gql, intentKey, rest } from '../helpers/http.js';
import { scrape, total, type Sample } from '../helpers/metrics.js';
import { startReceiver } from '../helpers/webhook-receiver.js';
import { collect, wsClient } from '../helpers/ws.js';
import { MAX_SUBSCRIPTIONS_PER_KEY } from '../../src/modules/events/subscription-guard.js';

/**
 * Each counter moves by what really happened: intents run by real agents through a
 * real gateway, webhooks sent to a real receiver, limits hit by real requests.
 */
const ENV = {
  GAVEL_AGENT_SECRET: 'metrics-counters-agent-secret',
  GAVEL_WEBHOOK_SECRET: 'metrics-counters-webhook-secret',
  GAVEL_WEBHOOK_RETRIES: '1',
  GAVEL_WEBHOOK_RETRY_DELAY_S: '1',
  GAVEL_WEBHOOK_TIMEOUT_MS: '1000',
};
const RECEIPT = `query($id: ID!) { intent(id: $id, waitMs: 20000) {
  status attempts { agent outcome } winningAgent { agent { slug } } cost { inputTokens outputTokens costUsd }
} }`;

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp(ENV);
});
afterAll(() => t?.stop());

/** What `read` changed of the metrics, as a function from a metric and labels to its delta. */
async function delta(read: () => Promise<unknown>): Promise<(name: string, labels?: Record<string, string>) => number> {
  const before = await scrape(t.url);
  await read();
  const after = await scrape(t.url);
  return (name, labels) => total(after, name, labels) - total(before, name, labels);
}

/** A real HTTP agent bidding `bid` in `domain`, retired when the test ends. */
async function httpAgent(slug: string, domain: string, bid: number, execute: (res: ServerResponse) => void): Promise<void> {
  const agent = await startProtocolAgent({ bid: (res) => replyJson(res, { confidence: bid, reasoning: 'scripted', estimated_cost_usd: 0.0001 }), execute });
  await registerHttpAgent(t.url, t.rootKey, { slug, endpoint: agent.url, domain, price: [2, 4] });
  onTestFinished(async () => {
    await gql(t.url, `mutation { updateAgent(id: "${slug}", input: { active: false }) { active } }`, {}, t.rootKey);
    agent.close();
  });
}

async function submit(key: string, input: Record<string, unknown>) {
  const res = await gql(t.url, 'mutation($input: SubmitIntentInput!) { submitIntent(input: $input) { id } }', { input }, key);
  expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
  return (await gql(t.url, RECEIPT, { id: res.body.data.submitIntent.id }, key)).body.data.intent;
}

describe('spend', () => {
  it('counts the tokens and USD of a delivered result, as its receipt states them, by auction tier', async () => {
    await httpAgent('metered-writer', 'research', 0.99, (res) => replyJson(res, { output: 'A thorough answer about tidal energy in three paragraphs.' }));
    const key = await intentKey(t, 'spend-co', 'pro');
    let intent: any;
    const moved = await delta(async () => (intent = await submit(key, { text: 'Research tidal energy for me', domain: 'research' })));
    expect(intent.winningAgent.agent.slug).toBe('metered-writer');
    const { inputTokens, outputTokens, costUsd } = intent.cost;
    expect(inputTokens * outputTokens * costUsd).toBeGreaterThan(0);
    expect(moved('gavel_tokens_total', { direction: 'input', tier: 'standard' })).toBe(inputTokens);
    expect(moved('gavel_tokens_total', { direction: 'output', tier: 'standard' })).toBe(outputTokens);
    expect(moved('gavel_spend_usd_total', { tier: 'standard' })).toBeCloseTo(costUsd, 12);
    expect(moved('gavel_intents_total', { status: 'completed', tier: 'standard' })).toBe(1);
  });

  it('counts nothing spent for a sandbox key, whose results are simulated', async () => {
    const key = await intentKey(t, 'spend-sandbox', 'pro', { sandbox: true });
    let intent: any;
    const moved = await delta(async () => (intent = await submit(key, { text: 'What is 17% of 2,340?' })));
    expect(intent.status).toBe('completed');
    expect(moved('gavel_tokens_total')).toBe(0);
    expect(moved('gavel_spend_usd_total')).toBe(0);
  });
});

describe('failovers', () => {
  it('count one when the winner fails and the runner-up delivers', async () => {
    await httpAgent('broken-favourite', 'finance', 0.99, (res) => res.writeHead(500).end('boom'));
    const key = await intentKey(t, 'failover-co', 'pro');
    let intent: any;
    const moved = await delta(async () => (intent = await submit(key, { text: 'What is 17% of 2,340?' })));
    expect(intent.status).toBe('completed');
    expect(intent.attempts.map((a: { agent: string; outcome: string }) => a.outcome)).toEqual(['failed', 'succeeded']);
    expect(moved('gavel_failovers_total', { tier: 'standard' })).toBe(1);
  });

  it('count none when the winner delivers', async () => {
    const key = await intentKey(t, 'no-failover-co', 'pro');
    const moved = await delta(() => submit(key, { text: 'What is 17% of 2,340?' }));
    expect(moved('gavel_failovers_total')).toBe(0);
  });
});

describe('webhook outcomes', () => {
  const attempts = async () => scrape(t.url);
  const outcome = (samples: Sample[], o: string) => total(samples, 'gavel_webhook_attempts_total', { event: 'receipt', outcome: o });

  it('count a failed attempt with a retry left as retried, then the delivery', async () => {
    const receiver = await startReceiver((n) => (n === 0 ? 500 : 200));
    const key = await intentKey(t, 'hooks-retried', 'enterprise');
    const before = await attempts();
    await rest(t.url, 'POST', '/api/intents', { key, body: { text: 'What is 2 + 2?', webhook_url: receiver.url } });
    const after = await eventually(attempts, (s) => outcome(s, 'delivered') > outcome(before, 'delivered'));
    expect(outcome(after, 'retried') - outcome(before, 'retried')).toBe(1);
    expect(outcome(after, 'delivered') - outcome(before, 'delivered')).toBe(1);
    expect(outcome(after, 'dead') - outcome(before, 'dead')).toBe(0);
  });

  it('count the last failed attempt as dead', async () => {
    const receiver = await startReceiver(() => 503);
    const key = await intentKey(t, 'hooks-dead', 'enterprise');
    const before = await attempts();
    await rest(t.url, 'POST', '/api/intents', { key, body: { text: 'What is 3 + 3?', webhook_url: receiver.url } });
    const after = await eventually(attempts, (s) => outcome(s, 'dead') > outcome(before, 'dead'));
    expect(receiver.received).toHaveLength(2);
    expect(outcome(after, 'retried') - outcome(before, 'retried')).toBe(1);
    expect(outcome(after, 'dead') - outcome(before, 'dead')).toBe(1);
    expect(outcome(after, 'delivered') - outcome(before, 'delivered')).toBe(0);
  });
});

describe('limit refusals', () => {
  async function keyWith(input: Record<string, unknown>): Promise<string> {
    const res = await gql(
      t.url,
      'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { key } }',
      { input: { scopes: ['intent_submit', 'intent_read'], ...input } },
      t.rootKey,
    );
    return res.body.data.createApiKey.key;
  }

  it('count a request past the rate by kind and key tier', async () => {
    const key = await keyWith({ tenant: 'refused-rate', tier: 'free', rateLimitPerMinute: 2 });
    // Fixed one-minute windows: three requests well inside one cannot straddle two.
    const intoMinute = Date.now() % 60_000;
    if (intoMinute > 55_000) await new Promise((r) => setTimeout(r, 60_000 - intoMinute + 200));
    const statuses: number[] = [];
    const moved = await delta(async () => {
      for (let i = 0; i < 3; i++) statuses.push((await gql(t.url, '{ me { tenant } }', {}, key)).status);
    });
    expect(statuses).toEqual([200, 200, 429]);
    expect(moved('gavel_limit_refusals_total', { kind: 'rate', key_tier: 'free' })).toBe(1);
    expect(moved('gavel_limit_refusals_total', { kind: 'monthly_quota' })).toBe(0);
  });

  it('count an intent past the monthly quota by kind and key tier', async () => {
    const key = await keyWith({ tenant: 'refused-quota', tier: 'pro', monthlyIntentQuota: 1 });
    const statuses: number[] = [];
    const moved = await delta(async () => {
      for (let i = 0; i < 2; i++) statuses.push((await rest(t.url, 'POST', '/api/intents', { key, body: { text: 'What is 5 + 5?' } })).status);
    });
    expect(statuses).toEqual([200, 429]);
    expect(moved('gavel_limit_refusals_total', { kind: 'monthly_quota', key_tier: 'pro' })).toBe(1);
    expect(moved('gavel_limit_refusals_total', { kind: 'rate' })).toBe(0);
  });

  it('count a subscription past the cap of open subscriptions a key may hold', async () => {
    // A rate high enough for the subscriptions themselves: each one is an operation that counts.
    const key = await keyWith({ tenant: 'refused-subscriptions', tier: 'pro', rateLimitPerMinute: 1000 });
    const client = wsClient(t.url, key);
    onTestFinished(() => client.dispose());
    // Distinct variables: identical feeds on one socket share one stream, and one slot.
    const feed = 'subscription($domain: String) { bidFeed(domain: $domain) { agent } }';
    const open = Array.from({ length: MAX_SUBSCRIPTIONS_PER_KEY }, (_, i) => collect(client, feed, { domain: `d${i}` }));
    onTestFinished(() => open.forEach((s) => s.cancel()));
    const gauge = async () => total(await scrape(t.url), 'gavel_open_subscriptions');
    await eventually(gauge, (n) => n >= MAX_SUBSCRIPTIONS_PER_KEY);
    let refused: { error?: unknown } = {};
    const moved = await delta(async () => {
      refused = await collect(client, feed, { domain: 'one-too-many' }).done;
    });
    expect(refused.error).toMatchObject([{ extensions: { code: 'RATE_LIMIT_EXCEEDED' } }]);
    expect(moved('gavel_limit_refusals_total', { kind: 'subscriptions', key_tier: 'pro' })).toBe(1);
  });
});

describe('job queues', () => {
  it('report each queue’s depth and how long its oldest ready job has waited', async () => {
    // An API-only instance runs no auctions: what it accepts waits in the queue.
    const api = await useTestApp({ GAVEL_AUCTION_CONCURRENCY: '0' });
    for (let i = 0; i < 3; i++) {
      const res = await rest(api.url, 'POST', '/api/intents?wait=false', { key: api.rootKey, body: { text: `What is ${i} + 1?` } });
      expect(res.status).toBe(202);
    }
    const scraped = await scrape(api.url);
    const depth = (queue: string, state: string) => total(scraped, 'gavel_job_queue_depth', { queue, state });
    expect([depth('auction', 'ready'), depth('auction', 'deferred'), depth('auction', 'active')]).toEqual([3, 0, 0]);
    expect(total(scraped, 'gavel_job_queue_oldest_ready_seconds', { queue: 'auction' })).toBeGreaterThan(0);
    // Every queue served is reported, empty ones as 0.
    expect(depth('webhook', 'ready')).toBe(0);
    expect(total(scraped, 'gavel_job_queue_oldest_ready_seconds', { queue: 'webhook' })).toBe(0);
  });
});
