import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { registerHttpAgent, signedWith, startRecordingAgent } from '../helpers/agents.js';
import { BOOTSTRAP_KEY } from '../helpers/app.js';
import { dropListenConnections, startCluster, type Cluster } from '../helpers/cluster.js';
import { gql } from '../helpers/http.js';
import { runCli } from '../helpers/process.js';

/** Polls b's in-memory roster (`available` is read from it, not the table) until `want`; answers how long it took. */
async function untilAvailable(url: string, slug: string, want: boolean): Promise<number> {
  const started = Date.now();
  for (;;) {
    const res = await gql(url, 'query($id: ID!) { agent(id: $id) { available } }', { id: slug }, BOOTSTRAP_KEY);
    if (res.body.data?.agent?.available === want) return Date.now() - started;
    if (Date.now() - started > 2_000) throw new Error(`${slug} not ${want ? 'available' : 'retired'} on the other instance within 2 s`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Runs an intent on `url` and answers the slugs that bid in its auction. */
async function biddersOf(url: string, text: string): Promise<string[]> {
  const submitted = await gql(
    url,
    'mutation($input: SubmitIntentInput!) { submitIntent(input: $input) { id } }',
    { input: { text, bidWindowMs: 1500 } },
    BOOTSTRAP_KEY,
  );
  expect(submitted.body.errors, JSON.stringify(submitted.body.errors)).toBeUndefined();
  const read = await gql(
    url,
    'query($id: ID!) { intent(id: $id, waitMs: 20000) { status bids { agent { slug } } } }',
    { id: submitted.body.data.submitIntent.id },
    BOOTSTRAP_KEY,
  );
  expect(read.body.data.intent.status).not.toMatch(/pending|bidding|executing/);
  return read.body.data.intent.bids.map((b: { agent: { slug: string } }) => b.agent.slug);
}

const verifies = signedWith;

// Two processes share one PostgreSQL and no Redis: the roster change travels by LISTEN/NOTIFY alone.
describe.skipIf(!process.env.TEST_DATABASE_URL)('a roster edit on one instance', () => {
  let cluster: Cluster;
  beforeAll(async () => {
    // a serves the edits and runs no auctions: every auction below runs on b.
    cluster = await startCluster({}, { redis: false, extraForA: { GAVEL_AUCTION_CONCURRENCY: '0' } });
  });
  afterAll(() => cluster?.stop());

  it('is in effect on the other within 2 s: create, update, disable', async () => {
    const { a, b } = cluster;
    const first = await startRecordingAgent();
    const second = await startRecordingAgent();
    const latencies: Record<string, number> = {};

    await registerHttpAgent(a.url, BOOTSTRAP_KEY, { slug: 'roster-live', endpoint: first.url });
    latencies.create = await untilAvailable(b.url, 'roster-live', true);
    expect(await biddersOf(b.url, 'Record this call for the roster test')).toContain('roster-live');
    expect(first.bids()).toBeGreaterThan(0);

    const moved = await gql(
      a.url,
      'mutation($e: String!) { updateAgent(id: "roster-live", input: { endpoint: $e }) { slug } }',
      { e: second.url },
      BOOTSTRAP_KEY,
    );
    expect(moved.body.errors).toBeUndefined();
    // No field shows the endpoint b calls: b's next auctions go to the new one within 2 s.
    const movedAt = Date.now();
    while (second.bids() === 0) {
      expect(Date.now() - movedAt, 'the endpoint edit did not reach the other instance within 2 s').toBeLessThan(2_000);
      await biddersOf(b.url, 'Record this call after the endpoint moved');
    }
    latencies.update = Date.now() - movedAt;

    await gql(a.url, 'mutation { updateAgent(id: "roster-live", input: { active: false }) { active } }', {}, BOOTSTRAP_KEY);
    latencies.disable = await untilAvailable(b.url, 'roster-live', false);
    const before = second.bids();
    expect(await biddersOf(b.url, 'Record this call after the agent was disabled')).not.toContain('roster-live');
    expect(second.bids()).toBe(before);
    console.log(`roster propagation to the other instance (ms, including polling): ${JSON.stringify(latencies)}`);
  }, 60_000);

  it("a secret rotated by the CLI signs the running instances' next call", async () => {
    const { a, b } = cluster;
    const agent = await startRecordingAgent();
    const original = await registerHttpAgent(a.url, BOOTSTRAP_KEY, { slug: 'roster-rotated', endpoint: agent.url });
    onTestFinished(async () => {
      await gql(a.url, 'mutation { updateAgent(id: "roster-rotated", input: { active: false }) { active } }', {}, BOOTSTRAP_KEY);
    });
    await untilAvailable(b.url, 'roster-rotated', true);
    const cli = await runCli(['agents', 'secret', 'rotate', 'roster-rotated', '--grace-seconds', '0'], cluster.db.env);
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stdout).toMatch(/Running gateways sign with it/);
    const rotated = cli.stdout.trim().split('\n').at(-1)!;
    // The very next call, with no wait: the CLI's write notified b as it committed.
    expect(await biddersOf(b.url, 'Record this call after the rotation')).toContain('roster-rotated');
    expect(verifies(rotated, agent.lastBid())).toBe(true);
    expect(verifies(original, agent.lastBid())).toBe(false);
  }, 60_000);

  it('survives a lost LISTEN connection: each instance reconnects and reads the roster again', async () => {
    const { a, b, db } = cluster;
    const agent = await startRecordingAgent();
    // Only this test's database: the listening connections of its two gateways.
    expect(await dropListenConnections(db)).toBeGreaterThanOrEqual(2);
    await registerHttpAgent(a.url, BOOTSTRAP_KEY, { slug: 'roster-after-drop', endpoint: agent.url });
    onTestFinished(async () => {
      await gql(a.url, 'mutation { updateAgent(id: "roster-after-drop", input: { active: false }) { active } }', {}, BOOTSTRAP_KEY);
    });
    await untilAvailable(b.url, 'roster-after-drop', true);
    // Listening again: the next change arrives as a notification too.
    await gql(a.url, 'mutation { updateAgent(id: "roster-after-drop", input: { active: false }) { active } }', {}, BOOTSTRAP_KEY);
    await untilAvailable(b.url, 'roster-after-drop', false);
  }, 60_000);
});
