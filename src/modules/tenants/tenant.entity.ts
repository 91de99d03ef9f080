import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const TIERS = ['free', 'pro', 'enterprise'] as const;
export type Tier = (typeof TIERS)[number];

export const Tenant = defineEntity({
  name: 'Tenant',
  tableName: 'tenants',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => crypto.randomUUID()),
    name: p.string().length(120).unique(),
    tier: p.enum(() => [...TIERS]).$type<Tier>(),
    /** The operator tenant's full-access keys may manage other tenants. */
    isOperator: p.boolean().default(false),
    /** Prepaid tenants pay from their wallet and are refused (402) when it cannot cover an intent. */
    prepaid: p.boolean().default(false),
    /** Wallet balance and the part of it held by intents in flight, in micro-USD (exact integers). */
    balanceMicros: p.bigint('number').default(0),
    heldMicros: p.bigint('number').default(0),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type Tenant = InferEntity<typeof Tenant>;

export const User = defineEntity({
  name: 'User',
  tableName: 'users',
  properties: {
    // Integer ids, as the reference receipts show (`"user_id": 42`).
    id: p.integer().primary().autoincrement(),
    tenant: () => p.manyToOne(Tenant).deleteRule('cascade').index(),
    name: p.string().length(120),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type User = InferEntity<typeof User>;
