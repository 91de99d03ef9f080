import type { EntityManager } from '@mikro-orm/postgresql';
import { Tenant, User, type Tier } from './tenant.entity.js';

export const OPERATOR_TENANT = 'operator';

/**
 * Finds a tenant by name or creates it (with its first user). An existing tenant
 * keeps its tier unless `tier` differs, in which case the tier is updated: the CLI
 * and `createTenant` are how operators move a tenant between plans.
 */
export async function findOrCreateTenant(
  em: EntityManager,
  name: string,
  tier: Tier,
  opts: { isOperator?: boolean; updateTier?: boolean } = {},
): Promise<{ tenant: Tenant; user: User; created: boolean }> {
  let tenant = await em.findOne(Tenant, { name });
  let created = false;
  if (!tenant) {
    tenant = em.create(Tenant, { name, tier, isOperator: opts.isOperator ?? false });
    created = true;
  } else if (opts.updateTier && tenant.tier !== tier) {
    tenant.tier = tier;
  }
  let user = created ? null : await em.findOne(User, { tenant }, { orderBy: { id: 'asc' } });
  if (!user) user = em.create(User, { tenant, name: `${name} owner` });
  await em.flush();
  return { tenant, user, created };
}
