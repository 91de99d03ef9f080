import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { BOOTSTRAP_KEY } from '../helpers/app.js';
import { dropListenConnections, startCluster, type Cluster } from '../helpers/cluster.js';
import { createKey, gql, rest } from '../helpers/http.js';
import type { GatewayProcess } from '../helpers/process.js';
import { expectStreamEndsOnRevoke } from '../helpers/revoked-stream.js';
import { startSilentAgent } from '../helpers/silent-agent.js';
import { collect, wsClient } from '../helpers/ws.js';

const redisUrl = process.env.TEST_REDIS_URL;
const needsServers = !redisUrl || !process.env.TEST_DATABASE_URL;

// Several instances need a shared PostgreSQL and Redis; on the embedded database this is skipped.
describe.skipIf(needsServers)('many instances on one PostgreSQL and Redis', () => {
  let cluster: Cluster;
  let a: GatewayProcess;
  let b: GatewayProcess;
  beforeAll(async () => {
    // b runs no auctions, so every event it streams was published by a, through Redis.
    cluster = await startCluster({ GAVEL_AUCTION_CONCURRENCY: '0' });
    ({ a, b } = cluster);
  });
  afterAll(() => cluster?.stop());

  it('an intent submitted on one instance streams every event, in order, to a subscriber on the other', async () => {
    const lag = await expectStreamedAcross(a, b);
    console.log(`through Redis, bids on b after the same bid on a (ms): median ${lag.median}, p99 ${lag.p99}, max ${lag.max} over ${lag.count}`);
  }, 60_000);

  it('a stream token minted on one instance opens the stream on the other; a key revoked on the first ends it there with an error event', async () => {
    // The silent agent (on a, which runs the auctions) holds the bid window open.
    onTestFinished(await startSilentAgent({ url: a.url, rootKey: BOOTSTRAP_KEY }, 'cluster-silent'));
    const doomed = await createKey(a.url, BOOTSTRAP_KEY, { tenant: 'cluster-revoked', tier: 'enterprise', scopes: ['full_access'] });
    const submitted = await rest(a.url, 'POST', '/api/intents?wait=false', { key: doomed.key, body: { text: 'What is 6 + 6?', bid_window_ms: 20_000 } });
    const minted = await rest(a.url, 'POST', `/api/intents/${submitted.body.id}/stream-token`, { key: doomed.key });
    expect(minted.status).toBe(201);
    const res = await fetch(`${b.url}${minted.body.events_url}`, { headers: { accept: 'text/event-stream' } });
    await expectStreamEndsOnRevoke(res, doomed, a.url);
  }, 60_000);
});

// Without Redis, PostgreSQL carries the events between instances (LISTEN/NOTIFY).
describe.skipIf(!process.env.TEST_DATABASE_URL)('many instances on one PostgreSQL, without Redis', () => {
  let cluster: Cluster;
  beforeAll(async () => {
    cluster = await startCluster({ GAVEL_AUCTION_CONCURRENCY: '0' }, { redis: false });
  });
  afterAll(() => cluster?.stop());

  it('a subscriber on the other instance gets every event and the completion, over graphql-ws, SSE and the bid feed', async () => {
    const lag = await expectStreamedAcross(cluster.a, cluster.b);
    console.log(`through PostgreSQL, bids on b after the same bid on a (ms): median ${lag.median}, p99 ${lag.p99}, max ${lag.max} over ${lag.count} events`);
  }, 60_000);

  it("a subscriber still gets the completion when the instances' LISTEN connections were lost mid-auction", async () => {
    const { a, b, db } = cluster;
    // The silent agent (on a, which runs the auctions) holds the bid window open for 3 s.
    onTestFinished(await startSilentAgent({ url: a.url, rootKey: BOOTSTRAP_KEY }, 'cluster-drop-silent'));
    const submitted = await rest(a.url, 'POST', '/api/intents?wait=false', { key: BOOTSTRAP_KEY, body: { text: 'What is 8 + 8?', bid_window_ms: 3_000 } });
    const client = wsClient(b.url, BOOTSTRAP_KEY);
    onTestFinished(() => client.dispose());
    const stream = collect(client, 'subscription($id: ID!) { intentEvents(intentId: $id) { ... on Event { seq type } } }', { id: submitted.body.id });
    await new Promise((r) => setTimeout(r, 300));
    expect(await dropListenConnections(db)).toBeGreaterThanOrEqual(2);
    const { items, error } = await stream.done;
    expect(error).toBeUndefined();
    const seqs = items.map((i) => i.intentEvents.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    expect(['completed', 'failed']).toContain(items.at(-1).intentEvents.type);
  }, 60_000);
});

/**
 * Submits on `a` (which runs the auctions) and subscribes on `b` (which runs none): every
 * event b streams, over graphql-ws and REST SSE, and every bid of its bid feed, came from a.
 */
async function expectStreamedAcross(a: GatewayProcess, b: GatewayProcess): Promise<{ median: number; p99: number; max: number; count: number }> {
  const feed = wsClient(b.url, BOOTSTRAP_KEY);
  const localFeed = wsClient(a.url, BOOTSTRAP_KEY);
  onTestFinished(() => (feed.dispose(), localFeed.dispose()));
  // When each bid reached a live subscriber on a (where it was written) and one on b: what crossing costs.
  const seen = { a: new Map<string, number>(), b: new Map<string, number>() };
  const stamp = (on: Map<string, number>) => (got: any[]) => (on.set(got.at(-1).bidFeed.agent, Date.now()), got.length >= 210);
  const BIDS = 'subscription { bidFeed { agent intentId } }';
  const onA = collect(localFeed, BIDS, {}, stamp(seen.a));
  const bids = collect(feed, BIDS, {}, stamp(seen.b));
  await new Promise((r) => setTimeout(r, 500));

  const id = (await gql(a.url, 'mutation { submitIntent(input: { text: "What is 17% of 2,340?", bidWindowMs: 1000 }) { id } }', {}, BOOTSTRAP_KEY)).body.data
    .submitIntent.id;
  const sse = fetch(`${b.url}/api/intents/${id}/events`, { headers: { accept: 'text/event-stream', authorization: `Bearer ${BOOTSTRAP_KEY}` } }).then((r) =>
    r.text(),
  );
  const client = wsClient(b.url, BOOTSTRAP_KEY);
  onTestFinished(() => client.dispose());
  const { items, error } = await collect(client, 'subscription($id: ID!) { intentEvents(intentId: $id) { ... on Event { seq type } } }', { id }).done;
  expect(error).toBeUndefined();
  const seqs = items.map((i) => i.intentEvents.seq);
  expect(seqs).toEqual(seqs.map((_, i) => i + 1));
  expect(items.at(-1).intentEvents.type).toBe('completed');

  // The SSE stream ends after the completion, with every event (ids are the seqs) and then the receipt.
  const text = await sse;
  const ids = [...text.matchAll(/^id: ?(\d+)$/gm)].map((m) => Number(m[1]));
  expect(ids).toEqual(seqs);
  expect(text).toMatch(/event: ?completed/);

  const live = await bids.done;
  expect(live.items.filter((i) => i.bidFeed.intentId === id)).toHaveLength(210);
  await onA.done;
  const lags = [...seen.b].flatMap(([seq, at]) => (seen.a.has(seq) ? [at - seen.a.get(seq)!] : [])).sort((x, y) => x - y);
  const pick = (q: number) => lags[Math.min(lags.length - 1, Math.floor(q * lags.length))] ?? 0;
  return { median: pick(0.5), p99: pick(0.99), max: lags.at(-1) ?? 0, count: lags.length };
}
