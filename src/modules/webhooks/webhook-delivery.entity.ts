import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Intent } from '../intents/intent.entity.js';
import { Tenant } from '../tenants/tenant.entity.js';

/**
 * What a delivery is about. `receipt` is OctoMind's webhook: the final receipt as the
 * body. The others are Mindra's event subscriptions, the receipt wrapped in an envelope.
 */
export const WEBHOOK_EVENTS = ['receipt', 'execution.started', 'execution.completed', 'execution.failed', 'agent.started', 'agent.completed'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];
export const SUBSCRIBABLE_EVENTS = WEBHOOK_EVENTS.filter((e) => e !== 'receipt');

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** One HTTP attempt of a delivery, kept for the caller to inspect. */
export interface DeliveryAttempt {
  attempt: number;
  at: string;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

/**
 * One message to one webhook endpoint. The id is derived from (intent, event, url), so
 * whoever notices an intent's event first creates it (with its job, in one transaction)
 * and nobody creates it twice; it is the Standard Webhooks `webhook-id`, the same across
 * retries. The
 * body is fixed when the delivery is created, so every retry sends the same bytes.
 */
export const WebhookDelivery = defineEntity({
  name: 'WebhookDelivery',
  tableName: 'webhook_deliveries',
  properties: {
    id: p.uuid().primary(),
    tenant: () => p.manyToOne(Tenant).deleteRule('cascade'),
    intent: () => p.manyToOne(Intent).deleteRule('cascade').index(),
    event: p.string().length(40).$type<WebhookEvent>(),
    url: p.string().length(2000),
    body: p.text(),
    status: p.enum(() => [...DELIVERY_STATUSES]).$type<DeliveryStatus>(),
    attempts: p.json<DeliveryAttempt[]>().default('[]'),
    createdAt: p.datetime().onCreate(() => new Date()),
    deliveredAt: p.datetime().nullable(),
  },
});
export type WebhookDelivery = InferEntity<typeof WebhookDelivery>;
