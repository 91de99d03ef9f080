import { readFileSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { sql } from '../../src/db/sql.js';
import {
  JobQueue,
  PG_BOSS_SCHEMA_VERSION,
  completeJobPart,
  failedWithoutDeadLetterPart,
  insertJobPart,
  jobIdFor,
  jobIdPart,
  type JobQueueOptions,
} from '../../src/jobs/job-queue.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { eventually } from '../helpers/http.js';

let t: TestApp;
let client: pg.Client;
beforeAll(async () => {
  t = await startTestApp();
  client = new pg.Client({ connectionString: t.app.db.connectionString });
  await client.connect();
});
afterAll(async () => {
  await client?.end();
  await t?.stop();
});

/** A queue of its own on the test app's database, stopped when the test finishes. */
async function startQueue(options: Pick<JobQueueOptions, 'leaseSeconds'> & Partial<JobQueueOptions>): Promise<JobQueue> {
  const jobs = await JobQueue.start({ connection: t.app.db.clientConfig, logger: t.app.parts.logger, soleInstance: false, ...options });
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
      const part = sql`select ${jobIdPart(kind, sql`${id}::int`)}::text as id`;
      expect((await client.query(part.text, part.values)).rows[0].id).toBe(jobIdFor(kind, id));
    }
  });
});

describe('job parts of other statements', () => {
  it('store a job started, complete it in the statement of its last work, and tell a job failed without dead letter', async () => {
    const jobs = await startQueue({ leaseSeconds: 60, pollIntervalMs: 600_000 });
    await jobs.work('parts-test', 0, async () => {});
    const id = jobIdFor(9, 201);
    const insert = sql`with one as (select 1), j as (${insertJobPart({ queue: 'parts-test', id: sql`${id}::uuid`, data: sql`'{}'::jsonb`, from: sql`one`, started: true })}) select 1`;
    await client.query(insert.text, insert.values);
    const state = async () => (await client.query('select state from pgboss.job where name = $1 and id = $2', ['parts-test', id])).rows[0]?.state;
    expect(await state()).toBe('active');
    const failed = sql`select ${failedWithoutDeadLetterPart('parts-test', sql`${id}::uuid`)} as failed`;
    expect((await client.query(failed.text, failed.values)).rows[0].failed).toBe(false);
    const complete = sql`with done as (${completeJobPart('parts-test', id)}) select 1`;
    await client.query(complete.text, complete.values);
    expect(await state()).toBe('completed');
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
    const insert = insertJobPart({ queue: 'backlog-test', id: sql`${first}::uuid`, data: sql`${{ n: 1 }}::jsonb`, from: sql`(select 1) one`, started: true });
    await client.query(insert.text, insert.values);
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

/**
 * job-queue.ts writes pg-boss's tables in the caller's own statements (a job stored with
 * the intent it runs, completed with its last write). That SQL is written against one
 * pg-boss schema: an upgrade that moves it must fail here, not in production.
 */
const columns = async (table: string) =>
  (
    await client.query<{ column_name: string }>(`select column_name from information_schema.columns where table_schema = 'pgboss' and table_name = $1`, [table])
  ).rows.map((r) => r.column_name);

describe('the pg-boss schema the job queue relies on', () => {
  it('is pg-boss pinned to one exact version, with the schema version job-queue.ts is written for', async () => {
    const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { dependencies: Record<string, string> };
    expect(manifest.dependencies['pg-boss']).toMatch(/^\d+\.\d+\.\d+$/);
    const installed = JSON.parse(readFileSync(new URL('../../node_modules/pg-boss/package.json', import.meta.url), 'utf8')) as { version: string };
    expect(installed.version).toBe(manifest.dependencies['pg-boss']);
    const { rows } = await client.query<{ version: number }>('select version from pgboss.version');
    expect(rows.map((r) => Number(r.version))).toEqual([PG_BOSS_SCHEMA_VERSION]);
  });

  it('has every column and job state the job queue writes and reads', async () => {
    expect(await columns('job')).toEqual(
      expect.arrayContaining([
        'id',
        'name',
        'data',
        'state',
        'started_on',
        'start_after',
        'completed_on',
        'expire_in',
        'keep_until',
        'retry_limit',
        'retry_delay',
        'retry_backoff',
        'dead_letter',
        'policy',
      ]),
    );
    expect(await columns('queue')).toEqual(
      expect.arrayContaining(['name', 'expire_seconds', 'retention_minutes', 'retry_limit', 'retry_delay', 'retry_backoff', 'dead_letter', 'policy']),
    );
    const { rows } = await client.query<{ label: string }>(
      `select e.enumlabel as label from pg_enum e join pg_type ty on ty.oid = e.enumtypid join pg_namespace n on n.oid = ty.typnamespace where n.nspname = 'pgboss' and ty.typname = 'job_state'`,
    );
    expect(rows.map((r) => r.label)).toEqual(expect.arrayContaining(['created', 'retry', 'active', 'completed', 'failed']));
  });
});
