import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** One registry per app instance, so tests can build many apps in one process. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'gavel_' });
  return {
    registry,
    httpRequests: new Counter({
      name: 'gavel_http_requests_total',
      help: 'HTTP requests by method, route kind and status',
      labelNames: ['method', 'route', 'status'] as const,
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: 'gavel_http_request_duration_seconds',
      help: 'HTTP request duration',
      labelNames: ['method', 'route'] as const,
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    intentsTotal: new Counter({
      name: 'gavel_intents_total',
      help: 'Intents that reached a final status',
      labelNames: ['status', 'tier'] as const,
      registers: [registry],
    }),
    bidCollection: new Histogram({
      name: 'gavel_bid_collection_seconds',
      help: 'Time to close an auction bid window',
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    openSubscriptions: new Gauge({
      name: 'gavel_open_subscriptions',
      help: 'Subscription streams open on this instance',
      registers: [registry],
    }),
    subscriptionExecutions: new Counter({
      name: 'gavel_subscription_executions_total',
      help: 'Subscription events executed (once per subscription shape when shared)',
      labelNames: ['field'] as const,
      registers: [registry],
    }),
    execution: new Histogram({
      name: 'gavel_execution_seconds',
      help: 'Winner execution time',
      buckets: [0.001, 0.01, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers: [registry],
    }),
    // Intent-level labels are the auction tier (`standard`, `shield`), as on gavel_intents_total:
    // never a tenant, key or agent, which anyone able to create them could multiply.
    tokens: new Counter({
      name: 'gavel_tokens_total',
      help: 'Tokens of delivered results under live keys, by direction (input, output) and auction tier',
      labelNames: ['direction', 'tier'] as const,
      registers: [registry],
    }),
    spendUsd: new Counter({
      name: 'gavel_spend_usd_total',
      help: 'USD charged for delivered results under live keys, by auction tier',
      labelNames: ['tier'] as const,
      registers: [registry],
    }),
    failovers: new Counter({
      name: 'gavel_failovers_total',
      help: 'Executions handed to the next candidate after the one before failed, timed out or was rejected',
      labelNames: ['tier'] as const,
      registers: [registry],
    }),
    webhookAttempts: new Counter({
      name: 'gavel_webhook_attempts_total',
      help: 'Webhook delivery attempts by event and outcome: delivered, retried (failed, retry scheduled) or dead (failed, no retry left)',
      labelNames: ['event', 'outcome'] as const,
      registers: [registry],
    }),
    limitRefusals: new Counter({
      name: 'gavel_limit_refusals_total',
      help: 'Requests refused by a limit, by kind (rate, daily_rate, monthly_quota, subscriptions: open subscriptions per key) and the key tier (free, pro, enterprise)',
      labelNames: ['kind', 'key_tier'] as const,
      registers: [registry],
    }),
    redisUnavailable: new Counter({
      name: 'gavel_redis_unavailable_total',
      help: 'Work Redis could not take, by what: rate_count (a request let through uncounted), event_publish (an event held for the other instances until Redis is back)',
      labelNames: ['what'] as const,
      registers: [registry],
    }),
    redisConnected: new Gauge({
      name: 'gavel_redis_connected',
      help: 'Whether each Redis client (limits, events_publish, events_subscribe) is connected: 1 or 0',
      labelNames: ['client'] as const,
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

/** One queue's jobs as a scrape reports them. */
export interface QueueBacklog {
  queue: string;
  /** Jobs that may run now (created, or a retry whose delay is over). */
  ready: number;
  /** Retries still waiting out their backoff (or jobs sent to start later). */
  deferred: number;
  active: number;
  /** Seconds the longest-waiting ready job has been runnable; 0 when none is. */
  oldestReadySeconds: number;
}

/**
 * The job queues' depth and the age of their oldest ready job, read from the database
 * when Prometheus scrapes (one grouped query per scrape), so nothing polls in between.
 * Every instance reports the same shared queues: aggregate with max, not sum. A failed
 * read leaves the gauges empty for that scrape (absent, not stale) rather than failing it.
 */
export function observeJobQueues(metrics: Metrics, read: () => Promise<QueueBacklog[]>, onError: (error: unknown) => void): void {
  const { registry } = metrics;
  let pending: Promise<QueueBacklog[]> | null = null;
  // Both gauges come from the same read: the first collect of a scrape starts it, the second reuses it.
  const backlog = () => {
    pending ??= read().finally(() => setTimeout(() => (pending = null), 0));
    return pending;
  };
  new Gauge({
    name: 'gavel_job_queue_depth',
    help: 'Jobs per queue and state: ready (may run now), deferred (waiting out a retry delay), active (running)',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      try {
        for (const q of await backlog()) {
          this.set({ queue: q.queue, state: 'ready' }, q.ready);
          this.set({ queue: q.queue, state: 'deferred' }, q.deferred);
          this.set({ queue: q.queue, state: 'active' }, q.active);
        }
      } catch (error) {
        onError(error);
      }
    },
  });
  new Gauge({
    name: 'gavel_job_queue_oldest_ready_seconds',
    help: 'Seconds the oldest job ready to run has waited for a worker, per queue (0: none waiting)',
    labelNames: ['queue'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      try {
        for (const q of await backlog()) this.set({ queue: q.queue }, q.oldestReadySeconds);
      } catch (error) {
        onError(error);
      }
    },
  });
}
