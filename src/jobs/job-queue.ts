import PgBoss from 'pg-boss';
import type { Logger } from '../observability/logger.js';

export interface JobQueueOptions {
  connectionString: string;
  logger: Logger;
  /** Seconds a running job may hold its lease before another instance retries it. */
  leaseSeconds: number;
  /** How often pg-boss expires stale leases and runs its upkeep. */
  maintenanceIntervalSeconds?: number;
  /** In embedded mode this process is the only one: every active job at start is an orphan. */
  soleInstance: boolean;
}

/** Pollers per queue; local work runs through `send` up to the queue's concurrency. */
const POLLERS = 2;

type Handler<T> = (data: T, job: { id: string; retryCount: number }) => Promise<void>;

export interface RetryPolicy {
  limit: number;
  delaySeconds: number;
}

interface WorkerSlot {
  id: string;
  busy: boolean;
}

/**
 * Durable jobs on pg-boss. Each queue gets a few workers; `send` wakes an idle local
 * worker at once (`notifyWorker`), so durability costs milliseconds, not a polling
 * interval. Other instances still find the job by polling, and a job whose process
 * died is retried when its lease expires (or at once at start, when we are the only
 * instance that could have held it).
 */
export class JobQueue {
  private readonly workers = new Map<string, WorkerSlot[]>();
  private readonly local = new Map<string, { handler: Handler<any>; limit: number; running: number }>();
  private readonly inFlight = new Set<Promise<void>>();

  private constructor(
    private readonly boss: PgBoss,
    private readonly options: JobQueueOptions,
  ) {}

  static async start(options: JobQueueOptions): Promise<JobQueue> {
    const boss = new PgBoss({
      connectionString: options.connectionString,
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
    };
    await this.boss.createQueue(name, queue);
    // createQueue keeps an existing queue as it was: make a changed policy take effect.
    await this.boss.updateQueue(name, queue);
    if (this.options.soleInstance) await this.retryOrphans(name);
    this.local.set(name, { handler, limit: concurrency, running: 0 });
    // A couple of pollers pick up what others enqueued (other instances, retries); what
    // this instance enqueues it runs at once (see `send`).
    const slots: WorkerSlot[] = [];
    for (let i = 0; i < Math.min(concurrency, POLLERS); i++) {
      const slot: WorkerSlot = { id: '', busy: false };
      slot.id = await this.boss.work<T>(name, { batchSize: 1, pollingIntervalSeconds: 2, includeMetadata: true }, async ([job]) => {
        if (!job) return;
        slot.busy = true;
        try {
          await handler(job.data, { id: job.id, retryCount: job.retryCount });
        } finally {
          slot.busy = false;
        }
      });
      slots.push(slot);
    }
    this.workers.set(name, slots);
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
  async sendWithin<T extends object>(client: { query: (text: string, values: unknown[]) => Promise<{ rows: any[] }> }, name: string, data: T, id?: string): Promise<void> {
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

  /** Starts up to `count` fetch-and-run loops in free local slots; wakes a poller for the rest. */
  private runLocally(name: string, count: number): void {
    const queue = this.local.get(name);
    for (let i = 0; i < count; i++) {
      if (!queue || queue.running >= queue.limit) {
        this.wake(name);
        return;
      }
      queue.running++;
      const run = this.fetchAndRun(name, queue.handler).finally(() => {
        queue.running--;
        this.inFlight.delete(run);
      });
      this.inFlight.add(run);
    }
  }

  private async fetchAndRun(name: string, handler: Handler<any>): Promise<void> {
    try {
      const [job] = await this.boss.fetch<object>(name, { batchSize: 1, includeMetadata: true });
      if (!job) return;
      try {
        await handler(job.data, { id: job.id, retryCount: job.retryCount });
        await this.boss.complete(name, job.id);
      } catch (error) {
        await this.boss.fail(name, job.id, { message: error instanceof Error ? error.message : String(error) });
      }
    } catch (error) {
      this.options.logger.error({ err: error, queue: name }, 'running a job failed');
    }
  }

  private wake(name: string): void {
    const idle = this.workers.get(name)?.find((w) => !w.busy);
    if (idle) this.boss.notifyWorker(idle.id);
  }

  /** Jobs left active by a dead process go back to retry now instead of after their lease. */
  private async retryOrphans(name: string): Promise<void> {
    const { rows } = await this.boss
      .getDb()
      .executeSql(`select id from pgboss.job where name = $1 and state = 'active'`, [name]);
    if (rows.length === 0) return;
    this.options.logger.warn({ queue: name, jobs: rows.length }, 'retrying jobs orphaned by a previous process');
    await Promise.all(
      rows.map((r: { id: string }) => this.boss.fail(name, r.id, { message: 'orphaned: its process stopped before finishing' })),
    );
  }

  async stop(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
    await this.boss.stop({ graceful: true, wait: true, timeout: 10_000 });
  }
}

/** A deterministic job id per entity, so re-sending (after a crash, or by a sweep) never duplicates. */
export function jobIdFor(kind: number, id: number): string {
  return `00000000-0000-4000-8${kind.toString(16).padStart(3, '0')}-${id.toString(16).padStart(12, '0')}`;
}
