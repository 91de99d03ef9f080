import { z } from 'zod/v4';
import type { SubmitIntentInput } from '../../generated/graphql.js';
import { MindraWebhookSchema, webhookVariables } from '../mindra/index.js';

const tier = z.enum(['standard', 'shield'], { error: 'auctionTier must be standard or shield' }).nullish();
const optionalString = (name: string) => z.string({ error: `${name} must be a string` }).nullish();

/** One intent as OctoMind's clients write it; snake_case and camelCase names alike. */
export const IntentBodySchema = z.object(
  {
    text: z.string({ error: 'text is required and must be a string' }).describe('The task, in natural language'),
    domain: optionalString('domain').describe('Restrict the auction to agents of this domain'),
    auctionTier: tier.describe('standard (default) or shield (Pro and up): the result is verified'),
    auction_tier: tier,
    metadata: z.unknown().optional().describe('Stored with the intent and returned in its receipt'),
  },
  { error: 'Request body must be a JSON object' },
);

export const SubmitBodySchema = IntentBodySchema.extend({
  webhook_url: optionalString('webhook_url').describe('Gets the receipt when the intent is final, signed with X-OctoMind-Signature'),
  webhookUrl: optionalString('webhook_url'),
  webhook: MindraWebhookSchema,
  idempotency_key: optionalString('idempotency_key').describe('Or the Idempotency-Key header'),
  bid_window_ms: z.number({ error: 'bid_window_ms must be a number' }).nullish().describe('How long agents may bid (Pro and up)'),
  bidWindowMs: z.number({ error: 'bid_window_ms must be a number' }).nullish(),
});

export function submitVariables(b: z.output<typeof SubmitBodySchema>, headers: Headers): SubmitIntentInput {
  return {
    text: b.text,
    domain: b.domain ?? undefined,
    auctionTier: b.auctionTier ?? b.auction_tier ?? undefined,
    webhookUrl: b.webhook_url ?? b.webhookUrl ?? undefined,
    webhook: webhookVariables(b.webhook),
    metadata: b.metadata,
    idempotencyKey: headers.get('idempotency-key') ?? headers.get('x-idempotency-key') ?? b.idempotency_key ?? undefined,
    bidWindowMs: b.bid_window_ms ?? b.bidWindowMs ?? undefined,
  };
}
