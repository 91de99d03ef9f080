import type { Gateway } from '../../http/gateway.js';
import type { Dialect, ReceiptReader, WebhookPayload } from './dialect.js';
import { compileOperation, failedStep, runEnveloped } from './envelope.js';

/** What the webhooks module asks of the dialects: a delivery's body, and the signature headers its receivers check. */
export interface DialectWebhookPayloads {
  render(delivery: { event: string; intentId: number; tenantId: string; secret: string; agent?: object }): Promise<string>;
  signatureHeaders(event: string, secret: string, body: string): Record<string, string>;
}

/**
 * The dialects' webhook payloads by event. Bodies are rendered by the dialects' own
 * GraphQL documents, run through yoga's envelope as the intent's tenant's system
 * reader (`systemTenantId`, set only here, in the server's initial context): the same
 * resolvers, masking and armor as any operation, with no client to count.
 */
export function webhookPayloads(dialects: Dialect[], getYoga: () => Gateway): DialectWebhookPayloads {
  const byEvent = new Map<string, WebhookPayload>();
  for (const payload of dialects.flatMap((d) => d.webhooks ?? [])) {
    for (const event of payload.events) {
      if (byEvent.has(event)) throw new Error(`Two dialects render the webhook event ${event}`);
      byEvent.set(event, payload);
    }
  }
  const payloadOf = (event: string) => {
    const payload = byEvent.get(event);
    if (!payload) throw new Error(`No dialect renders the webhook event ${event}`);
    return payload;
  };
  return {
    async render(delivery) {
      const read: ReceiptReader = async (document, intentId) => {
        const request = new Request('http://gavel.internal/webhooks');
        const outcome = await runEnveloped(
          getYoga(),
          compileOperation(document),
          { id: String(intentId) },
          request,
          { requestId: `webhook-${intentId}` },
          {
            followUp: true,
            systemTenantId: delivery.tenantId,
          },
        );
        const result = 'refused' in outcome ? outcome.refused : outcome.result;
        const step = Symbol.asyncIterator in result ? null : result;
        if (!step || step.errors?.length || !step.data) {
          throw new Error(`rendering intent ${intentId} for a webhook failed: ${step ? failedStep(step, 'INTERNAL_ERROR').error?.message : 'a stream'}`);
        }
        return step.data as never;
      };
      const agent = delivery.agent as Readonly<Record<string, unknown>> | undefined;
      return JSON.stringify(await payloadOf(delivery.event).render({ ...delivery, agent }, read));
    },
    signatureHeaders: (event, secret, body) => payloadOf(event).signatureHeaders(secret, body),
  };
}
