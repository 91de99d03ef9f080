import { z } from 'zod/v4';
import type { IntentFilterStatus, IntentStatus, MindraExecutionFragment } from '../../generated/graphql.js';

export const EXECUTION_STATUSES = ['PENDING', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED'] as const;
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];

/** Gavel's statuses as Mindra names them: bidding, executing and verifying are all RUNNING. */
const STATUS_OF: Record<IntentStatus, ExecutionStatus> = {
  pending: 'PENDING',
  bidding: 'RUNNING',
  executing: 'RUNNING',
  verifying: 'RUNNING',
  completed: 'COMPLETED',
  failed: 'FAILED',
  cancelled: 'CANCELLED',
};

/** The list filter a Mindra status is. */
export const FILTER_OF: Record<ExecutionStatus, IntentFilterStatus> = {
  PENDING: 'pending',
  RUNNING: 'in_progress',
  COMPLETED: 'completed',
  FAILED: 'failed',
  CANCELLED: 'cancelled',
};

export const ExecutionSchema = z.object({
  executionId: z.string(),
  status: z.enum(EXECUTION_STATUSES),
  query: z.string(),
  context: z.record(z.string(), z.unknown()).describe('What the request sent as context'),
  result: z.string().nullable(),
  agent: z
    .object({ name: z.string(), vertical: z.string(), confidence: z.number() })
    .nullable()
    .describe('The winning agent; null until the auction closes, and when nobody won'),
  cost: z.object({ amount: z.number(), currency: z.literal('USD'), inputTokens: z.number().int(), outputTokens: z.number().int() }),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  sandbox: z.boolean().describe('A test key ran it: simulated agents, no charges'),
  createdAt: z.string(),
  startedAt: z.string().nullable().describe('When the first agent started'),
  completedAt: z.string().nullable(),
  durationMs: z.number().nullable(),
});

export type Execution = z.output<typeof ExecutionSchema>;

export function execution(i: MindraExecutionFragment): Execution {
  const context = i.metadata && typeof i.metadata === 'object' && !Array.isArray(i.metadata) ? (i.metadata as Record<string, unknown>) : {};
  return {
    executionId: i.id,
    status: STATUS_OF[i.status],
    query: i.text,
    context,
    result: i.result,
    agent: i.winningAgent ? { name: i.winningAgent.name, vertical: i.winningAgent.domain, confidence: i.winningAgent.confidence } : null,
    cost: { amount: i.cost.costUsd, currency: 'USD', inputTokens: i.cost.inputTokens, outputTokens: i.cost.outputTokens },
    error: i.error,
    sandbox: i.sandbox,
    createdAt: i.createdAt,
    startedAt: i.attempts[0]?.startedAt ?? null,
    completedAt: i.completedAt,
    durationMs: i.durationMs,
  };
}
