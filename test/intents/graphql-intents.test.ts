import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { gql, intentKey } from '../helpers/http.js';
import { registerSilentAgent } from '../helpers/silent-agent.js';

let t: TestApp;
let key: string;
beforeAll(async () => {
  // HTTP agents need a signing secret to be asked at all (the cancel test's silent agent).
  t = await startTestApp({ GAVEL_AGENT_SECRET: 'graphql-intents-agent-secret' });
  key = await intentKey(t, 'gql-co', 'pro');
});
afterAll(() => t?.stop());

const SUBMIT = `mutation($input: SubmitIntentInput!) { submitIntent(input: $input) { id status text } }`;
const WAIT = `query($id: ID!) { intent(id: $id, waitMs: 20000) {
  id status result attempts { agent outcome }
  winningAgent { name confidence domain reasoning agent { slug kind } }
  cost { inputTokens outputTokens totalTokens costUsd }
  bids { id outcome confidence score latencyMs won rank }
} }`;

describe('GraphQL intents', () => {
  it('submitIntent returns at once; intent(id) long-polls to the completed receipt with every bid', async () => {
    const submitted = await gql(t.url, SUBMIT, { input: { text: 'What is 17% of 2,340?' } }, key);
    expect(submitted.body.errors).toBeUndefined();
    expect(['pending', 'bidding', 'executing', 'completed']).toContain(submitted.body.data.submitIntent.status);
    const done = await gql(t.url, WAIT, { id: submitted.body.data.submitIntent.id }, key);
    const intent = done.body.data.intent;
    expect(intent.status).toBe('completed');
    expect(intent.result).toContain('397.8');
    expect(intent.winningAgent.agent.kind).toBe('tool');
    expect(intent.attempts).toEqual([{ agent: intent.winningAgent.agent.slug, outcome: 'succeeded' }]);
    expect(intent.cost.totalTokens).toBe(intent.cost.inputTokens + intent.cost.outputTokens);
    const ranks = intent.bids.map((b: { rank: number }) => b.rank);
    expect(ranks).toEqual([...ranks].sort((a: number, b: number) => a - b));
    expect(intent.bids.every((b: { latencyMs: number }) => b.latencyMs >= 0)).toBe(true);
    // Every agent asked has a bid record, each with an id of its own, across intents too.
    const ids = (i: { bids: Array<{ id: string }> }) => i.bids.map((b) => b.id);
    expect(new Set(ids(intent)).size).toBe(210);
    const again = await gql(t.url, SUBMIT, { input: { text: 'What is 18% of 2,340?' } }, key);
    const other = (await gql(t.url, WAIT, { id: again.body.data.submitIntent.id }, key)).body.data.intent;
    expect(ids(other).filter((id) => ids(intent).includes(id))).toEqual([]);
  });

  it('intents is a connection, newest first, filterable by status, with a total count', async () => {
    const res = await gql(t.url, '{ intents(first: 5, status: completed) { totalCount edges { node { id status } } pageInfo { hasNextPage } } }', {}, key);
    const conn = res.body.data.intents;
    expect(conn.totalCount).toBeGreaterThan(0);
    expect(conn.edges.every((e: { node: { status: string } }) => e.node.status === 'completed')).toBe(true);
    const newestFirst = conn.edges.map((e: { node: { id: string } }) => Number(e.node.id));
    expect(newestFirst.length).toBeGreaterThan(1);
    expect(newestFirst).toEqual([...newestFirst].sort((a, b) => b - a));
  });

  it('a bad page size or cursor is refused as INVALID_REQUEST', async () => {
    for (const args of ['first: -1', 'after: "garbage"', 'last: 2']) {
      const res = await gql(t.url, `{ intents(${args}) { totalCount } }`, {}, key);
      expect(res.body.errors?.[0]?.extensions?.code, args).toBe('INVALID_REQUEST');
    }
  });

  it('cancelIntent stops an intent that has not finished, and refuses a finished one', async () => {
    // An HTTP agent that never answers its bid keeps the auction's bid window open.
    await registerSilentAgent(t, 'silent-agent');
    const submitted = await gql(t.url, SUBMIT, { input: { text: 'What is 3 + 4?', bidWindowMs: 5000 } }, key);
    const id = submitted.body.data.submitIntent.id;
    const cancelled = await gql(t.url, 'mutation($id: ID!) { cancelIntent(id: $id) { status } }', { id }, key);
    expect(cancelled.body.errors, JSON.stringify(cancelled.body.errors)).toBeUndefined();
    expect(cancelled.body.data.cancelIntent.status).toBe('cancelled');
    const again = await gql(t.url, 'mutation($id: ID!) { cancelIntent(id: $id) { status } }', { id }, key);
    expect(again.body.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    const later = await gql(t.url, 'query($id: ID!) { intent(id: $id, waitMs: 1000) { status result } }', { id }, key);
    expect(later.body.data.intent).toEqual({ status: 'cancelled', result: null });
  });

  it("usage counts what the key's quota counts: a sandbox key's intents are not charged against it", async () => {
    const sandbox = await intentKey(t, 'gql-sandbox', 'free', { sandbox: true });
    const USAGE = '{ usage { intents quota remaining completed } }';
    const submitted = await gql(t.url, `mutation { submitIntent(input: { text: "What is 2 + 2?" }, waitMs: 20000) { status } }`, {}, sandbox);
    expect(submitted.body.data.submitIntent.status).toBe('completed');
    const usage = await gql(t.url, USAGE, {}, sandbox);
    expect(usage.body.data.usage).toEqual({ intents: 0, quota: 20, remaining: 20, completed: 1 });
  });

  it('usage reports this month against the tier quota', async () => {
    const res = await gql(t.url, '{ usage { intents quota remaining completed totalTokens costUsd } }', {}, key);
    expect(res.body.data.usage).toMatchObject({ quota: 500, intents: expect.any(Number) });
    expect(res.body.data.usage.remaining).toBe(500 - res.body.data.usage.intents);
    expect(res.body.data.usage.costUsd).toBeGreaterThan(0);
  });

  it('agents shows the roster of 210 with availability and win rates', async () => {
    const res = await gql(t.url, '{ agents { slug kind available unavailableReason stats { bids wins winRate } } }');
    const agents = res.body.data.agents;
    expect(agents).toHaveLength(210);
    const llm = agents.find((a: { kind: string }) => a.kind === 'llm');
    expect(llm).toMatchObject({ available: false, unavailableReason: expect.stringMatching(/provider/i) });
    expect(agents.some((a: { stats: { wins: number } }) => a.stats.wins > 0)).toBe(true);
  });
});
