import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/**
 * Shared counters for rate limits and quotas when Redis is not configured: one row per
 * key and window, bumped atomically with INSERT … ON CONFLICT, so any number of
 * instances on the same PostgreSQL count together.
 */
export const LimitCounter = defineEntity({
  name: 'LimitCounter',
  tableName: 'limit_counters',
  properties: {
    key: p.string().length(200).primary(),
    count: p.integer(),
    expiresAt: p.datetime().index(),
  },
});
export type LimitCounter = InferEntity<typeof LimitCounter>;
