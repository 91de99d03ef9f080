import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Tenant, User } from '../tenants/tenant.entity.js';

export const SCOPES = ['intent_submit', 'intent_read', 'full_access', 'analytics_read', 'agents_write'] as const;
export type Scope = (typeof SCOPES)[number];

export const ApiKey = defineEntity({
  name: 'ApiKey',
  tableName: 'api_keys',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => crypto.randomUUID()),
    tenant: () => p.manyToOne(Tenant).deleteRule('cascade').index(),
    user: () => p.manyToOne(User).deleteRule('cascade'),
    name: p.string().length(120),
    /** First characters of the key, safe to show so people can tell keys apart. */
    prefix: p.string().length(24),
    /** SHA-256 of the whole key; the key itself is never stored. */
    hash: p.string().length(64).unique(),
    scopes: p.array().$type<Scope[]>(),
    /** Sandbox keys simulate LLM and HTTP agents (tools run offline as always) and are never charged. */
    sandbox: p.boolean().default(false),
    createdAt: p.datetime().onCreate(() => new Date()),
    expiresAt: p.datetime().nullable(),
    revokedAt: p.datetime().nullable(),
    /** Set while the key is switched off (Mindra's `enabled: false`); unlike a revocation, it can be undone. */
    disabledAt: p.datetime().nullable(),
    lastUsedAt: p.datetime().nullable(),
    /** Ceilings of this key; null: its tier's defaults. */
    rateLimitPerMinute: p.integer().nullable(),
    /** Requests per UTC day (Mindra's tiers: Developer 10,000, Business 100,000); null: no daily ceiling. */
    rateLimitPerDay: p.integer().nullable(),
    monthlyIntentQuota: p.integer().nullable(),
  },
});
export type ApiKey = InferEntity<typeof ApiKey>;
