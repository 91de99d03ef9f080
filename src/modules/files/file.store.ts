import { randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { run, sql, type Db } from '../../db/sql.js';
import { StoredFile, type FileKind } from './stored-file.entity.js';

/**
 * Everything that reads or writes the files module's tables: `files` (metadata; the
 * bytes are in the blob store, blob-store.ts) and `gateway_settings` (the signing secret).
 */

/** Stores a setting unless it is set already; returns the value it has. */
async function settingOrDefault(db: Db, key: string, value: string): Promise<string> {
  await run(db, sql`insert into gateway_settings (key, value) values (${key}, ${value}) on conflict (key) do nothing`);
  const { rows } = await run<{ value: string }>(db, sql`select value from gateway_settings where key = ${key}::text`);
  return rows[0]!.value;
}

/**
 * A random secret made once and kept in `gateway_settings`, so that every instance on the
 * database signs and checks with the same one (file URLs, stream tokens).
 */
export function sharedSecret(db: Db, name: string): Promise<string> {
  return settingOrDefault(db, name, randomBytes(32).toString('hex'));
}

/**
 * Holds the tenant's file quota until the transaction ends: one upload at a time per
 * tenant while checking it, so concurrent uploads cannot overshoot it.
 */
export async function lockTenantFiles(client: Db, tenantId: string): Promise<void> {
  await run(client, sql`select pg_advisory_xact_lock(hashtext(${`files:${tenantId}`}::text))`);
}

/** Bytes the tenant's files take. */
export async function bytesUsed(db: Db, tenantId: string): Promise<number> {
  const { rows } = await run<{ used: string }>(db, sql`select coalesce(sum(bytes), 0) as used from files where tenant_id = ${tenantId}::uuid`);
  return Number(rows[0]!.used);
}

export async function insertFile(
  db: Db,
  file: {
    id: string;
    tenantId: string;
    intentId: number;
    kind: FileKind;
    filename: string;
    mimeType: string;
    bytes: number;
    sha256: string;
    storageKey: string;
  },
): Promise<void> {
  await run(
    db,
    sql`insert into files (id, tenant_id, intent_id, kind, filename, mime_type, bytes, sha256, storage_key, created_at)
         values (${file.id}, ${file.tenantId}, ${file.intentId}, ${file.kind}, ${file.filename}, ${file.mimeType}, ${file.bytes}, ${file.sha256}, ${file.storageKey}, now())`,
  );
}

/** Bytes and count of the tenant's files per kind. */
export async function usageByKind(db: Db, tenantId: string): Promise<Array<{ kind: FileKind; bytes: string; count: number }>> {
  const { rows } = await run<{ kind: FileKind; bytes: string; count: number }>(
    db,
    sql`select kind, sum(bytes)::bigint as bytes, count(*)::int as count from files where tenant_id = ${tenantId}::uuid group by kind`,
  );
  return rows;
}

/** An intent's files, oldest first. */
export function filesOf(em: EntityManager, intentId: number): Promise<StoredFile[]> {
  return em.find(StoredFile, { intent: intentId }, { orderBy: { createdAt: 'asc', id: 'asc' } });
}

export function fileById(em: EntityManager, id: string): Promise<StoredFile | null> {
  return em.findOne(StoredFile, { id });
}
