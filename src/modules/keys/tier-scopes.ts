import { TIERS, type Tier } from '../tenants/tenant.entity.js';
import { SCOPES, type Scope } from './api-key.entity.js';

/**
 * The scopes a key may hold on each tier: OctoMind's key-scope table. `full_access` and
 * `analytics_read` are Enterprise only, and so is `agents_write` (Gavel's own, for the
 * operator tenant's agent admin, which is Enterprise). One departure: OctoMind lists
 * `intent_submit` and `intent_read` for Pro and Enterprise, yet gives Free 20 intents a
 * month, which a Free key could never use without them; so Free keys may hold both.
 */
export const TIER_SCOPES: Readonly<Record<Tier, ReadonlySet<Scope>>> = {
  free: new Set(['intent_submit', 'intent_read']),
  pro: new Set(['intent_submit', 'intent_read']),
  enterprise: new Set(SCOPES),
};

/** The scopes of `scopes` that `tier` may not hold. */
export function scopesBeyondTier(scopes: Iterable<Scope>, tier: Tier): Scope[] {
  return [...scopes].filter((scope) => !TIER_SCOPES[tier].has(scope));
}

/**
 * What a stored key may do on its tenant's tier today. A tenant moved to a lower tier
 * keeps its keys, but they lose what the new tier does not allow, at once.
 */
export function effectiveScopes(scopes: Iterable<Scope>, tier: Tier): Set<Scope> {
  return new Set([...scopes].filter((scope) => TIER_SCOPES[tier].has(scope)));
}

/** The lowest tier whose keys may hold `scope`; undefined for a name that is no scope. */
export function lowestTierFor(scope: Scope): Tier | undefined {
  return TIERS.find((tier) => TIER_SCOPES[tier].has(scope));
}

/** "full_access needs the enterprise tier; tenant acme is on free". */
export function tierRefusal(beyond: Scope[], tenantName: string, tier: Tier): string {
  const needs = beyond.map((scope) => `${scope} needs the ${lowestTierFor(scope)} tier`);
  return `${needs.join('; ')}; tenant ${tenantName} is on ${tier}`;
}
