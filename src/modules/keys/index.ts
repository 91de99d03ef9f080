/** The keys module: API keys, who a key is (`AuthInfo`), scopes. */
import type { MikroORM } from '@mikro-orm/postgresql';
import { KeyService } from './key.service.js';
import { StreamTokens } from './stream-token.js';

export { KeyService } from './key.service.js';
export { hasScope, systemReader, type AuthInfo } from './auth-info.js';
export { parseBearer } from './key-format.js';
export { TIER_SCOPES, lowestTierFor } from './tier-scopes.js';
export { keyInUrl, StreamTokens, type MintedStreamToken } from './stream-token.js';

export function createKeys(deps: { orm: MikroORM }): KeyService {
  return new KeyService(deps.orm);
}

/** Stream tokens signed with a secret every instance shares (see files' `sharedSecret`). */
export function createStreamTokens(deps: { keys: KeyService; secret: string; ttlSeconds: number }): StreamTokens {
  return new StreamTokens(deps.keys, deps.secret, deps.ttlSeconds);
}
