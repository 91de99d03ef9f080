import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Tenant } from '../tenants/tenant.entity.js';

/**
 * A mutation sent with an idempotency key: claimed before it runs, then holding its
 * result for 24 hours, so the same key and request answer the same again and create
 * nothing. Keyed per tenant: two tenants' keys never meet.
 */
export const IdempotentRequest = defineEntity({
  name: 'IdempotentRequest',
  tableName: 'idempotent_requests',
  properties: {
    tenant: () => p.manyToOne(Tenant).deleteRule('cascade').primary(),
    key: p.string().length(255).primary(),
    /** SHA-256 of the operation and its variables: the same key with another request is refused. */
    fingerprint: p.string().length(64),
    /** The GraphQL result (data only) once the mutation succeeded; null while it runs. */
    result: p.json<Record<string, unknown>>().nullable(),
    /** Its answer held a secret shown once (a new API key): the result is never stored. */
    secret: p.boolean().default(false),
    createdAt: p.datetime().index(),
  },
});
export type IdempotentRequest = InferEntity<typeof IdempotentRequest>;
