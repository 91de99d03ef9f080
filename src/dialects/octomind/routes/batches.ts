import { z } from 'zod/v4';
import { RestBatchDocument, RestSubmitBatchDocument } from '../../../generated/graphql.js';
import { defineRoute } from '../../kit/index.js';
import { MindraWebhookSchema, webhookVariables } from '../../mindra/index.js';
import { IntentBodySchema } from '../intent-input.js';
import { receipt, ReceiptSchema } from '../receipt.js';

const BatchBodySchema = z.object(
  {
    intents: z.array(IntentBodySchema, { error: 'intents must be a list of 1 to 100 intents' }),
    webhook_url: z.string().nullish().describe('Gets each receipt when its intent is final'),
    webhookUrl: z.string().nullish(),
    webhook: MindraWebhookSchema,
  },
  { error: 'Request body must be a JSON object' },
);

const counts = z.object({
  pending: z.number().int(),
  in_progress: z.number().int(),
  completed: z.number().int(),
  failed: z.number().int(),
  cancelled: z.number().int(),
});

/** OctoMind's batch (Enterprise): up to 100 intents at once, run by the auction workers. */
export const batchRoutes = [
  defineRoute({
    method: 'POST',
    path: '/intents/batch',
    summary: 'Submits up to 100 intents at once (Enterprise)',
    document: RestSubmitBatchDocument,
    body: BatchBodySchema,
    variables: ({ body }) => ({
      intents: body.intents.map((it) => ({
        text: it.text,
        domain: it.domain ?? undefined,
        auctionTier: it.auctionTier ?? it.auction_tier ?? undefined,
        metadata: it.metadata,
      })),
      webhookUrl: body.webhook_url ?? body.webhookUrl ?? undefined,
      webhook: webhookVariables(body.webhook),
    }),
    result: ({ submitBatch: s }) => ({ status: 202, body: { batch_id: s.batchId, submitted: s.submitted, estimated_duration_s: s.estimatedDurationS } }),
    errors: [402, 409, 422],
    responses: {
      202: {
        description: 'Accepted: the intents are queued',
        schema: z.object({ batch_id: z.string(), submitted: z.number().int(), estimated_duration_s: z.number() }),
      },
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/intents/batch/:id',
    summary: 'A batch: its counts by status and every receipt',
    document: RestBatchDocument,
    params: z.object({ id: z.string() }),
    // Every intent of the batch (at most 100 by construction).
    variables: ({ params }) => ({ id: params.id, first: 100 }),
    result: ({ batch: b }) => ({
      body: {
        batch_id: b.id,
        status: b.status,
        submitted: b.submitted,
        created_at: b.createdAt,
        webhook_url: b.webhookUrl,
        counts: {
          pending: b.counts.pending,
          in_progress: b.counts.inProgress,
          completed: b.counts.completed,
          failed: b.counts.failed,
          cancelled: b.counts.cancelled,
        },
        intents: b.intents.edges.map((e) => receipt(e.node)),
      },
    }),
    responses: {
      200: {
        description: 'The batch',
        schema: z.object({
          batch_id: z.string(),
          status: z.string(),
          submitted: z.number().int(),
          created_at: z.string(),
          webhook_url: z.string().nullable(),
          counts,
          intents: z.array(ReceiptSchema),
        }),
      },
    },
  }),
];
