import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError, invalid, notFound } from '../../errors/app-error.js';
import { TIERS, type Tenant, type Tier, type User } from './tenant.entity.js';
import { allTenants, firstUserOf, newTenant, newUser, tenantByName } from './tenant.store.js';

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

/** Every tenant, oldest first (the operator's CLI). */
export function listTenants(em: EntityManager): Promise<Tenant[]> {
  return allTenants(em);
}

/** Moves a tenant to another tier: the one explicit way the CLI re-tiers a tenant. Returns it and its previous tier. */
export async function setTenantTier(em: EntityManager, name: string, tier: Tier): Promise<{ tenant: Tenant; previous: Tier }> {
  if (!TIERS.includes(tier)) throw invalid(`tier must be one of ${TIERS.join(', ')}`, 'tier');
  const tenant = await tenantByName(em, name);
  if (!tenant) throw notFound(`Tenant ${name}`);
  if (tenant.isOperator && tier !== 'enterprise') throw new AppError('CONFLICT', 'the operator tenant stays on the enterprise tier');
  const previous = tenant.tier;
  tenant.tier = tier;
  await em.flush();
  return { tenant, previous };
}
