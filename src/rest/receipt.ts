import { execute } from 'graphql';
import { schema } from '../graphql/schema.js';
import { RestIntentDocument, type ReceiptFragment } from '../generated/graphql.js';
import type { Services } from '../services.js';
import type { AuthInfo } from '../modules/keys/auth-info.js';

/** The OctoMind receipt, field for field; Gavel's extras (sandbox, attempts, error) live under `meta`. */
export function receipt(i: ReceiptFragment) {
  const meta = (i.meta ?? {}) as Record<string, unknown>;
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

/**
 * The receipt of one of a tenant's intents, rendered by the same GraphQL document and
 * resolvers the REST routes use, for work that has no caller (webhook deliveries).
 */
export async function renderReceipt(services: Services, tenantId: string, intentId: number): Promise<ReturnType<typeof receipt>> {
  const auth: AuthInfo = {
    keyId: 'system',
    keyPrefix: 'system',
    tenantId,
    tenantName: '',
    tier: 'enterprise',
    isOperator: false,
    userId: 0,
    scopes: new Set(['intent_read']),
    sandbox: false,
  };
  const result = await execute({
    schema,
    document: RestIntentDocument,
    variableValues: { id: String(intentId) },
    contextValue: { requestId: `receipt-${intentId}`, auth, services, logger: services.logger, origin: services.config.publicUrl ?? '' },
  });
  if (result.errors?.length || !result.data) throw new Error(`rendering the receipt of intent ${intentId} failed: ${result.errors?.[0]?.message}`);
  return receipt((result.data as { intent: ReceiptFragment }).intent);
}
