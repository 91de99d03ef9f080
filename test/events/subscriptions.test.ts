import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { createKey, gql, intentKey, rosterSize } from '../helpers/http.js';
import WebSocket from 'ws';
import { collect, wsClient } from '../helpers/ws.js';

const EVENTS = `subscription($id: ID!, $after: Int) { intentEvents(intentId: $id, after: $after) {
  __typename
  ... on Event { seq type }
  ... on BidPlaced { agent outcome confidence }
  ... on AuctionClosed { winner bids asked }
  ... on ResultChunk { text }
  ... on IntentCompleted { result costUsd }
} }`;
const SUBMIT = `mutation($text: String!) { submitIntent(input: { text: $text }) { id } }`;

let t: TestApp;
let key: string;
let other: string;
let roster: number;
beforeAll(async () => {
  t = await startTestApp();
  key = await intentKey(t, 'stream-co', 'pro');
  other = await intentKey(t, 'stream-other', 'pro');
  roster = await rosterSize(t.url);
});
afterAll(() => t?.stop());

async function submitAndWait(k: string, text: string): Promise<string> {
  const id = (await gql(t.url, SUBMIT, { text }, k)).body.data.submitIntent.id;
  await gql(t.url, 'query($id: ID!) { intent(id: $id, waitMs: 20000) { status } }', { id }, k);
  return id;
}

describe('intentEvents over graphql-ws', () => {
  it('a late subscriber gets the whole stored history in order, one bid per agent, then completion', async () => {
    const id = await submitAndWait(key, 'What is 17% of 2,340?');
    const client = wsClient(t.url, key);
    onTestFinished(() => client.dispose());
    const { items, error } = await collect(client, EVENTS, { id }).done;
    expect(error).toBeUndefined();
    const events = items.map((i) => i.intentEvents);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events[0].__typename).toBe('IntentCreated');
    expect(events.filter((e) => e.__typename === 'BidPlaced')).toHaveLength(roster);
    const closed = events.find((e) => e.__typename === 'AuctionClosed');
    expect(closed).toMatchObject({ winner: expect.any(String), asked: roster });
    expect(events.some((e) => e.__typename === 'ExecutionStarted')).toBe(true);
    expect(
      events
        .filter((e) => e.__typename === 'ResultChunk')
        .map((e) => e.text)
        .join(''),
    ).toContain('397.8');
    expect(events.at(-1)).toMatchObject({ __typename: 'IntentCompleted', result: expect.stringContaining('397.8') });
  });

  it('resumes after the last sequence seen with no gap and no duplicate', async () => {
    const id = await submitAndWait(key, 'convert 5 km to miles');
    const client = wsClient(t.url, key);
    onTestFinished(() => client.dispose());
    const all = (await collect(client, EVENTS, { id }).done).items.map((i) => i.intentEvents.seq);
    const resumed = (await collect(client, EVENTS, { id, after: 100 }).done).items.map((i) => i.intentEvents.seq);
    expect(resumed).toEqual(all.filter((s) => s > 100));
    expect([...all.filter((s) => s <= 100), ...resumed]).toEqual(all);
  });

  it('streams live: a subscriber that starts before the auction sees it happen', async () => {
    const id = (await gql(t.url, `mutation { submitIntent(input: { text: "sha256 of hello", bidWindowMs: 200 }) { id } }`, {}, key)).body.data.submitIntent.id;
    const client = wsClient(t.url, key);
    onTestFinished(() => client.dispose());
    const { items, error } = await collect(client, EVENTS, { id }).done;
    expect(error).toBeUndefined();
    const seqs = items.map((i) => i.intentEvents.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    expect(items.at(-1)!.intentEvents.__typename).toBe('IntentCompleted');
  });

  it("refuses another tenant's intent exactly like a missing one, and needs intent_read", async () => {
    const id = await submitAndWait(key, 'What is 2 + 2?');
    const client = wsClient(t.url, other);
    onTestFinished(() => client.dispose());
    const theirs = await collect(client, EVENTS, { id }).done;
    const missing = await collect(client, EVENTS, { id: '99999999' }).done;
    expect((theirs.error as Array<{ message: string }>)[0]!.message).toBe((missing.error as Array<{ message: string }>)[0]!.message);
    expect(theirs.items).toHaveLength(0);
    const writer = (await createKey(t.url, t.rootKey, { tenant: 'stream-co', scopes: ['intent_submit'] })).key;
    const noScope = wsClient(t.url, writer);
    onTestFinished(() => noScope.dispose());
    const refused = await collect(noScope, EVENTS, { id }).done;
    expect(JSON.stringify(refused.error)).toContain('intent_read');
  });
});

describe('bidFeed', () => {
  it("streams the tenant's bids live across its intents, filtered by domain, and nothing of other tenants", async () => {
    const client = wsClient(t.url, key);
    onTestFinished(() => client.dispose());
    const feed = collect(client, `subscription { bidFeed(domain: "finance") { agent domain outcome intentId } }`, {}, (items) => items.length >= 3);
    await new Promise((r) => setTimeout(r, 300)); // the subscription is live
    await submitAndWait(other, 'What is 10% of 50?');
    const mine = await submitAndWait(key, 'What is 17% of 2,340?');
    const { items } = await feed.done;
    expect(items.length).toBeGreaterThanOrEqual(3);
    expect(items.every((i) => i.bidFeed.domain === 'finance' && i.bidFeed.intentId === mine)).toBe(true);
  });
});

describe('bids stored once', () => {
  it('a bid replayed from the store reads exactly as it was streamed live', async () => {
    const BID = 'seq intentId agent name emoji domain outcome confidence reasoning estimatedCostUsd latencyMs payload';
    const client = wsClient(t.url, key);
    onTestFinished(() => client.dispose());
    const live = collect(client, `subscription { bidFeed { ${BID} } }`, {}, (items) => items.length >= roster);
    await new Promise((r) => setTimeout(r, 300)); // the subscription is live
    const id = await submitAndWait(key, 'What is 12% of 80?');
    const streamed = (await live.done).items.map((i) => i.bidFeed);
    const replayed = (await collect(client, `subscription($id: ID!) { intentEvents(intentId: $id) { ... on BidPlaced { ${BID} } } }`, { id }).done).items
      .map((i) => i.intentEvents)
      .filter((e) => e.agent !== undefined);
    expect(streamed.every((b) => b.intentId === id)).toBe(true);
    expect(replayed).toHaveLength(roster);
    expect(replayed).toEqual(streamed);
  });
});

describe('graphql-ws connection', () => {
  it('refuses a bad key and closes the socket of a revoked key within seconds', async () => {
    const bad = wsClient(t.url, 'gvl_live_not_a_real_key_0000000000000000');
    onTestFinished(() => bad.dispose());
    const refused = await collect(bad, `subscription { bidFeed { agent } }`, {}).done;
    expect((refused.error as { code: number }).code).toBe(4403); // graphql-ws: Forbidden

    const doomed = await createKey(t.url, t.rootKey, { tenant: 'stream-co', tier: 'enterprise', scopes: ['full_access'] });
    const client = wsClient(t.url, doomed.key);
    onTestFinished(() => client.dispose());
    const feed = collect(client, `subscription { bidFeed { agent } }`, {});
    await new Promise((r) => setTimeout(r, 300));
    await gql(t.url, 'mutation($id: ID!) { revokeApiKey(id: $id) { id } }', { id: doomed.id }, doomed.key);
    const started = Date.now();
    const ended = await feed.done;
    expect(Date.now() - started).toBeLessThan(8_000);
    expect(JSON.stringify(ended.error)).toMatch(/revoked/);
  });
});

describe('fan-out', () => {
  it('executes each published bid once per subscription shape, however many subscribe alike', async () => {
    const metric = async () => {
      const text = await (await fetch(`${t.url}/metrics`)).text();
      return Number(/gavel_subscription_executions_total\{field="bidFeed"\} (\d+)/.exec(text)?.[1] ?? 0);
    };
    const before = await metric();
    const clients = Array.from({ length: 20 }, () => wsClient(t.url, key));
    onTestFinished(async () => {
      await Promise.all(clients.map((c) => c.dispose()));
    });
    const feeds = clients.map((c) => collect(c, 'subscription { bidFeed { agent intentId } }', {}, (items) => items.length >= roster));
    await new Promise((r) => setTimeout(r, 500));
    await submitAndWait(key, 'What is 17% of 2,340?');
    const results = await Promise.all(feeds.map((f) => f.done));
    for (const r of results) expect(r.items).toHaveLength(roster);
    expect(await metric()).toBe(before + roster);
  });
});

describe('clients that vanish', () => {
  it('leave no subscription behind when their socket drops without a goodbye', async () => {
    const open = async () => Number(/^gavel_open_subscriptions (\d+)/m.exec(await (await fetch(`${t.url}/metrics`)).text())?.[1] ?? NaN);
    const before = await open();
    // Raw sockets so that they can be cut abruptly (no complete, no close frame).
    const sockets = await Promise.all(
      ['bidFeed { agent }', 'bidFeed(domain: "finance") { agent }', 'bidFeed(domain: "legal") { agent }'].map(async (selection, i) => {
        const socket = new WebSocket(`${t.url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
        await new Promise((r) => socket.once('open', r));
        socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${key}` } }));
        await new Promise((r) => socket.once('message', r));
        socket.send(JSON.stringify({ id: String(i), type: 'subscribe', payload: { query: `subscription { ${selection} }` } }));
        return socket;
      }),
    );
    await expect.poll(open, { timeout: 5_000 }).toBe(before + 3);
    for (const socket of sockets) socket.terminate();
    await expect.poll(open, { timeout: 5_000 }).toBe(before);
  });
});
