import type { RosterEntry } from '../agents/index.js';
import type { ExecutionResult } from '../agents/index.js';
import type { IntentChange, NewEvent } from '../events/index.js';
import type { AttemptRecord } from '../intents/intent.entity.js';
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

/** Each field's SQL type; its column is the field's name in snake case (`costUsd` → `cost_usd`). */
const RECEIPT_TYPES: Record<keyof ReceiptFields, string> = {
  result: 'text',
  winningAgentId: 'uuid',
  winningAgentProfile: 'jsonb',
  winningConfidence: 'float8',
  winningReasoning: 'text',
  attempts: 'jsonb',
  promotions: 'int',
  inputTokens: 'int',
  outputTokens: 'int',
  costUsd: 'float8',
  errorCode: 'text',
  errorMessage: 'text',
};

/** [field, column, type], worked out once. */
const RECEIPT_COLUMNS = Object.entries(RECEIPT_TYPES).map(
  ([key, type]) => [key as keyof ReceiptFields, key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), type] as const,
);

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

/** The receipt of a failed execution: every attempt of the chain, and how each ended. */
export function failedExecutionReceipt(attempts: Attempt[]): ReceiptFields {
  return {
    errorCode: 'execution_failed',
    errorMessage: `Every candidate failed: ${attempts.map((a) => `${a.slug} ${a.outcome}`).join(', ')}`,
    attempts: attempts.map(toAttemptRecord),
    promotions: attempts.filter((a) => a.outcome === 'rejected').length,
  };
}

/** The receipt's fields as the intent's columns, for the final write's `set`. */
export function receiptColumns(fields: ReceiptFields): NonNullable<IntentChange['set']> {
  const set: NonNullable<IntentChange['set']> = [];
  for (const [key, column, type] of RECEIPT_COLUMNS) {
    const value = fields[key];
    if (value !== undefined) set.push([column, type === 'jsonb' ? JSON.stringify(value) : value, type]);
  }
  return set;
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
