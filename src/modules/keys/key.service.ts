import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { AppError, forbidden, invalid, notFound } from '../../errors/app-error.js';
import { TIERS, type Tier } from '../tenants/tenant.entity.js';
import { OPERATOR_TENANT, findOrCreateTenant } from '../tenants/index.js';
import { SCOPES, type ApiKey, type Scope } from './api-key.entity.js';
import { allKeys, keyById, keyByHash, keyCount, keyExistsWithHash, keysOf, keyValidity, markKeyUsed, newKey, tenantsKey } from './key.store.js';
import type { AuthInfo } from './auth-info.js';
import { displayPrefix, generateKey, hashKey } from './key-format.js';
import { effectiveScopes, scopesBeyondTier, tierRefusal } from './tier-scopes.js';

export interface CreateKeyInput {
  tenantName: string;
  /** A new tenant's tier (default free); given for an existing tenant, moves it to that tier (unless `keepTier`). */
  tier?: Tier;
  /**
   * Refuse instead of moving an existing tenant to another tier: the CLI moves tenants
   * only with `tenants set-tier`, so a key for the wrong tenant name cannot re-tier one.
   */
  keepTier?: boolean;
  scopes: string[];
  sandbox?: boolean;
  name?: string;
  expiresAt?: Date | null;
  /** Only for the bootstrap key: the exact key to store (taken as given). */
  exactKey?: string;
  isOperator?: boolean;
  rateLimitPerMinute?: number | null;
  rateLimitPerDay?: number | null;
  monthlyIntentQuota?: number | null;
}

export interface CreatedKey {
  /** Shown once, never stored. */
  key: string;
  apiKey: ApiKey;
}

/** How long an authenticated key is trusted without a database round trip; bounds revocation delay. */
const AUTH_CACHE_MS = 2_000;

export class KeyService {
  private readonly cache = new Map<string, { auth: AuthInfo | null; until: number }>();
  private readonly validity = new Map<string, { valid: boolean; until: number }>();

  constructor(private readonly orm: MikroORM) {}

  /** Returns who a bearer token belongs to, or null for an unknown, revoked or expired key. */
  authenticate(token: string, now = Date.now()): Promise<AuthInfo | null> {
    return this.cachedAuth(`hash:${hashKey(token)}`, now, (em) => keyByHash(em, hashKey(token)));
  }

  /** Who a key is, by its id (what a stream token names), or null when it is unknown, revoked or expired. */
  authenticateKeyId(keyId: string, now = Date.now()): Promise<AuthInfo | null> {
    if (!isUuid(keyId)) return Promise.resolve(null);
    return this.cachedAuth(`id:${keyId}`, now, (em) => keyById(em, keyId));
  }

  private async cachedAuth(cacheKey: string, now: number, load: (em: EntityManager) => Promise<ApiKey | null>): Promise<AuthInfo | null> {
    const cached = this.cache.get(cacheKey);
    if (cached && cached.until > now) return cached.auth;
    const key = await load(this.orm.em.fork());
    const valid = key && keyWorks(key, now);
    const auth: AuthInfo | null = valid
      ? {
          keyId: key.id,
          keyPrefix: key.prefix,
          tenantId: key.tenant.id,
          tenantName: key.tenant.name,
          tier: key.tenant.tier,
          isOperator: key.tenant.isOperator,
          userId: key.user.id,
          scopes: effectiveScopes(key.scopes, key.tenant.tier),
          sandbox: key.sandbox,
          prepaid: key.tenant.prepaid,
          rateLimitPerMinute: key.rateLimitPerMinute ?? null,
          rateLimitPerDay: key.rateLimitPerDay ?? null,
          monthlyIntentQuota: key.monthlyIntentQuota ?? null,
        }
      : null;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(cacheKey, { auth, until: now + AUTH_CACHE_MS });
    // Only here, on a cache miss: at most one write per key per AUTH_CACHE_MS per instance,
    // and none within a minute of the last. The answer does not wait for it; a failed
    // stamp (the database went away meanwhile) costs the request nothing.
    if (auth) markKeyUsed(this.orm.em.fork(), auth.keyId, new Date(now)).catch(() => {});
    return auth;
  }

  /** Drops this instance's cached authentications of a tenant after its billing changed. */
  forgetTenant(tenantId: string): void {
    for (const [hash, entry] of this.cache) if (entry.auth?.tenantId === tenantId) this.cache.delete(hash);
  }

  /** Whether a key is neither revoked nor expired; cached like authentication. */
  async isStillValid(keyId: string, now = Date.now()): Promise<boolean> {
    const cached = this.validity.get(keyId);
    if (cached && cached.until > now) return cached.valid;
    const key = await keyValidity(this.orm.em.fork(), keyId);
    const valid = !!key && keyWorks(key, now);
    this.validity.set(keyId, { valid, until: now + AUTH_CACHE_MS });
    return valid;
  }

  async create(input: CreateKeyInput): Promise<CreatedKey> {
    const scopes = validateScopes(input.scopes);
    if (input.tier !== undefined && !TIERS.includes(input.tier)) throw invalid(`tier must be one of ${TIERS.join(', ')}`, 'tier');
    const name = input.tenantName.trim();
    if (!/^[\w.@-]{1,120}$/.test(name)) throw invalid('tenant name: 1 to 120 letters, digits, _ . @ or -', 'tenant');
    if (input.expiresAt && input.expiresAt.getTime() <= Date.now()) throw invalid('expiresAt must be in the future', 'expiresAt');
    return this.orm.em.fork().transactional(async (em) => {
      const { tenant, user } = await findOrCreateTenant(em, name, input.tier ?? 'free', {
        isOperator: input.isOperator,
        updateTier: input.tier !== undefined && !input.keepTier,
      });
      if (input.keepTier && input.tier !== undefined && tenant.tier !== input.tier) {
        throw new AppError(
          'CONFLICT',
          `tenant ${name} exists on the ${tenant.tier} tier; a key's tier applies to a new tenant only (move the tenant with tenants set-tier ${name} ${input.tier})`,
        );
      }
      if (tenant.isOperator && tenant.tier !== 'enterprise') throw invalid('the operator tenant stays on the enterprise tier', 'tier');
      // Refused inside the transaction, so a tenant created for this key is not kept either.
      const beyond = scopesBeyondTier(scopes, tenant.tier);
      if (beyond.length) throw invalid(tierRefusal(beyond, name, tenant.tier), 'scopes');
      const sandbox = input.sandbox ?? false;
      const key = input.exactKey ?? generateKey(sandbox);
      const apiKey = newKey(em, {
        tenant,
        user,
        name: input.name ?? `${name} key`,
        prefix: displayPrefix(key),
        hash: hashKey(key),
        scopes,
        sandbox,
        expiresAt: input.expiresAt ?? null,
        revokedAt: null,
        disabledAt: null,
        lastUsedAt: null,
        rateLimitPerMinute: input.rateLimitPerMinute ?? null,
        rateLimitPerDay: input.rateLimitPerDay ?? null,
        monthlyIntentQuota: input.monthlyIntentQuota ?? null,
      });
      await em.flush();
      return { key, apiKey };
    });
  }

  async list(tenantId: string): Promise<ApiKey[]> {
    return keysOf(this.orm.em.fork(), tenantId);
  }

  /** Every tenant's keys, newest first (the operator's CLI). */
  async listAll(): Promise<ApiKey[]> {
    return allKeys(this.orm.em.fork());
  }

  /** Revokes any tenant's key by its id (the operator's CLI). */
  async revokeById(keyId: string): Promise<ApiKey> {
    const key = isUuid(keyId) ? await keyById(this.orm.em.fork(), keyId) : null;
    if (!key) throw notFound('API key');
    return this.revoke(key.tenant.id, keyId);
  }

  /**
   * Replaces a key with a new one of the same tenant, user, name, scopes, sandbox, expiry
   * and limits, and revokes the old one, in one transaction: a leaked key stops at once.
   */
  async rotate(keyId: string): Promise<CreatedKey & { replaced: ApiKey }> {
    const created = await this.orm.em.fork().transactional(async (em) => {
      const old = isUuid(keyId) ? await keyById(em, keyId) : null;
      if (!old) throw notFound('API key');
      if (old.revokedAt) throw new AppError('CONFLICT', `API key ${old.id} is revoked already; create a new one instead`);
      const key = generateKey(old.sandbox);
      const apiKey = newKey(em, {
        tenant: old.tenant,
        user: old.user,
        name: old.name,
        prefix: displayPrefix(key),
        hash: hashKey(key),
        scopes: old.scopes,
        sandbox: old.sandbox,
        expiresAt: old.expiresAt ?? null,
        revokedAt: null,
        disabledAt: old.disabledAt ?? null,
        lastUsedAt: null,
        rateLimitPerMinute: old.rateLimitPerMinute ?? null,
        rateLimitPerDay: old.rateLimitPerDay ?? null,
        monthlyIntentQuota: old.monthlyIntentQuota ?? null,
      });
      old.revokedAt = new Date();
      await em.flush();
      return { key, apiKey, replaced: old };
    });
    this.cache.clear();
    this.validity.clear();
    return created;
  }

  /** Revokes a key of the tenant; another tenant's key id is simply not found. */
  async revoke(tenantId: string, keyId: string): Promise<ApiKey> {
    const em = this.orm.em.fork();
    const key = isUuid(keyId) ? await tenantsKey(em, tenantId, keyId) : null;
    if (!key) throw notFound('API key');
    key.revokedAt ??= new Date();
    await em.flush();
    this.cache.clear();
    this.validity.clear();
    return key;
  }

  /**
   * Changes a key of the tenant: its name, scopes (never beyond what `grantable` holds, nor
   * its tier's), expiry and whether it is switched on. A revoked key stays revoked: it can
   * only be read. Another tenant's key id is simply not found.
   */
  async update(tenantId: string, keyId: string, changes: KeyChanges, grantable: ReadonlySet<Scope>): Promise<ApiKey> {
    const em = this.orm.em.fork();
    const key = isUuid(keyId) ? await tenantsKey(em, tenantId, keyId) : null;
    if (!key) throw notFound('API key');
    if (key.revokedAt) throw new AppError('CONFLICT', `API key ${key.id} is revoked; create a new one instead`);
    if (changes.name != null) {
      const name = changes.name.trim();
      if (name.length < 1 || name.length > 120) throw invalid('name: 1 to 120 characters', 'name');
      key.name = name;
    }
    if (changes.scopes != null) {
      const scopes = validateScopes(changes.scopes);
      const beyondCaller = scopes.filter((scope) => !grantable.has(scope) && !grantable.has('full_access'));
      if (beyondCaller.length) throw forbidden(`a key cannot grant scopes it does not hold: ${beyondCaller.join(', ')}`);
      const beyond = scopesBeyondTier(scopes, key.tenant.tier);
      if (beyond.length) throw invalid(tierRefusal(beyond, key.tenant.name, key.tenant.tier), 'scopes');
      key.scopes = scopes;
    }
    if (changes.expiresAt !== undefined) {
      if (changes.expiresAt && changes.expiresAt.getTime() <= Date.now()) throw invalid('expiresAt must be in the future', 'expiresAt');
      key.expiresAt = changes.expiresAt;
    }
    if (changes.enabled != null) key.disabledAt = changes.enabled ? null : (key.disabledAt ?? new Date());
    await em.flush();
    // Scopes and the switch take effect at this instance's next request; others', within AUTH_CACHE_MS.
    this.cache.clear();
    this.validity.clear();
    return key;
  }

  /**
   * Makes sure the operator can get in. With GAVEL_BOOTSTRAP_KEY, that exact key exists as a
   * full-access enterprise key of the operator tenant; without it, a key is generated on the
   * very first start only. Returns the generated key (to print once) and its id, or null.
   */
  async ensureBootstrapKey(bootstrapKey: string | undefined): Promise<{ key: string; id: string } | null> {
    const em = this.orm.em.fork();
    if (bootstrapKey) {
      if (await keyExistsWithHash(em, hashKey(bootstrapKey))) return null;
      await this.create({ ...operatorKey(), exactKey: bootstrapKey, name: 'bootstrap key (GAVEL_BOOTSTRAP_KEY)' });
      return null;
    }
    if ((await keyCount(em)) > 0) return null;
    const { key, apiKey } = await this.create({ ...operatorKey(), name: 'first key' });
    return { key, id: apiKey.id };
  }
}

/** What `update` may change; an absent member stays as it is (`expiresAt: null` removes the expiry). */
export interface KeyChanges {
  name?: string | null;
  scopes?: string[] | null;
  expiresAt?: Date | null;
  enabled?: boolean | null;
}

/** Whether a stored key authenticates at `now`: not revoked, not switched off, not expired. */
function keyWorks(key: Pick<ApiKey, 'revokedAt' | 'disabledAt' | 'expiresAt'>, now: number): boolean {
  return !key.revokedAt && !key.disabledAt && (!key.expiresAt || key.expiresAt.getTime() > now);
}

function operatorKey(): CreateKeyInput {
  return { tenantName: OPERATOR_TENANT, tier: 'enterprise', scopes: ['full_access'], isOperator: true };
}

export function validateScopes(scopes: string[]): Scope[] {
  if (scopes.length === 0) throw invalid('at least one scope is required', 'scopes');
  const unknown = scopes.filter((s) => !(SCOPES as readonly string[]).includes(s));
  if (unknown.length) throw invalid(`unknown scope(s) ${unknown.join(', ')}; known: ${SCOPES.join(', ')}`, 'scopes');
  return [...new Set(scopes)] as Scope[];
}

export function isUuid(id: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
}
