/** The limits module: per-minute rates and monthly quotas, counted where every instance sees them. */
import type { Redis } from 'ioredis';
import type pg from 'pg';
import type { Metrics } from '../../observability/metrics.js';
import { LimitService } from './limit.service.js';
import { deleteExpiredCounters, postgresCounters, redisCounters } from './limit.store.js';

export { LimitService } from './limit.service.js';

/** Per-minute counters live in Redis when there is one, else in PostgreSQL; monthly quotas always in PostgreSQL. */
export function createLimits(deps: { pool: pg.Pool; redis: Redis | null; metrics: Pick<Metrics, 'limitRefusals'> }): LimitService {
  const durable = postgresCounters(deps.pool);
  return new LimitService({ rates: deps.redis ? redisCounters(deps.redis) : durable, quotas: durable }, deps.metrics);
}

/** Drops expired PostgreSQL counters (a periodic sweep). */
export const sweepExpiredCounters = (pool: pg.Pool) => deleteExpiredCounters(pool);
export { rateHeaders, type RateState } from './limit.service.js';
