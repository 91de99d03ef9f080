import { builder } from '../../graphql/builder.js';
import { countedConnection, totalCountField } from '../../graphql/pagination.js';
import { AuctionTierEnum, IntentRef } from '../intents/intents.schema.js';
import { WebhookInput } from '../webhooks/webhook-input.schema.js';
import type { BatchProgress } from './batch.service.js';

const BatchCountsRef = builder.objectRef<BatchProgress['counts']>('BatchCounts').implement({
  fields: (t) => ({
    pending: t.exposeInt('pending'),
    inProgress: t.exposeInt('inProgress'),
    completed: t.exposeInt('completed'),
    failed: t.exposeInt('failed'),
    cancelled: t.exposeInt('cancelled'),
  }),
});

const BatchRef = builder.objectRef<BatchProgress>('Batch').implement({
  fields: (t) => ({
    id: t.id({ resolve: (b) => b.batch.id }),
    submitted: t.int({ resolve: (b) => b.batch.submitted }),
    status: t.string({
      description: 'in_progress until every intent is final, then completed',
      resolve: (b) => (b.counts.pending + b.counts.inProgress > 0 ? 'in_progress' : 'completed'),
    }),
    counts: t.field({ type: BatchCountsRef, resolve: (b) => b.counts }),
    webhookUrl: t.string({ nullable: true, resolve: (b) => b.batch.webhookUrl ?? null }),
    createdAt: t.field({ type: 'DateTime', resolve: (b) => b.batch.createdAt }),
    intents: t.connection(
      {
        type: IntentRef,
        description: 'In submission order',
        resolve: (b, args, ctx) =>
          countedConnection(args, (page) => ctx.modules.batches.intentsOf(b.batch.id, page.limit, page.offset), { defaultSize: 100, maxSize: 100 }),
      },
      totalCountField('BatchIntentConnection'),
    ),
  }),
});

const BatchIntentInput = builder.inputType('BatchIntentInput', {
  fields: (t) => ({
    text: t.string({ required: true }),
    domain: t.string(),
    auctionTier: t.field({ type: AuctionTierEnum }),
    metadata: t.field({ type: 'JSON' }),
  }),
});

const SubmittedBatchRef = builder.objectRef<{ batchId: string; submitted: number; estimatedDurationS: number }>('SubmittedBatch').implement({
  fields: (t) => ({
    batchId: t.exposeString('batchId'),
    submitted: t.exposeInt('submitted'),
    estimatedDurationS: t.exposeInt('estimatedDurationS', { description: 'A guide from recent durations and the auction workers available' }),
  }),
});

builder.mutationField('submitBatch', (t) =>
  t.field({
    type: SubmittedBatchRef,
    authScopes: { scope: 'intent_submit' },
    description: 'Submits 1 to 100 intents at once (Enterprise); all are admitted or none. Each result goes to the webhook as it completes.',
    args: {
      intents: t.arg({ type: [BatchIntentInput], required: true }),
      webhookUrl: t.arg.string(),
      webhook: t.arg({ type: WebhookInput }),
    },
    resolve: (_root, args, ctx) => ctx.modules.batches.submit(ctx.auth!, args.intents, { webhookUrl: args.webhookUrl, webhook: args.webhook }),
  }),
);

builder.queryField('batch', (t) =>
  t.field({
    type: BatchRef,
    authScopes: { scope: 'intent_read' },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => ctx.modules.batches.get(ctx.auth!, String(id)),
  }),
);
