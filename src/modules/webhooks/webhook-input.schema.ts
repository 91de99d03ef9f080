import { builder } from '../../graphql/builder.js';
import { SUBSCRIBABLE_EVENTS } from './webhook-delivery.entity.js';

export const WebhookEventEnum = builder.enumType('WebhookEvent', {
  values: Object.fromEntries(SUBSCRIBABLE_EVENTS.map((e) => [e.replace('.', '_').toUpperCase(), { value: e }])) as Record<string, { value: string }>,
  description: "Mindra's execution events, and each agent's attempt (agent.started, agent.completed)",
});

export const WebhookInput = builder.inputType('WebhookSubscriptionInput', {
  description: 'Mindra webhooks: POST these events to url, signed with secret (or the gateway secret)',
  fields: (t) => ({
    url: t.string({ required: true }),
    events: t.field({ type: [WebhookEventEnum], description: 'Default: execution.completed and execution.failed' }),
    secret: t.string({ description: 'Your signing secret, 16 to 200 characters' }),
  }),
});
