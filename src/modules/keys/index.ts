/** The keys module: API keys, who a key is (`AuthInfo`), scopes. */
import type { MikroORM } from '@mikro-orm/postgresql';
import { KeyService } from './key.service.js';

export { KeyService } from './key.service.js';
export { hasScope, systemReader, type AuthInfo } from './auth-info.js';
export { parseBearer } from './key-format.js';
export { TIER_SCOPES, lowestTierFor } from './tier-scopes.js';

export function createKeys(deps: { orm: MikroORM }): KeyService {
  return new KeyService(deps.orm);
}
