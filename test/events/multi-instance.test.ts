import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { BOOTSTRAP_KEY } from '../helpers/app.js';
import { startCluster, type Cluster } from '../helpers/cluster.js';
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
    const feed = wsClient(b.url, BOOTSTRAP_KEY);
    onTestFinished(() => feed.dispose());
    const bids = collect(feed, 'subscription { bidFeed { agent intentId } }', {}, (items) => items.length >= 201);
    await new Promise((r) => setTimeout(r, 500));

    const id = (await gql(a.url, 'mutation { submitIntent(input: { text: "What is 17% of 2,340?", bidWindowMs: 1000 }) { id } }', {}, BOOTSTRAP_KEY)).body.data
      .submitIntent.id;
    const client = wsClient(b.url, BOOTSTRAP_KEY);
    onTestFinished(() => client.dispose());
    const { items, error } = await collect(client, 'subscription($id: ID!) { intentEvents(intentId: $id) { ... on Event { seq type } } }', { id }).done;
    expect(error).toBeUndefined();
    const seqs = items.map((i) => i.intentEvents.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    expect(items.at(-1).intentEvents.type).toBe('completed');

    const live = await bids.done;
    expect(live.items.filter((i) => i.bidFeed.intentId === id)).toHaveLength(201);
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
