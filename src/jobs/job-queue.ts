import PgBoss from 'pg-boss';
import type pg from 'pg';
import type { Logger } from '../observability/logger.js';
import type { QueueBacklog } from '../observability/metrics.js';
import { identifier, sql, type Sql } from '../db/sql.js';

export interface JobQueueOptions {
  /** How to reach the database (`Database.clientConfig`). */
  connection: pg.ClientConfig;
  logger: Logger;
  /** Seconds a running job may hold its lease before another instance retries it. */
  leaseSeconds: number;
  /** How often pg-boss expires stale leases and runs its upkeep. */
  maintenanceIntervalSeconds?: number;
  /** In embedded mode this process is the only one: every active job at start is an orphan. */
  soleInstance: boolean;
  /** How often each queue looks for jobs it was not told about (other instances', retries). Default 2 s. */
  pollIntervalMs?: number;
}

const POLL_INTERVAL_MS = 2_000;

/** pg-boss's schema (its default name). */
const BOSS_SCHEMA = 'pgboss';
/**
 * The pg-boss schema version the SQL in this file is written against (pg-boss 10.4.2,
 * pinned exactly in package.json). This file is the only one that names pg-boss's
 * tables; test/jobs/job-queue.test.ts checks the version and every column used.
 */
export const PG_BOSS_SCHEMA_VERSION = 24;
const BOSS = identifier(BOSS_SCHEMA);

/**
 * `hint` is what a job started by its own submitter (see `reserve`) hands the handler in
 * memory, e.g. the row it just stored, so the handler need not read it back.
 */
type Handler<T> = (data: T, job: { id: string; retryCount: number; hint?: unknown }) => Promise<void | typeof COMPLETED_WITH_WORK>;

/**
 * What a handler returns when its last write also completed its job (`completeJobPart`),
 * so the job ends in the same transaction as its work and needs no statement of its own.
 */
export const COMPLETED_WITH_WORK = Symbol('completed with its work');

/** A local slot held for a job whose row is being written already active (see `JobQueue.reserve`). */
export interface JobSlot {
  /** Runs the job here (it was stored active) and completes or fails it; frees the slot after. */
  run(jobId: string, data: object, hint?: unknown): void;
  /** The job was not stored after all (or was stored waiting): frees the slot. */
  release(): void;
}

export interface RetryPolicy {
  limit: number;
  delaySeconds: number;
  /**
   * A queue (served with `work` like any other) that receives the job's data once its
   * last retry failed, its process died on it included: what must not stay half-done
   * (an intent its auction could not finish) is settled there.
   */
  deadLetter?: string;
}

/**
 * Durable jobs on pg-boss. What this instance enqueues it starts at once in a free local
 * slot, so durability costs milliseconds, not a polling interval; every queue also polls
 * for jobs of other instances and retries. A job whose process died is retried when its
 * lease expires (or at once at start, when we are the only instance that could have held
 * it). A running job renews its lease, so only a dead process's jobs expire. Jobs are run
 * by this class, not by pg-boss's `work()`: that one fails any job whose handler outlives
 * the lease, which is what renewing the lease is for.
 */
export class JobQueue {
  private readonly pollers = new Map<string, ReturnType<typeof setInterval>>();
  /** Per queue: its handler, local slots, and whether a job was stored waiting while every slot was busy. */
  private readonly local = new Map<string, { handler: Handler<any>; limit: number; running: number; backlog: boolean }>();
  private readonly inFlight = new Set<Promise<void>>();
  private stopping = false;

  private constructor(
    private readonly boss: PgBoss,
    private readonly options: JobQueueOptions,
  ) {}

  static async start(options: JobQueueOptions): Promise<JobQueue> {
    const boss = new PgBoss({
      connectionString: options.connection.connectionString,
      // pg-boss hands its options to pg.Pool, so the in-process transport reaches it (its types omit it).
      ...(options.connection.stream ? ({ stream: options.connection.stream } as object) : {}),
      max: 4,
      schedule: false,
      maintenanceIntervalSeconds: options.maintenanceIntervalSeconds ?? 30,
      monitorStateIntervalSeconds: 60,
    });
    boss.on('error', (error) => options.logger.error({ err: error }, 'job queue error'));
    await boss.start();
    return new JobQueue(boss, options);
  }

  /**
   * Serves a queue. A failed job is retried up to `retry.limit` times, the delay doubling
   * from `retry.delaySeconds` with random jitter (pg-boss's backoff: delay·2ⁿ/2 plus up to
   * as much again), so a receiver that comes back is not hit by every retry at once.
   */
  async work<T extends object>(name: string, concurrency: number, handler: Handler<T>, retry: RetryPolicy = { limit: 3, delaySeconds: 1 }): Promise<void> {
    const queue = {
      name,
      retryLimit: retry.limit,
      retryDelay: retry.delaySeconds,
      retryBackoff: true,
      expireInSeconds: this.options.leaseSeconds,
      ...(retry.deadLetter ? { deadLetter: retry.deadLetter } : {}),
    };
    await this.boss.createQueue(name, queue);
    // createQueue keeps an existing queue as it was: make a changed policy take effect.
    await this.boss.updateQueue(name, queue);
    if (this.options.soleInstance) await this.retryOrphans(name);
    this.local.set(name, { handler, limit: concurrency, running: 0, backlog: false });
    if (concurrency > 0) {
      const poller = setInterval(() => this.wake(name), this.options.pollIntervalMs ?? POLL_INTERVAL_MS);
      poller.unref();
      this.pollers.set(name, poller);
    }
  }

  /**
   * Enqueues a job (a given `id` makes the send idempotent) and, when this instance has a
   * free slot, fetches and runs it right away instead of waiting for a poller to wake:
   * the job is durable from the moment `send` returns, and starts within a query.
   */
  async send<T extends object>(name: string, data: T, id?: string): Promise<void> {
    await this.boss.send(name, data, id ? { id } : {});
    this.runLocally(name, 1);
  }

  /**
   * Enqueues a job inside the caller's transaction, so the job exists exactly when the
   * rows it works on do. Call `runSoon` once that transaction has committed.
   */
  async sendWithin<T extends object>(
    client: { query: (text: string, values: unknown[]) => Promise<{ rows: any[] }> },
    name: string,
    data: T,
    id?: string,
  ): Promise<void> {
    await this.boss.send(name, data, { ...(id ? { id } : {}), db: { executeSql: (text, values) => client.query(text, values) } });
  }

  /** Runs (or wakes a worker for) a job enqueued with `sendWithin`. */
  runSoon(name: string): void {
    this.runLocally(name, 1);
  }

  /** Enqueues many jobs in one statement, then runs what this instance has room for. */
  async sendMany<T extends object>(name: string, jobs: Array<{ data: T; id?: string }>): Promise<void> {
    if (jobs.length === 0) return;
    await this.boss.insert(jobs.map((j) => ({ name, data: j.data, ...(j.id ? { id: j.id } : {}) })));
    this.runLocally(name, jobs.length);
  }

  /**
   * Holds a local slot for a job about to be stored together with its work, in one
   * statement built with `insertJobPart({ …, started: true })`: the job is durable and leased
   * to this instance from that statement on, and starts without the round trip of a
   * fetch. Null when every local slot is busy: store the job waiting, and `wake` the
   * queue (the next slot to free fetches it).
   */
  reserve(name: string): JobSlot | null {
    const queue = this.local.get(name);
    if (!queue || queue.running >= queue.limit) return null;
    queue.running++;
    let held = true;
    const free = () => {
      if (held) this.slotFreed(name, queue);
      held = false;
    };
    return {
      run: (jobId, data, hint) => {
        const run = this.runStarted(name, queue.handler, jobId, data, hint).finally(() => {
          free();
          this.inFlight.delete(run);
        });
        this.inFlight.add(run);
      },
      release: free,
    };
  }

  /**
   * A slot is free again. A job stored waiting while every slot was busy is fetched now,
   * not at the next poll: a started job's run does not fetch after itself as a fetch loop
   * does, so without this a burst past the local slots waited out the poll interval.
   */
  private slotFreed(name: string, queue: { running: number; backlog: boolean }): void {
    queue.running--;
    if (!queue.backlog || this.stopping) return;
    queue.backlog = false;
    this.runLocally(name, 1);
  }

  /** Looks for waiting jobs now (a job stored waiting, a poll); a loop that finds one brings in the next free slot. */
  wake(name: string): void {
    this.runLocally(name, 1);
  }

  private async runStarted(name: string, handler: Handler<any>, jobId: string, data: object, hint: unknown): Promise<void> {
    const release = this.holdLease(name, jobId);
    try {
      const outcome = await handler(data, { id: jobId, retryCount: 0, hint });
      if (outcome !== COMPLETED_WITH_WORK) await this.boss.complete(name, jobId);
    } catch (error) {
      await this.boss.fail(name, jobId, { message: error instanceof Error ? error.message : String(error) }).catch((failure: unknown) => {
        // The lease still expires, and the job is retried then.
        this.options.logger.error({ err: failure, queue: name, jobId }, 'failing a job failed');
      });
    } finally {
      release();
    }
  }

  /**
   * Renews a running job's lease every third of it, so a job that runs longer than the
   * lease (a slow agent, a long failover chain) is not taken for dead and run again by
   * another instance; a process that dies stops renewing, and its jobs expire as before.
   * pg-boss expires an active job `expire_in` after `started_on`, and has no call to
   * extend it, so the heartbeat moves `started_on`.
   */
  private holdLease(name: string, jobId: string): () => void {
    const timer = setInterval(
      () => {
        this.boss
          .getDb()
          .executeSql(...statement(sql`update ${BOSS}.job set started_on = now() where name = ${name} and id = ${jobId} and state = 'active'`))
          .catch((error: unknown) => this.options.logger.warn({ err: error, queue: name, jobId }, 'renewing a job lease failed'));
      },
      (this.options.leaseSeconds * 1000) / 3,
    );
    timer.unref();
    return () => clearInterval(timer);
  }

  /**
   * Starts up to `count` fetch-and-run loops in free local slots; what finds no slot now
   * is found by a loop that finishes its job, or by the next poll.
   */
  private runLocally(name: string, count: number): void {
    const queue = this.local.get(name);
    if (!queue) return;
    for (let i = 0; i < count; i++) {
      if (queue.running >= queue.limit) {
        queue.backlog = true; // the next slot to free looks for it
        return;
      }
      queue.running++;
      const run = this.fetchAndRun(name, queue.handler).finally(() => {
        this.slotFreed(name, queue);
        this.inFlight.delete(run);
      });
      this.inFlight.add(run);
    }
  }

  /** Fetches and runs jobs, one at a time, until the queue has none ready (or we stop). */
  private async fetchAndRun(name: string, handler: Handler<any>): Promise<void> {
    try {
      while (!this.stopping) {
        const [job] = await this.boss.fetch<object>(name, { batchSize: 1, includeMetadata: true });
        if (!job) return;
        // There may be more: another free slot looks while this one works.
        this.runLocally(name, 1);
        const release = this.holdLease(name, job.id);
        try {
          const outcome = await handler(job.data, { id: job.id, retryCount: job.retryCount });
          if (outcome !== COMPLETED_WITH_WORK) await this.boss.complete(name, job.id);
        } catch (error) {
          await this.boss.fail(name, job.id, { message: error instanceof Error ? error.message : String(error) });
        } finally {
          release();
        }
      }
    } catch (error) {
      this.options.logger.error({ err: error, queue: name }, 'running a job failed');
    }
  }

  /** Jobs left active by a dead process go back to retry now instead of after their lease. */
  private async retryOrphans(name: string): Promise<void> {
    const { rows } = await this.boss.getDb().executeSql(...statement(sql`select id from ${BOSS}.job where name = ${name} and state = 'active'`));
    if (rows.length === 0) return;
    this.options.logger.warn({ queue: name, jobs: rows.length }, 'retrying jobs orphaned by a previous process');
    await Promise.all(rows.map((r: { id: string }) => this.boss.fail(name, r.id, { message: 'orphaned: its process stopped before finishing' })));
  }

  /**
   * Each served queue's waiting and running jobs, for the metrics scrape: one grouped
   * query over the unfinished jobs. Waiting ones are read through pg-boss's fetch index
   * (`job_i5`); active ones have none, so they cost a scan of the queue's rows not yet
   * archived, as pg-boss's own state monitor does, once per scrape. A retry waits out
   * its backoff in `start_after`, so ready age counts from there, not from the send.
   */
  async backlog(): Promise<QueueBacklog[]> {
    const names = [...this.local.keys()];
    const waiting = sql`j.state in ('created', 'retry')`;
    const { rows } = await this.boss.getDb().executeSql(
      ...statement(sql`select q.name,
          count(*) filter (where ${waiting} and j.start_after <= now())::int as ready,
          count(*) filter (where ${waiting} and j.start_after > now())::int as deferred,
          count(*) filter (where j.state = 'active')::int as active,
          coalesce(extract(epoch from now() - min(j.start_after) filter (where ${waiting} and j.start_after <= now())), 0)::float8 as oldest
        from unnest(${names}::text[]) as q(name)
        left join ${BOSS}.job j on j.name = q.name and j.state in ('created', 'retry', 'active')
        group by q.name
        order by q.name`),
    );
    return rows.map((r: { name: string; ready: number; deferred: number; active: number; oldest: number }) => ({
      queue: r.name,
      ready: r.ready,
      deferred: r.deferred,
      active: r.active,
      oldestReadySeconds: r.oldest,
    }));
  }

  async stop(): Promise<void> {
    this.stopping = true;
    for (const poller of this.pollers.values()) clearInterval(poller);
    await Promise.allSettled([...this.inFlight]);
    await this.boss.stop({ graceful: true, wait: true, timeout: 10_000 });
  }
}

/** A statement as pg-boss's `executeSql` takes it. */
function statement(query: Sql): [string, unknown[]] {
  return [query.text, query.values];
}

/** A deterministic job id per entity, so re-sending (after a crash, or by a sweep) never duplicates. */
export function jobIdFor(kind: number, id: number): string {
  return `${jobIdPrefix(kind)}${id.toString(16).padStart(12, '0')}`;
}

function jobIdPrefix(kind: number): string {
  return `00000000-0000-4000-8${kind.toString(16).padStart(3, '0')}-`;
}

/** `jobIdFor` in SQL, for an id only the database knows yet (a serial being inserted). */
export function jobIdPart(kind: number, idExpr: Sql): Sql {
  return sql`(${jobIdPrefix(kind)}::text || lpad(to_hex(${idExpr}), 12, '0'))::uuid`;
}

/**
 * An INSERT … SELECT of one pg-boss job per row of `from`, for a CTE of the caller's
 * statement, so a job is stored exactly when the rows it works on are. With `started`
 * the job is stored `active` and leased from now, as pg-boss's fetch would leave it:
 * pg-boss has no call that sends and fetches at once, and a separate fetch is one more
 * round trip on every auction. The queue's policy (retries, backoff, lease, retention)
 * is read from its row the way pg-boss's own insert reads it; its supervisor then
 * expires and retries the job like any other. `id` and `data` are expressions over
 * `from`'s rows.
 */
export function insertJobPart(options: { queue: string; id: Sql; data: Sql; from: Sql; started: boolean }): Sql {
  const { queue, id, data, from } = options;
  const started = sql`${options.started}::bool`;
  return sql`insert into ${BOSS}.job (id, name, data, state, started_on, expire_in, keep_until, retry_limit, retry_delay, retry_backoff, dead_letter, policy)
    select ${id}, q.name, ${data},
           (case when ${started} then 'active' else 'created' end)::${BOSS}.job_state,
           case when ${started} then now() end,
           coalesce(q.expire_seconds, 900) * interval '1 second',
           now() + coalesce(q.retention_minutes, 20160) * interval '1 minute',
           coalesce(q.retry_limit, 2),
           case when coalesce(q.retry_backoff, false) then greatest(coalesce(q.retry_delay, 0), 1) else coalesce(q.retry_delay, 0) end,
           coalesce(q.retry_backoff, false), q.dead_letter, q.policy
      from ${from} join ${BOSS}.queue q on q.name = ${queue}::text`;
}

/** A SQL condition: the job failed its last try and has no dead letter to settle it (jobs stored before their queue had one). */
export function failedWithoutDeadLetterPart(queue: string, id: Sql): Sql {
  return sql`exists (select 1 from ${BOSS}.job j where j.name = ${queue}::text and j.id = ${id} and j.state = 'failed' and j.dead_letter is null)`;
}

/**
 * An UPDATE completing an active job, for a CTE of the statement that writes the job's
 * last work: the job then ends exactly when its work does (return COMPLETED_WITH_WORK).
 */
export function completeJobPart(queue: string, id: string): Sql {
  return sql`update ${BOSS}.job set state = 'completed', completed_on = now() where name = ${queue}::text and id = ${id}::uuid and state = 'active'`;
}
