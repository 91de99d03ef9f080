import { z } from 'zod/v4';
import type { ReceiptFragment } from '../../generated/graphql.js';

const STATUSES = ['pending', 'bidding', 'executing', 'verifying', 'completed', 'failed', 'cancelled'] as const;

export const ReceiptSchema = z.object({
  id: z.number().int(),
  status: z.enum(STATUSES),
  text: z.string(),
  created_at: z.string(),
  completed_at: z.string().nullable(),
  duration_ms: z.number().nullable(),
  winning_agent: z
    .object({ name: z.string(), emoji: z.string(), confidence: z.number(), domain: z.string(), reasoning: z.string() })
    .nullable()
    .describe('null until the auction closes, and when nobody won'),
  result: z.string().nullable(),
  cost: z.object({ input_tokens: z.number().int(), output_tokens: z.number().int(), total_tokens: z.number().int(), cost_usd: z.number() }),
  meta: z
    .object({
      auction_tier: z.enum(['standard', 'shield']),
      api_key_id: z.string(),
      user_id: z.number().int(),
      sandbox: z.boolean(),
      note: z.string().optional(),
      error: z.object({ code: z.string(), message: z.string() }).optional(),
      attempts: z.array(z.object({ agent: z.string(), outcome: z.string(), error: z.string().nullable(), started_at: z.string(), finished_at: z.string() })),
    })
    .describe("Gavel's extras: the key and tier, sandbox, the error and every execution attempt"),
  metadata: z.unknown().describe('What the client stored with the intent'),
});

export type Receipt = z.output<typeof ReceiptSchema>;

/** The OctoMind receipt, field for field; Gavel's extras (sandbox, attempts, error) live under `meta`. */
export function receipt(i: ReceiptFragment): Receipt {
  const meta = (i.meta ?? {}) as Pick<Receipt['meta'], 'auction_tier' | 'api_key_id' | 'user_id'>;
  return {
    id: Number(i.id),
    status: i.status,
    text: i.text,
    created_at: i.createdAt,
    completed_at: i.completedAt,
    duration_ms: i.durationMs,
    winning_agent: i.winningAgent
      ? {
          name: i.winningAgent.name,
          emoji: i.winningAgent.emoji,
          confidence: i.winningAgent.confidence,
          domain: i.winningAgent.domain,
          reasoning: i.winningAgent.reasoning,
        }
      : null,
    result: i.result,
    cost: {
      input_tokens: i.cost.inputTokens,
      output_tokens: i.cost.outputTokens,
      total_tokens: i.cost.totalTokens,
      cost_usd: i.cost.costUsd,
    },
    meta: {
      auction_tier: meta.auction_tier,
      api_key_id: meta.api_key_id,
      user_id: meta.user_id,
      sandbox: i.sandbox,
      ...(i.sandbox ? { note: 'Sandbox (test key): LLM and HTTP agents are simulated, tools run offline; no charges' } : {}),
      ...(i.error ? { error: i.error } : {}),
      attempts: i.attempts.map((a) => ({ agent: a.agent, outcome: a.outcome, error: a.error, started_at: a.startedAt, finished_at: a.finishedAt })),
    },
    metadata: i.metadata ?? {},
  };
}
