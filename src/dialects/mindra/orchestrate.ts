import { z } from 'zod/v4';
import type { SubmitIntentInput } from '../../generated/graphql.js';
import { MindraWebhookSchema, webhookVariables } from './webhook-input.js';

/** Mindra's default bar: an agent less sure than this does not run the query. */
export const MINDRA_MIN_CONFIDENCE = 0.7;

/** Which agents may take the query, as Mindra names it; applied to the auction (`selection`). */
const SelectionCriteriaSchema = z
  .object(
    {
      verticals: z.array(z.string(), { error: 'selectionCriteria.verticals must be an array of vertical names' }).min(1).max(20).optional(),
      requiredCapabilities: z
        .array(z.string(), { error: 'selectionCriteria.requiredCapabilities must be an array of capability names' })
        .min(1)
        .max(20)
        .optional(),
      maxAgents: z.number({ error: 'selectionCriteria.maxAgents must be an integer from 1 to 10' }).int().min(1).max(10).optional(),
      minConfidence: z.number({ error: 'selectionCriteria.minConfidence must be a number from 0 to 1' }).min(0).max(1).optional(),
    },
    { error: 'selectionCriteria must be an object' },
  )
  .optional()
  .describe(`Only these verticals; only agents with every capability; at most maxAgents executing; minConfidence default ${MINDRA_MIN_CONFIDENCE}`);

/** `POST /v1/orchestrate`'s body: Mindra's `{query, context, webhook, selectionCriteria}`. */
export const OrchestrateBodySchema = z.object(
  {
    query: z.string({ error: 'query is required and must be a string' }).describe('Your instruction, in natural language'),
    context: z
      .record(z.string(), z.unknown(), { error: 'context must be an object' })
      .optional()
      .describe('Key-value pairs kept with the execution and returned with it'),
    webhook: MindraWebhookSchema,
    selectionCriteria: SelectionCriteriaSchema,
  },
  { error: 'Request body must be a JSON object' },
);

/** X-Idempotency-Key, as Mindra names it, or the Idempotency-Key header. */
export const idempotencyKey = (headers: Headers) => headers.get('x-idempotency-key') ?? headers.get('idempotency-key') ?? undefined;

export function orchestrateInput(body: z.output<typeof OrchestrateBodySchema>, headers: Headers): SubmitIntentInput {
  const criteria = body.selectionCriteria ?? {};
  return {
    text: body.query,
    metadata: body.context,
    webhook: webhookVariables(body.webhook),
    idempotencyKey: idempotencyKey(headers),
    selection: {
      domains: criteria.verticals,
      skills: criteria.requiredCapabilities,
      maxAgents: criteria.maxAgents,
      minConfidence: criteria.minConfidence ?? MINDRA_MIN_CONFIDENCE,
    },
  };
}
