import type { EntityManager, RequiredEntityData } from '@mikro-orm/postgresql';
import { sql, type Sql } from '../../db/sql.js';
import { Tenant, User } from './tenant.entity.js';

/**
 * Everything that reads or writes `tenants` and `users` (the tenants module's tables),
 * except the wallet's columns of `tenants` (balance, holds, prepaid), which the wallet
 * module keeps (wallet.store.ts).
 */

/** Users' names as a relation (id, name), for other modules' reads that show them. */
export const userNamesPart: Sql = sql`(select id, name from users)`;

export function tenantByName(em: EntityManager, name: string): Promise<Tenant | null> {
  return em.findOne(Tenant, { name });
}

/** Every tenant, oldest first. */
export function allTenants(em: EntityManager): Promise<Tenant[]> {
  return em.find(Tenant, {}, { orderBy: { createdAt: 'asc', name: 'asc' } });
}

/** A tenant's id from its id (a UUID) or else its name; null when there is none. */
export async function tenantIdOf(em: EntityManager, idOrName: string): Promise<string | null> {
  const found = await em.findOne(Tenant, /^[0-9a-f-]{36}$/i.test(idOrName) ? { id: idOrName } : { name: idOrName }, { fields: ['id'] });
  return found?.id ?? null;
}

/** The tenant's first user. */
export function firstUserOf(em: EntityManager, tenant: Tenant): Promise<User | null> {
  return em.findOne(User, { tenant }, { orderBy: { id: 'asc' } });
}

/** A new tenant, stored at the entity manager's next flush. */
export function newTenant(em: EntityManager, data: RequiredEntityData<Tenant>): Tenant {
  return em.create(Tenant, data);
}

/** A new user, stored at the entity manager's next flush. */
export function newUser(em: EntityManager, data: RequiredEntityData<User>): User {
  return em.create(User, data);
}
