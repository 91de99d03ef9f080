import { builder } from '../../graphql/builder.js';
import { IntentRef } from '../intents/intents.schema.js';
import { DELIVERY_STATUSES, type DeliveryAttempt, type WebhookDelivery } from './webhook-delivery.entity.js';

const DeliveryStatusEnum = builder.enumType('WebhookDeliveryStatus', {
  values: DELIVERY_STATUSES,
  description: 'pending (not yet accepted; retries scheduled), delivered (a 2xx answer) or failed (retries exhausted)',
});

const AttemptRef = builder.objectRef<DeliveryAttempt>('WebhookDeliveryAttempt').implement({
  fields: (t) => ({
    attempt: t.exposeInt('attempt'),
    at: t.field({ type: 'DateTime', resolve: (a) => a.at }),
    statusCode: t.exposeInt('statusCode', { nullable: true, description: "The receiver's HTTP status; null when it never answered" }),
    error: t.exposeString('error', { nullable: true }),
    durationMs: t.exposeInt('durationMs'),
  }),
});

export const WebhookDeliveryRef = builder.objectRef<WebhookDelivery>('WebhookDelivery').implement({
  description: 'One message to one webhook endpoint, with every attempt to deliver it',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Also sent as the webhook-id header, the same on every retry' }),
    event: t.exposeString('event', { description: 'receipt (OctoMind webhook_url) or an execution.* event (Mindra webhook)' }),
    url: t.exposeString('url'),
    status: t.field({ type: DeliveryStatusEnum, resolve: (d) => d.status }),
    attempts: t.field({ type: [AttemptRef], resolve: (d) => d.attempts }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    deliveredAt: t.expose('deliveredAt', { type: 'DateTime', nullable: true }),
  }),
});

builder.objectField(IntentRef, 'webhookDeliveries', (t) =>
  t.field({
    type: [WebhookDeliveryRef],
    description: "This intent's webhook deliveries, oldest first",
    resolve: (i, _args, ctx) => ctx.modules.webhooks.list(i.id),
  }),
);

builder.mutationField('redeliverWebhook', (t) =>
  t.field({
    type: WebhookDeliveryRef,
    authScopes: { scope: 'intent_submit' },
    description: 'Sends a delivery again: same id and body, newly signed',
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => ctx.modules.webhooks.redeliver(ctx.auth!, String(id)),
  }),
);
