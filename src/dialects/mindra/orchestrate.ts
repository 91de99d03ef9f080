import { z } from 'zod/v4';
import type { SubmitIntentInput } from '../../generated/graphql.js';
import { MindraWebhookSchema, webhookVariables } from './webhook-input.js';

/** `POST /v1/orchestrate`'s body: Mindra's `{query, context, webhook}`. */
export const OrchestrateBodySchema = z.object(
  {
    query: z.string({ error: 'query is required and must be a string' }).describe('Your instruction, in natural language'),
    context: z
      .record(z.string(), z.unknown(), { error: 'context must be an object' })
      .optional()
      .describe('Key-value pairs kept with the execution and returned with it'),
    webhook: MindraWebhookSchema,
  },
  { error: 'Request body must be a JSON object' },
);

/** X-Idempotency-Key, as Mindra names it, or the Idempotency-Key header. */
export const idempotencyKey = (headers: Headers) => headers.get('x-idempotency-key') ?? headers.get('idempotency-key') ?? undefined;

export function orchestrateInput(body: z.output<typeof OrchestrateBodySchema>, headers: Headers): SubmitIntentInput {
  return { text: body.query, metadata: body.context, webhook: webhookVariables(body.webhook), idempotencyKey: idempotencyKey(headers) };
}
