import type pg from 'pg';
import { run, sql } from '../../db/sql.js';

/** Everything that reads or writes `idempotent_requests` (the idempotency module's table). */

export interface StoredRequest {
  fingerprint: string;
  result: Record<string, unknown> | null;
  secret: boolean;
}

/**
 * Claims `key` for a request about to run, in one statement: a new key, or one whose
 * claim is past its window or was left running past `abandonedBefore` (its process
 * stopped mid-request), is taken; false when a live claim holds it.
 */
export async function claim(
  pool: pg.Pool,
  tenantId: string,
  key: string,
  fingerprint: string,
  now: Date,
  limits: { expiredBefore: Date; abandonedBefore: Date },
): Promise<boolean> {
  const { rowCount } = await run(
    pool,
    sql`insert into idempotent_requests as r (tenant_id, key, fingerprint, result, secret, created_at)
        values (${tenantId}::uuid, ${key}, ${fingerprint}, null, false, ${now})
        on conflict (tenant_id, key) do update set fingerprint = excluded.fingerprint, result = null, secret = false, created_at = excluded.created_at
        where r.created_at < ${limits.expiredBefore} or (r.result is null and not r.secret and r.created_at < ${limits.abandonedBefore})`,
  );
  return rowCount === 1;
}

export async function claimed(pool: pg.Pool, tenantId: string, key: string): Promise<StoredRequest | null> {
  const { rows } = await run<StoredRequest>(
    pool,
    sql`select fingerprint, result, secret from idempotent_requests where tenant_id = ${tenantId}::uuid and key = ${key}`,
  );
  return rows[0] ?? null;
}

/** The claimed request succeeded: keep its result (or, for a secret, only that it ran). */
export async function complete(pool: pg.Pool, tenantId: string, key: string, result: Record<string, unknown> | null, secret: boolean): Promise<void> {
  await run(
    pool,
    sql`update idempotent_requests set result = ${result === null ? null : JSON.stringify(result)}::jsonb, secret = ${secret} where tenant_id = ${tenantId}::uuid and key = ${key}`,
  );
}

/** The claimed request failed: nothing was created, so the key is free for a retry. */
export async function release(pool: pg.Pool, tenantId: string, key: string): Promise<void> {
  await run(pool, sql`delete from idempotent_requests where tenant_id = ${tenantId}::uuid and key = ${key}`);
}

/** Drops every claim past its window (a periodic sweep). */
export async function deleteExpired(pool: pg.Pool, before: Date): Promise<void> {
  await run(pool, sql`delete from idempotent_requests where created_at < ${before}`);
}
