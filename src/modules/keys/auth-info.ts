import type { Tier } from '../tenants/tenant.entity.js';
import type { Scope } from './api-key.entity.js';

/** Who is calling: resolved once per request from the API key, then read everywhere. */
export interface AuthInfo {
  keyId: string;
  keyPrefix: string;
  tenantId: string;
  tenantName: string;
  tier: Tier;
  isOperator: boolean;
  userId: number;
  scopes: ReadonlySet<Scope>;
  sandbox: boolean;
  /** The tenant pays from a prepaid wallet (see wallet/). */
  prepaid?: boolean;
  /** The key's own ceilings, when set (otherwise the tier's). */
  rateLimitPerMinute?: number | null;
  rateLimitPerDay?: number | null;
  monthlyIntentQuota?: number | null;
  /** Authenticated by a stream token (read-only, one intent's stream), not by the key itself. */
  viaStreamToken?: boolean;
}

/** `full_access` implies every other scope. */
export function hasScope(auth: AuthInfo | null, scope: Scope): boolean {
  return auth !== null && (auth.scopes.has('full_access') || auth.scopes.has(scope));
}

/**
 * The caller of work that has no client (a webhook body rendered after the auction):
 * it may read the tenant's intents and nothing else. Only the server builds it.
 */
export function systemReader(tenantId: string): AuthInfo {
  return {
    keyId: 'system',
    keyPrefix: 'system',
    tenantId,
    tenantName: '',
    tier: 'enterprise',
    isOperator: false,
    userId: 0,
    scopes: new Set(['intent_read']),
    sandbox: false,
  };
}
