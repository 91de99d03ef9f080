import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auctionJobId } from '../../src/modules/auctions/auction-job.js';
import { registerHttpAgent, replyJson, startProtocolAgent } from '../helpers/agents.js';
import { BOOTSTRAP_KEY, startTestApp } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { eventually, gql, rest } from '../helpers/http.js';
import { spawnGateway } from '../helpers/process.js';

/**
 * An external agent that bids with full confidence and, on execute, holds the call
 * open until released: long enough to kill the gateway in the middle of the auction.
 */
async function startHoldingAgent() {
  let executeCalls = 0;
  let hold = true;
  const held: ServerResponse[] = [];
  let onExecute: () => void = () => {};
  const agent = await startProtocolAgent({
    bid: (res) => replyJson(res, { confidence: 0.99, reasoning: 'I hold durable things', estimated_cost_usd: 0.001 }),
    execute: (res) => {
      executeCalls++;
      onExecute();
      if (hold) held.push(res);
      else replyJson(res, { output: 'durable result', usage: { input_tokens: 10, output_tokens: 3 } });
    },
  });
  return {
    ...agent,
    calls: () => executeCalls,
    executed: () => new Promise<void>((r) => (onExecute = r)),
    release() {
      hold = false;
      for (const r of held) r.destroy();
    },
  };
}

/**
 * These tests need their own agents to win: on a loaded machine a bid may miss the default
 * 300 ms window, and that agent is then never executed. The auction closes as soon as
 * every bid is in, so a long window costs nothing.
 */
const LOADED_MACHINE_WINDOW_MS = 10_000;

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db?.drop());

describe('durable auctions', () => {
  it('an intent whose gateway is SIGKILLed mid-auction finishes exactly once after a restart', async () => {
    const agent = await startHoldingAgent();
    const endpoint = agent.url;
    const env = {
      ...db.env,
      GAVEL_BOOTSTRAP_KEY: BOOTSTRAP_KEY,
      GAVEL_AGENT_SECRET: 'durability-test-secret-123',
      GAVEL_JOB_LEASE_SECONDS: '3',
      GAVEL_JOB_MAINTENANCE_SECONDS: '1',
    };
    let gw = await spawnGateway(env);
    try {
      await registerHttpAgent(gw.url, BOOTSTRAP_KEY, { slug: 'holding-agent', endpoint, skills: ['durability'], price: [1000, 1000] });

      const executing = agent.executed();
      const submitted = await rest(gw.url, 'POST', '/api/intents?wait=false', {
        key: BOOTSTRAP_KEY,
        body: { text: 'Please hold this durable research task', bidWindowMs: LOADED_MACHINE_WINDOW_MS },
      });
      expect(submitted.status).toBe(202);
      const id = submitted.body.id;
      await executing;
      gw.child.kill('SIGKILL');
      await gw.exited;
      agent.release();

      gw = await spawnGateway(env);
      const done = await gql(
        gw.url,
        `query($id: ID!) { intent(id: $id, waitMs: 60000) { status result attempts { agent outcome error } bids { won } cost { costUsd } winningAgent { agent { slug } } } }`,
        { id: String(id) },
        BOOTSTRAP_KEY,
      );
      const intent = done.body.data.intent;
      expect(intent.status).toBe('completed');
      expect(intent.result).toBe('durable result');
      expect(intent.winningAgent.agent.slug).toBe('holding-agent');
      // The chain keeps the attempt the kill interrupted, then the one that delivered.
      expect(intent.attempts.map((a: { agent: string; outcome: string }) => [a.agent, a.outcome])).toEqual([
        ['holding-agent', 'failed'],
        ['holding-agent', 'succeeded'],
      ]);
      expect(intent.attempts[0].error).toMatch(/interrupted/);
      expect(intent.bids.filter((b: { won: boolean }) => b.won)).toHaveLength(1);
      const agents = (await gql(gw.url, '{ agents { id } }')).body.data.agents.length;
      expect(intent.bids).toHaveLength(agents); // bids were stored once, not re-collected
      expect(intent.cost.costUsd).toBeCloseTo((10 * 1000 + 3 * 1000) / 1e6, 8);
      const list = await rest(gw.url, 'GET', '/api/intents?limit=100', { key: BOOTSTRAP_KEY });
      expect(list.body.intents.filter((i: { id: number }) => i.id === id)).toHaveLength(1);
      const usage = await gql(gw.url, '{ usage { intents completed costUsd } }', {}, BOOTSTRAP_KEY);
      expect(usage.body.data.usage).toMatchObject({ intents: 1, completed: 1 });
      expect(usage.body.data.usage.costUsd).toBeCloseTo(intent.cost.costUsd, 8);
      expect(agent.calls()).toBe(2); // the killed attempt, then the resumed one
    } finally {
      gw.child.kill('SIGTERM');
      await gw.exited;
      agent.close();
    }
  }, 120_000);

  it('an intent whose gateway is SIGKILLed while bids are still coming in finishes once, with one bid row per agent', async () => {
    // Bids after a second: the kill lands inside the bid window, after the in-process bids were stored.
    let bidsAsked = 0;
    let onBid: () => void = () => {};
    const slowBidder = await startProtocolAgent({
      bid: (res) => {
        bidsAsked++;
        onBid();
        setTimeout(() => replyJson(res, { confidence: 0.99, reasoning: 'worth the wait', estimated_cost_usd: 0 }), 1_000);
      },
      execute: (res) => replyJson(res, { output: 'slow but sure' }),
    });
    const endpoint = slowBidder.url;
    const fresh = await createTestDatabase();
    const env = {
      ...fresh.env,
      GAVEL_BOOTSTRAP_KEY: BOOTSTRAP_KEY,
      GAVEL_AGENT_SECRET: 'durability-test-secret-123',
      GAVEL_JOB_LEASE_SECONDS: '3',
      GAVEL_JOB_MAINTENANCE_SECONDS: '1',
    };
    let gw = await spawnGateway(env);
    try {
      await registerHttpAgent(gw.url, BOOTSTRAP_KEY, { slug: 'slow-bidder', endpoint, skills: ['durability'] });
      const asked = new Promise<void>((r) => (onBid = r));
      const submitted = await rest(gw.url, 'POST', '/api/intents?wait=false', {
        key: BOOTSTRAP_KEY,
        // A window long enough for a restart on a loaded machine: the bids end it, once all are in.
        body: { text: 'Please hold this durable research task', bidWindowMs: 20_000 },
      });
      const id = submitted.body.id;
      await asked;
      await new Promise((r) => setTimeout(r, 200)); // the in-process bids are stored as they come
      const before = await gql(gw.url, `query($id: ID!) { intent(id: $id) { status bids { outcome } } }`, { id: String(id) }, BOOTSTRAP_KEY);
      expect(before.body.data.intent.status).toBe('bidding');
      expect(before.body.data.intent.bids.length).toBeGreaterThan(0);
      gw.child.kill('SIGKILL');
      await gw.exited;

      gw = await spawnGateway(env);
      const done = await gql(
        gw.url,
        `query($id: ID!) { intent(id: $id, waitMs: 60000) { status result winningAgent { agent { slug } } bids { agent { slug } outcome won } } }`,
        { id: String(id) },
        BOOTSTRAP_KEY,
      );
      const intent = done.body.data.intent;
      expect(intent.status).toBe('completed');
      expect(intent.winningAgent.agent.slug).toBe('slow-bidder');
      expect(intent.result).toBe('slow but sure');
      const agents = (await gql(gw.url, '{ agents { id } }')).body.data.agents.length;
      const slugs = intent.bids.map((b: { agent: { slug: string } }) => b.agent.slug);
      expect(slugs).toHaveLength(agents); // one bid row per agent: none lost, none doubled
      expect(new Set(slugs).size).toBe(agents);
      expect(intent.bids.filter((b: { won: boolean }) => b.won)).toHaveLength(1);
      expect(bidsAsked).toBe(2); // asked before the kill, asked again by the resumed run
    } finally {
      gw.child.kill('SIGTERM');
      await gw.exited;
      slowBidder.close();
      await fresh.drop();
    }
  }, 120_000);

  it('a run resumed after a SIGKILL goes on where it stopped: an agent that already failed is not run again', async () => {
    const holder = await startHoldingAgent();
    let failing = 0;
    const failer = await startProtocolAgent({
      bid: (res) => replyJson(res, { confidence: 0.99, reasoning: 'I always fail', estimated_cost_usd: 0 }),
      execute: (res) => {
        failing++;
        res.writeHead(500).end('boom');
      },
    });
    const [holderUrl, failerUrl] = [holder.url, failer.url];
    const fresh = await createTestDatabase();
    const env = {
      ...fresh.env,
      GAVEL_BOOTSTRAP_KEY: BOOTSTRAP_KEY,
      GAVEL_AGENT_SECRET: 'durability-test-secret-123',
      GAVEL_JOB_LEASE_SECONDS: '3',
      GAVEL_JOB_MAINTENANCE_SECONDS: '1',
    };
    let gw = await spawnGateway(env);
    try {
      await registerHttpAgent(gw.url, BOOTSTRAP_KEY, { slug: 'first-to-fail', endpoint: failerUrl, skills: ['durability'] });
      await registerHttpAgent(gw.url, BOOTSTRAP_KEY, { slug: 'second-holds', endpoint: holderUrl, skills: ['durability'] });
      const executing = holder.executed();
      const submitted = await rest(gw.url, 'POST', '/api/intents?wait=false', {
        key: BOOTSTRAP_KEY,
        body: { text: 'Please hold this durable research task', bidWindowMs: LOADED_MACHINE_WINDOW_MS },
      });
      const id = submitted.body.id;
      await executing; // the first failed, the second holds
      gw.child.kill('SIGKILL');
      await gw.exited;
      holder.release();

      gw = await spawnGateway(env);
      const done = await gql(
        gw.url,
        `query($id: ID!) { intent(id: $id, waitMs: 60000) { status result attempts { agent outcome error } } }`,
        { id: String(id) },
        BOOTSTRAP_KEY,
      );
      const intent = done.body.data.intent;
      expect(intent.status).toBe('completed');
      expect(intent.attempts.map((a: { agent: string; outcome: string }) => [a.agent, a.outcome])).toEqual([
        ['first-to-fail', 'failed'],
        ['second-holds', 'failed'],
        ['second-holds', 'succeeded'],
      ]);
      expect(intent.attempts[0].error).toContain('500');
      expect(intent.attempts[1].error).toMatch(/interrupted/);
      expect(failing).toBe(1);
    } finally {
      gw.child.kill('SIGTERM');
      await gw.exited;
      holder.close();
      failer.close();
      await fresh.drop();
    }
  }, 120_000);

  it('an intent whose auction ran out of tries is settled as failed, not left running forever', async () => {
    const agent = await startHoldingAgent();
    const endpoint = agent.url;
    const t = await startTestApp({ GAVEL_AGENT_SECRET: 'durability-test-secret-123', GAVEL_JOB_MAINTENANCE_SECONDS: '1' }, db);
    try {
      await registerHttpAgent(t.url, BOOTSTRAP_KEY, { slug: 'holding-agent-2', endpoint, skills: ['durability'] });
      const executing = agent.executed();
      const submitted = await rest(t.url, 'POST', '/api/intents?wait=false', {
        key: BOOTSTRAP_KEY,
        body: { text: 'Please hold this durable research task', bidWindowMs: LOADED_MACHINE_WINDOW_MS },
      });
      const id: number = submitted.body.id;
      await executing;
      // As if this was its last try and its process died: the lease ran out, no retry is left.
      await t.app.db.pool.query(`update pgboss.job set retry_limit = retry_count, started_on = now() - interval '1 day' where id = $1`, [auctionJobId(id)]);

      const settled = await eventually(
        async () => (await rest(t.url, 'GET', `/api/intents/${id}`, { key: BOOTSTRAP_KEY })).body,
        (receipt) => receipt.status !== 'executing',
        20_000,
      );
      expect(settled).toMatchObject({ status: 'failed', meta: { error: { code: 'internal_error' } } });
      // Its event stream ends, as every intent's does, with its final event.
      const { rows } = await t.app.db.pool.query('select type from intent_events where intent_id = $1 order by seq desc limit 1', [id]);
      expect(rows[0].type).toBe('failed');
      // The run still under way when it was given up cannot finish it after all.
      agent.release();
      await new Promise((r) => setTimeout(r, 500));
      expect((await rest(t.url, 'GET', `/api/intents/${id}`, { key: BOOTSTRAP_KEY })).body).toMatchObject({ status: 'failed', result: null });
    } finally {
      await t.stop();
      agent.close();
    }
  }, 60_000);

  it('an intent whose job failed for good before the dead-letter queue existed is settled at the next start', async () => {
    const t = await startTestApp({}, db);
    try {
      const done = await rest(t.url, 'POST', '/api/intents', { key: BOOTSTRAP_KEY, body: { text: 'What is 17% of 2,340?' } });
      const id: number = done.body.id;
      // As an upgraded database may hold it: the intent still running, its job failed with no dead letter.
      await t.app.db.pool.query(`update intents set status = 'executing', completed_at = null, result = null where id = $1`, [id]);
      await t.app.db.pool.query(`update pgboss.job set state = 'failed', dead_letter = null where id = $1`, [auctionJobId(id)]);
      await t.restart();
      const settled = await eventually(
        async () => (await rest(t.url, 'GET', `/api/intents/${id}`, { key: BOOTSTRAP_KEY })).body,
        (receipt) => receipt.status !== 'executing',
        20_000,
      );
      expect(settled).toMatchObject({ status: 'failed', meta: { error: { code: 'internal_error' } } });
    } finally {
      await t.stop();
    }
  }, 60_000);
});
