import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { IntentWebhook } from '../intents/intent.entity.js';
import { ApiKey } from '../keys/api-key.entity.js';
import { Tenant } from '../tenants/tenant.entity.js';

/** Up to 100 intents admitted together; each result goes to the batch's webhook as it completes. */
export const Batch = defineEntity({
  name: 'Batch',
  tableName: 'batches',
  properties: {
    /** `batch_` and 16 random characters, as OctoMind shows (`batch_x9y8z7`). */
    id: p.string().length(40).primary(),
    tenant: () => p.manyToOne(Tenant).deleteRule('cascade').index(),
    apiKey: () => p.manyToOne(ApiKey).deleteRule('cascade'),
    webhookUrl: p.string().length(2000).nullable(),
    webhook: p.json<IntentWebhook>().nullable(),
    submitted: p.integer(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type Batch = InferEntity<typeof Batch>;
