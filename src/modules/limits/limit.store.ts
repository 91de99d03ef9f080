import type { Redis } from 'ioredis';
import { run, sql, type Db } from '../../db/sql.js';

/** The limits module's counters: `limit_counters` in PostgreSQL (all its SQL is here), or Redis keys. */

export interface CounterStore {
  /** Counts one more hit in the window named by `key`; returns the count so far, or null when it could not be counted (Redis away). */
  hit(key: string, ttlMs: number): Promise<number | null>;
  /** Takes `units` if that leaves at most `limit` taken; false (and nothing taken) otherwise. All or nothing. */
  take(key: string, limit: number, ttlMs: number, units?: number): Promise<boolean>;
  /** Gives back units taken for something that was then not done. */
  giveBack(key: string, units?: number): Promise<void>;
  /** Units taken so far. */
  peek(key: string): Promise<number>;
}

/** Counters in PostgreSQL: each operation is one atomic statement. */
export function postgresCounters(pool: Db): CounterStore {
  return {
    async hit(key, ttlMs) {
      const { rows } = await run<{ count: number }>(
        pool,
        sql`insert into limit_counters (key, count, expires_at) values (${key}, 1, now() + ${ttlMs}::float8 * interval '1 millisecond')
         on conflict (key) do update set count = limit_counters.count + 1 returning count`,
      );
      return rows[0]!.count;
    },
    async take(key, limit, ttlMs, units = 1) {
      if (units > limit) return false;
      // The WHERE on the conflict update is what makes check-and-take one atomic step.
      const { rowCount } = await run(
        pool,
        sql`insert into limit_counters (key, count, expires_at) values (${key}, ${units}::int, now() + ${ttlMs}::float8 * interval '1 millisecond')
         on conflict (key) do update set count = limit_counters.count + ${units}::int where limit_counters.count + ${units}::int <= ${limit}::int`,
      );
      return rowCount === 1;
    },
    async giveBack(key, units = 1) {
      await run(pool, sql`update limit_counters set count = greatest(0, count - ${units}::int) where key = ${key}::text`);
    },
    async peek(key) {
      const { rows } = await run<{ count: number }>(pool, sql`select count from limit_counters where key = ${key}::text`);
      return rows[0]?.count ?? 0;
    },
  };
}

/** Drops PostgreSQL counters whose window is over. */
export async function deleteExpiredCounters(db: Db): Promise<void> {
  await run(db, sql`delete from limit_counters where expires_at < now()`);
}

const TAKE = `local c = tonumber(redis.call('GET', KEYS[1]) or '0')
local n = tonumber(ARGV[3])
if c + n > tonumber(ARGV[1]) then return 0 end
c = redis.call('INCRBY', KEYS[1], n)
if c == n then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 1`;

/**
 * Counters in Redis: Lua scripts make check-and-take atomic across instances. A hit Redis
 * cannot take (down, or slower than the client's command timeout) is not counted:
 * `uncounted` hears of each, with `first` set for the first of a run of failures.
 */
export function redisCounters(redis: Redis, uncounted: (error: unknown, first: boolean) => void): CounterStore {
  let failing = false;
  return {
    async hit(key, ttlMs) {
      try {
        const [[, count]] = (await redis.multi().incr(key).pexpire(key, ttlMs, 'NX').exec()) as [[null, number]];
        failing = false;
        return count;
      } catch (error) {
        uncounted(error, !failing);
        failing = true;
        return null;
      }
    },
    async take(key, limit, ttlMs, units = 1) {
      return (await redis.eval(TAKE, 1, key, limit, ttlMs, units)) === 1;
    },
    async giveBack(key, units = 1) {
      await redis.decrby(key, units);
    },
    async peek(key) {
      return Number((await redis.get(key)) ?? 0);
    },
  };
}
