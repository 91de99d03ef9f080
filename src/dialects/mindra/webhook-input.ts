import { z } from 'zod/v4';
import type { WebhookEvent, WebhookSubscriptionInput } from '../../generated/graphql.js';

/** Mindra's event names, as its clients write them, and the GraphQL enum value each is. */
const EVENTS = {
  'execution.started': 'EXECUTION_STARTED',
  'execution.completed': 'EXECUTION_COMPLETED',
  'execution.failed': 'EXECUTION_FAILED',
  'agent.started': 'AGENT_STARTED',
  'agent.completed': 'AGENT_COMPLETED',
} as const satisfies Record<string, WebhookEvent>;

/** Mindra's `webhook: { url, events, secret }`, as a submit body carries it. */
export const MindraWebhookSchema = z
  .object(
    {
      url: z.string({ error: 'webhook.url is required' }),
      events: z
        .array(z.enum(Object.keys(EVENTS) as [keyof typeof EVENTS]), { error: 'webhook.events must be a list of event names' })
        .optional()
        .describe('Default: execution.completed and execution.failed'),
      secret: z.string().optional().describe('Your signing secret, 16 to 200 characters (default: the gateway secret)'),
    },
    { error: 'webhook must be an object with url, events and secret' },
  )
  .nullish();

export function webhookVariables(webhook: z.output<typeof MindraWebhookSchema>): WebhookSubscriptionInput | undefined {
  if (!webhook) return undefined;
  return { url: webhook.url, events: webhook.events?.map((e) => EVENTS[e]), secret: webhook.secret };
}
