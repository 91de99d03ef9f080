import { Worker } from 'node:worker_threads';
import pg from 'pg';
import type { App } from '../src/app.js';
import { fmt, percentile, type Row } from './stats.js';

const LATENCY_SAMPLES = Number(process.env.BENCH_LATENCY_SAMPLES ?? 200);
const THROUGHPUT_INTENTS = Number(process.env.BENCH_THROUGHPUT_INTENTS ?? 400);
const CONCURRENCY = 8;

async function sandboxKey(app: App): Promise<string> {
  const { key } = await app.modules.keys.create({
    tenantName: `bench-${Date.now()}`,
    tier: 'enterprise',
    scopes: ['intent_submit', 'intent_read'],
    sandbox: true,
  });
  return key;
}

/**
 * Submit → completed over real HTTP (REST POST waits for the receipt), every agent
 * bidding, one request at a time from a client in its own thread (see submit-client.mjs).
 */
export async function benchSubmitLatency(app: App, baseUrl: string, _rootKey: string): Promise<Row[]> {
  const key = await sandboxKey(app);
  const client = new Worker(new URL('./submit-client.mjs', import.meta.url), { workerData: { baseUrl, key, text: 'What is 17% of 2,340?' } });
  const submit = (n: number) =>
    new Promise<number[]>((resolve, reject) => {
      client.once('message', (m: { latencies?: number[]; error?: string }) => (m.latencies ? resolve(m.latencies) : reject(new Error(m.error))));
      client.postMessage(n);
    });
  let gavel: number[];
  try {
    await submit(20); // warm-up
    gavel = await submit(LATENCY_SAMPLES);
  } finally {
    await client.terminate();
  }

  const raw = await rawPgWriter(app);
  const baseline: number[] = [];
  try {
    for (let i = 0; i < 10; i++) await raw.writeAuction();
    for (let i = 0; i < LATENCY_SAMPLES; i++) {
      const t0 = performance.now();
      await raw.writeAuction();
      baseline.push(performance.now() - t0);
    }
  } finally {
    await raw.close();
  }
  const p50 = percentile(gavel, 50);
  const p99 = percentile(gavel, 99);
  const b50 = percentile(baseline, 50);
  const b99 = percentile(baseline, 99);
  return [
    {
      benchmark: `submit→completed p50 (ms, ${app.modules.agents.roster().length} agents)`,
      value: fmt(p50),
      baseline: `${fmt(b50)} raw pg rows`,
      ratio: `${fmt(p50 / b50)}×`,
      target: 'p50 ≤ 10 ms',
    },
    { benchmark: 'submit→completed p99 (ms)', value: fmt(p99), baseline: `${fmt(b99)} raw pg rows`, ratio: `${fmt(p99 / b99)}×`, target: '' },
  ];
}

/** Sustained completed intents per second with every bid stored, against raw pg writing the same rows. */
export async function benchThroughput(app: App, _rootKey: string): Promise<Row[]> {
  const key = await sandboxKey(app);
  const auth = (await app.modules.keys.authenticate(key))!;
  const intents = app.modules.intents;
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < THROUGHPUT_INTENTS) {
        next++;
        const done = await intents.submit(auth, { text: `What is ${next}% of 2,340?` }, 60_000);
        if (done.status !== 'completed') throw new Error(`intent ended ${done.status}`);
      }
    }),
  );
  const gavelRate = THROUGHPUT_INTENTS / ((performance.now() - t0) / 1000);

  const writers = await Promise.all(Array.from({ length: CONCURRENCY }, () => rawPgWriter(app)));
  let done = 0;
  const t1 = performance.now();
  try {
    await Promise.all(
      writers.map(async (w) => {
        while (done < THROUGHPUT_INTENTS) {
          done++;
          await w.writeAuction();
        }
      }),
    );
  } finally {
    await Promise.all(writers.map((w) => w.close()));
  }
  const rawRate = THROUGHPUT_INTENTS / ((performance.now() - t1) / 1000);
  return [
    {
      benchmark: 'sustained completed intents/s',
      value: fmt(gavelRate, 1),
      baseline: `${fmt(rawRate, 1)} raw pg`,
      ratio: `${fmt(gavelRate / rawRate)}×`,
      target: '≥ 0.5× raw pg',
    },
  ];
}

/**
 * The least work any implementation must do per auction: insert the intent, insert
 * one row per agent's bid in one statement, and write the receipt, in one transaction,
 * with plain `pg` on the same database.
 */
async function rawPgWriter(app: App) {
  // The gateway's own way in (in-process for the embedded database), so that only the work differs.
  const client = new pg.Client(app.db.clientConfig);
  await client.connect();
  const [tenant] = (await client.query(`select t.id as tenant_id, k.id as key_id, k.user_id from tenants t join api_keys k on k.tenant_id = t.id limit 1`))
    .rows;
  const agentIds = app.modules.agents.roster().map((e) => e.agent.id);
  const bidColumns = 13;
  const placeholders = agentIds.map((_, i) => `(${Array.from({ length: bidColumns }, (__, j) => `$${i * bidColumns + j + 1}`).join(', ')})`).join(', ');
  const bidSql = `insert into bids (intent_id, agent_id, outcome, confidence, score, reasoning, estimated_cost_usd, latency_ms, rank, eligible, won, created_at, seq) values ${placeholders}`;
  return {
    async writeAuction() {
      await client.query('begin');
      const now = new Date();
      const { rows } = await client.query(
        `insert into intents (tenant_id, api_key_id, user_id, text, auction_tier, status, sandbox, bid_window_ms, attempts, promotions, input_tokens, output_tokens, cost_usd, created_at)
         values ($1, $2, $3, $4, 'standard', 'pending', true, 300, '[]', 0, 0, 0, 0, $5) returning id`,
        [tenant.tenant_id, tenant.key_id, tenant.user_id, 'What is 17% of 2,340?', now],
      );
      const intentId = rows[0].id;
      const values: unknown[] = [];
      // seq: each bid's place in the intent's event stream (1 is its created event).
      agentIds.forEach((agentId, i) => values.push(intentId, agentId, 'bid', 0.5, 0.5, 'baseline bid', 0.0001, 0.1, i + 1, i === 0, i === 0, now, i + 2));
      await client.query(bidSql, values);
      await client.query(
        `update intents set status = 'completed', result = '397.8', winning_agent_id = $2, input_tokens = 12, output_tokens = 4, completed_at = now() where id = $1`,
        [intentId, agentIds[0]],
      );
      await client.query('commit');
    },
    close: () => client.end(),
  };
}
