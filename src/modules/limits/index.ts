/** The limits module: per-minute rates and monthly quotas, counted where every instance sees them. */
import type { Redis } from 'ioredis';
import type pg from 'pg';
import type { Logger } from '../../observability/logger.js';
import type { Metrics } from '../../observability/metrics.js';
import { LimitService } from './limit.service.js';
import { deleteExpiredCounters, postgresCounters, redisCounters } from './limit.store.js';

export { LimitService } from './limit.service.js';

/**
 * Per-minute counters live in Redis when there is one, else in PostgreSQL; monthly quotas
 * always in PostgreSQL. While Redis is away the per-minute limit fails open: a request
 * it cannot count goes through (a lost minute is a minute), counted in
 * `gavel_redis_unavailable_total{what="rate_count"}` and logged once per outage.
 */
export function createLimits(deps: {
  pool: pg.Pool;
  redis: Redis | null;
  metrics: Pick<Metrics, 'limitRefusals' | 'redisUnavailable'>;
  logger: Pick<Logger, 'warn'>;
}): LimitService {
  const durable = postgresCounters(deps.pool);
  const uncounted = (error: unknown, first: boolean) => {
    deps.metrics.redisUnavailable.inc({ what: 'rate_count' });
    if (first) deps.logger.warn({ err: error }, 'per-minute rate limits fail open: Redis cannot count requests; monthly quotas are unaffected (PostgreSQL)');
  };
  return new LimitService({ rates: deps.redis ? redisCounters(deps.redis, uncounted) : durable, quotas: durable }, deps.metrics);
}

/** Drops expired PostgreSQL counters (a periodic sweep). */
export const sweepExpiredCounters = (pool: pg.Pool) => deleteExpiredCounters(pool);
export { rateHeaders, type RateState } from './limit.service.js';
