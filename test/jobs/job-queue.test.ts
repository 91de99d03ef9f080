import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { JobQueue, jobIdFor, jobIdSql, jobInsertSql, type JobQueueOptions } from '../../src/jobs/job-queue.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { eventually } from '../helpers/http.js';

let t: TestApp;
let client: pg.Client;
beforeAll(async () => {
  t = await startTestApp();
  client = new pg.Client({ connectionString: t.app.services.db.connectionString });
  await client.connect();
});
afterAll(async () => {
  await client?.end();
  await t?.stop();
});

/** A queue of its own on the test app's database, stopped when the test finishes. */
async function startQueue(options: Pick<JobQueueOptions, 'leaseSeconds'> & Partial<JobQueueOptions>): Promise<JobQueue> {
  const jobs = await JobQueue.start({ connection: t.app.services.db.clientConfig, logger: t.app.services.logger, soleInstance: false, ...options });
  onTestFinished(() => jobs.stop());
  return jobs;
}

describe('deterministic job ids', () => {
  it('are the same whether made in JavaScript or, for a row being inserted, in SQL', async () => {
    for (const [kind, id] of [
      [1, 1],
      [1, 12847],
      [2, 2 ** 31 - 1],
      [15, 0xabcdef],
    ] as const) {
      const { rows } = await client.query(`select ${jobIdSql(kind, '$1::int')}::text as id`, [id]);
      expect(rows[0].id).toBe(jobIdFor(kind, id));
    }
  });
});

describe('job leases', () => {
  it('renews the lease of a job that runs longer than it, so that it runs once', async () => {
    // A 2 s lease, checked every second: without renewal, the job would be expired and
    // retried by the queue's poller while its first run is still going.
    const jobs = await startQueue({ leaseSeconds: 2, maintenanceIntervalSeconds: 1 });
    const runs: number[] = [];
    await jobs.work<{ n: number }>('lease-test', 2, async ({ n }) => {
      runs.push(n);
      await new Promise((resolve) => setTimeout(resolve, 6_000));
    });
    const id = jobIdFor(9, 1);
    await jobs.send('lease-test', { n: 1 }, id);
    const state = async () => (await client.query(`select state, retry_count from pgboss.job where id = $1`, [id])).rows[0];
    const done = await eventually(state, (row) => row?.state === 'completed', 20_000);
    expect(done).toEqual({ state: 'completed', retry_count: 0 });
    expect(runs).toEqual([1]);
  });
});

describe('local slots', () => {
  it('a job stored waiting while every slot is busy starts when a slot frees, not at the next poll', async () => {
    // Polls too rare to matter: only the freed slot can start the waiting job in time.
    const jobs = await startQueue({ leaseSeconds: 60, pollIntervalMs: 600_000 });
    let finishFirst: () => void = () => {};
    const started: number[] = [];
    await jobs.work<{ n: number }>('backlog-test', 1, async ({ n }) => {
      started.push(n);
      if (n === 1) await new Promise<void>((resolve) => (finishFirst = resolve));
    });
    // The first job is stored already started in the one slot, as a submit stores an auction's.
    const slot = jobs.reserve('backlog-test')!;
    const first = jobIdFor(9, 101);
    await client.query(jobInsertSql({ queue: `'backlog-test'`, id: `'${first}'::uuid`, data: `'{"n": 1}'::jsonb`, from: '(select 1) one', started: 'true' }));
    slot.run(first, { n: 1 });
    await eventually(
      async () => started,
      (s) => s.length === 1,
    );
    // The second finds no slot: it is stored waiting.
    expect(jobs.reserve('backlog-test')).toBeNull();
    await jobs.send('backlog-test', { n: 2 }, jobIdFor(9, 102));
    expect(started).toEqual([1]);
    finishFirst();
    await eventually(
      async () => started,
      (s) => s.length === 2,
      10_000,
    );
    expect(started).toEqual([1, 2]);
  });
});
