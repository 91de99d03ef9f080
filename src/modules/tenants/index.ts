/** The tenants module: tenants, their users, tiers; the operator's own tenant. */
export { findOrCreateTenant, listTenants, OPERATOR_TENANT, setTenantTier } from './tenant.service.js';
export { tenantByName, tenantIdOf } from './tenant.store.js';
export { TIERS, type Tier } from './tenant.entity.js';
