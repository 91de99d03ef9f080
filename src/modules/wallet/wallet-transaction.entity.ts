import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Intent } from '../intents/intent.entity.js';
import { Tenant } from '../tenants/tenant.entity.js';

export const TRANSACTION_KINDS = ['top_up', 'charge', 'adjustment'] as const;
export type TransactionKind = (typeof TRANSACTION_KINDS)[number];

/**
 * The wallet's ledger. Amounts are signed micro-USD (top-ups positive, charges negative),
 * exact integers rather than floats. An intent is charged at most once: `intent` is unique.
 */
export const WalletTransaction = defineEntity({
  name: 'WalletTransaction',
  tableName: 'wallet_transactions',
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    tenant: () => p.manyToOne(Tenant).deleteRule('cascade'),
    kind: p.enum(() => [...TRANSACTION_KINDS]).$type<TransactionKind>(),
    amountMicros: p.bigint('number'),
    balanceAfterMicros: p.bigint('number'),
    intent: () => p.manyToOne(Intent).nullable().unique().deleteRule('set null'),
    note: p.text().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
  indexes: [{ properties: ['tenant', 'createdAt'] }],
});
export type WalletTransaction = InferEntity<typeof WalletTransaction>;
