import type { EntityManager, RequiredEntityData } from '@mikro-orm/postgresql';
import { sql, type Sql } from '../../db/sql.js';
import { ApiKey } from './api-key.entity.js';

/** Everything that reads or writes `api_keys` (the keys module's table). */

/** Keys' names as a relation (id, name), for other modules' reads that show them. */
export const keyNamesPart: Sql = sql`(select id, name from api_keys)`;

/** A key by its hash, with its tenant. */
export function keyByHash(em: EntityManager, hash: string): Promise<ApiKey | null> {
  return em.findOne(ApiKey, { hash }, { populate: ['tenant'] });
}

/** A key by its id, with its tenant. */
export function keyById(em: EntityManager, id: string): Promise<ApiKey | null> {
  return em.findOne(ApiKey, { id }, { populate: ['tenant'] });
}

/** How stale a key's `last_used_at` may get: a busy key writes it at most this often, not per request. */
const LAST_USED_PRECISION_MS = 60_000;

/** Stamps the key as used now, unless it was within the last minute (one cheap conditional update). */
export async function markKeyUsed(em: EntityManager, id: string, now: Date): Promise<void> {
  const stale = new Date(now.getTime() - LAST_USED_PRECISION_MS);
  await em.nativeUpdate(ApiKey, { id, $or: [{ lastUsedAt: null }, { lastUsedAt: { $lt: stale } }] }, { lastUsedAt: now });
}

export async function keyExistsWithHash(em: EntityManager, hash: string): Promise<boolean> {
  return (await em.findOne(ApiKey, { hash }, { fields: ['id'] })) !== null;
}

/** What decides whether a key still works: its revocation, switch and expiry. */
export function keyValidity(em: EntityManager, keyId: string): Promise<Pick<ApiKey, 'revokedAt' | 'disabledAt' | 'expiresAt'> | null> {
  return em.findOne(ApiKey, { id: keyId }, { fields: ['revokedAt', 'disabledAt', 'expiresAt'] });
}

/** The tenant's key (another tenant's is as missing as a missing one), with its tenant. */
export function tenantsKey(em: EntityManager, tenantId: string, keyId: string): Promise<ApiKey | null> {
  return em.findOne(ApiKey, { id: keyId, tenant: tenantId }, { populate: ['tenant'] });
}

/** The tenant's keys, newest first. */
export function keysOf(em: EntityManager, tenantId: string): Promise<ApiKey[]> {
  return em.find(ApiKey, { tenant: tenantId }, { orderBy: { createdAt: 'desc' }, populate: ['tenant'] });
}

/** Every tenant's keys, newest first. */
export function allKeys(em: EntityManager): Promise<ApiKey[]> {
  return em.find(ApiKey, {}, { orderBy: { createdAt: 'desc' }, populate: ['tenant'] });
}

export function keyCount(em: EntityManager): Promise<number> {
  return em.count(ApiKey, {});
}

/** A new key, stored at the entity manager's next flush. */
export function newKey(em: EntityManager, data: RequiredEntityData<ApiKey>): ApiKey {
  return em.create(ApiKey, data);
}
