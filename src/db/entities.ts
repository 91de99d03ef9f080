import { ApiKey } from '../modules/keys/api-key.entity.js';
import { Tenant, User } from '../modules/tenants/tenant.entity.js';

/** Every entity of the schema; migrations are generated from exactly this list. */
export const entities = [Tenant, User, ApiKey];
