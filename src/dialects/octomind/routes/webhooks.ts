import { z } from 'zod/v4';
import { RestRedeliverWebhookDocument, RestWebhookDeliveriesDocument, type DeliveryFragment, type WebhookDeliveryStatus } from '../../../generated/graphql.js';
import { defineRoute, idFromPath, graphqlEnum } from '../../kit/index.js';
import { intentIdParam } from '../paging.js';

const DeliverySchema = z.object({
  id: z.string(),
  event: z.string().describe('receipt, execution.started, execution.completed or execution.failed'),
  url: z.string(),
  status: graphqlEnum<WebhookDeliveryStatus>()(['pending', 'delivered', 'failed']),
  created_at: z.string(),
  delivered_at: z.string().nullable(),
  attempts: z.array(
    z.object({ attempt: z.number().int(), at: z.string(), status_code: z.number().int().nullable(), error: z.string().nullable(), duration_ms: z.number() }),
  ),
});

function delivery(d: DeliveryFragment): z.output<typeof DeliverySchema> {
  return {
    id: d.id,
    event: d.event,
    url: d.url,
    status: d.status,
    created_at: d.createdAt,
    delivered_at: d.deliveredAt,
    attempts: d.attempts.map((a) => ({ attempt: a.attempt, at: a.at, status_code: a.statusCode, error: a.error, duration_ms: a.durationMs })),
  };
}

/** An intent's webhook deliveries, each attempt recorded, and sending one again. */
export const webhookRoutes = [
  defineRoute({
    method: 'GET',
    path: '/intents/:id/webhooks',
    summary: "An intent's webhook deliveries and their attempts",
    document: RestWebhookDeliveriesDocument,
    params: z.object({ id: intentIdParam }),
    variables: idFromPath,
    result: ({ intent }) => ({ body: { intent_id: Number(intent.id), deliveries: intent.webhookDeliveries.map(delivery) } }),
    responses: { 200: { description: 'The deliveries, oldest first', schema: z.object({ intent_id: z.number().int(), deliveries: z.array(DeliverySchema) }) } },
  }),
  defineRoute({
    method: 'POST',
    path: '/webhooks/deliveries/:id/redeliver',
    summary: 'Sends a delivered or failed delivery again (same id and body)',
    document: RestRedeliverWebhookDocument,
    params: z.object({ id: z.string() }),
    variables: idFromPath,
    result: ({ redeliverWebhook }) => ({ status: 202, body: delivery(redeliverWebhook) }),
    errors: [409],
    responses: { 202: { description: 'Accepted: the delivery is queued', schema: DeliverySchema } },
  }),
];
