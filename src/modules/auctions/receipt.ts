import type { RosterEntry } from '../agents/index.js';
import type { ExecutionResult } from '../agents/index.js';
import type { NewEvent } from '../events/index.js';
import type { AttemptRecord } from '../intents/intent.entity.js';
import type { IntentColumns, IntentColumnValues } from '../intents/index.js';
import { priceUsd, usageFor } from './costs.js';
import type { Attempt, RankedBid } from './engine/index.js';
import type { RunIntent } from './run.js';

/** What the receipt says: the intent's result columns, and the payload of its final event. */
export interface ReceiptFields {
  result?: string;
  winningAgentId?: string;
  winningAgentProfile?: { name: string; emoji: string; domain: string };
  winningConfidence?: number | null;
  winningReasoning?: string | null;
  attempts?: AttemptRecord[];
  promotions?: number;
  inputTokens?: number;
  outputTokens?: number;
  costUsd?: number;
  errorCode?: string;
  errorMessage?: string;
}

/** Each field's column: its name in snake case (`costUsd` → `cost_usd`), typed by the intents store. */
const RECEIPT_COLUMNS: { [F in keyof ReceiptFields]-?: keyof IntentColumnValues } = {
  result: 'result',
  winningAgentId: 'winning_agent_id',
  winningAgentProfile: 'winning_agent_profile',
  winningConfidence: 'winning_confidence',
  winningReasoning: 'winning_reasoning',
  attempts: 'attempts',
  promotions: 'promotions',
  inputTokens: 'input_tokens',
  outputTokens: 'output_tokens',
  costUsd: 'cost_usd',
  errorCode: 'error_code',
  errorMessage: 'error_message',
};

/** A delivered result and how it came: who delivered it, on which bid, after which attempts. */
export interface Delivery {
  entry: RosterEntry;
  candidate: RankedBid;
  result: ExecutionResult;
  attempts: Attempt[];
  promotions: number;
}

/** The receipt of a delivered result: tokens (the provider's, or counted), cost from the agent's prices. */
export function receiptOf(intent: RunIntent, { entry, candidate, result, attempts, promotions }: Delivery): ReceiptFields {
  const usage = usageFor(entry.profile, intent.text, result.output, result.usage);
  return {
    result: result.output,
    winningAgentId: entry.agent.id,
    winningAgentProfile: { name: entry.profile.name, emoji: entry.profile.emoji, domain: entry.profile.domain },
    winningConfidence: candidate.confidence ?? null,
    winningReasoning: candidate.reasoning ?? null,
    attempts: attempts.map(toAttemptRecord),
    promotions,
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
    // Sandbox keys are never charged.
    costUsd: intent.sandbox ? 0 : priceUsd(entry.profile, usage),
  };
}

/**
 * The receipt of a failed execution: every attempt of the chain, and how each ended.
 * `provider`: every candidate failed because of the LLM provider (its last failure), so
 * the intent fails `provider_unavailable`, which a client may retry once it is back.
 */
export function failedExecutionReceipt(attempts: Attempt[], provider: Error | null = null): ReceiptFields {
  return {
    errorCode: provider ? 'provider_unavailable' : 'execution_failed',
    errorMessage: provider
      ? `The LLM provider failed every candidate; retry once it is back. Last failure: ${provider.message}`
      : `Every candidate failed: ${attempts.map((a) => `${a.slug} ${a.outcome}`).join(', ')}`,
    attempts: attempts.map(toAttemptRecord),
    promotions: attempts.filter((a) => a.outcome === 'rejected').length,
  };
}

/** The receipt's fields as the intent's columns, for the final write's `set`. */
export function receiptColumns(fields: ReceiptFields): IntentColumns {
  const set: Record<string, unknown> = {};
  for (const [field, column] of Object.entries(RECEIPT_COLUMNS) as Array<[keyof ReceiptFields, keyof IntentColumnValues]>) {
    if (fields[field] !== undefined) set[column] = fields[field];
  }
  return set as IntentColumns;
}

/** The final event (`completed` or `failed`): the receipt as subscribers see it, the winner by slug instead of id. */
export function finalEvent(status: 'completed' | 'failed', fields: ReceiptFields, winnerSlug: string | undefined): NewEvent {
  const { winningAgentId: _, ...summary } = fields;
  return { type: status, payload: { ...summary, winner: winnerSlug ?? null } };
}

function toAttemptRecord(a: Attempt): AttemptRecord {
  return {
    agent: a.slug,
    outcome: a.outcome,
    ...(a.error ? { error: a.error } : {}),
    startedAt: new Date(a.startedAt).toISOString(),
    finishedAt: new Date(a.finishedAt).toISOString(),
  };
}
