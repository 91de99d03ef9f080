import type { EntityManager } from '@mikro-orm/postgresql';
import type { Tenant, Tier, User } from './tenant.entity.js';
import { firstUserOf, newTenant, newUser, tenantByName } from './tenant.store.js';

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
  let tenant = await tenantByName(em, name);
  let created = false;
  if (!tenant) {
    tenant = newTenant(em, { name, tier, isOperator: opts.isOperator ?? false });
    created = true;
  } else if (opts.updateTier && tenant.tier !== tier) {
    tenant.tier = tier;
  }
  let user = created ? null : await firstUserOf(em, tenant);
  if (!user) user = newUser(em, { tenant, name: `${name} owner` });
  await em.flush();
  return { tenant, user, created };
}
