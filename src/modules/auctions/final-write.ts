import type { IntentChange, NewEvent } from '../events/index.js';
import { completeJobPart } from '../../jobs/job-queue.js';
import { statsBacklogPart } from '../agents/index.js';
import { AUCTION_QUEUE, auctionJobId } from './auction-job.js';
import { finalEvent, receiptColumns, type ReceiptFields } from './receipt.js';
import type { AuctionClose, AuctionDeps, AuctionRun } from './run.js';

/** How a run ends, as its final write records it. */
export interface FinalOutcome {
  status: 'completed' | 'failed';
  fields: ReceiptFields;
  /** Events that go before the final one (output not streamed yet). */
  before?: NewEvent[];
  /** The slug of the agent that delivered, for the final event. */
  winner?: string;
  /** A close not written yet (an instant winner, no bids at all): written in the same statement. */
  close?: AuctionClose;
}

/**
 * Writes the receipt and its events once: the guard on status makes a duplicate final
 * write a no-op. The same statement completes the intent's job, so the job ends exactly
 * when the intent does, queues its bids for the agents' figures (once, as the intent
 * ends once), and, given a close not yet written, closes the auction too; true once
 * that statement ran.
 */
export async function writeFinal(deps: Pick<AuctionDeps, 'metrics'>, run: AuctionRun, outcome: FinalOutcome): Promise<boolean> {
  const { status, fields, close } = outcome;
  const set: IntentChange['set'] = { ...close?.change.set, status, completed_at: new Date(), ...receiptColumns(fields) };
  const closeEvents = close?.events ?? [];
  // Bids written by this very statement cannot be updated by it: the winner's row is
  // written as won instead.
  const restate = close?.change.restate ?? [];
  const winnerRow = fields.winningAgentId ? [...closeEvents.map((e) => e.bid), ...restate].find((b) => b?.agentId === fields.winningAgentId) : undefined;
  if (winnerRow) winnerRow.won = true;
  const written = await run.write([...closeEvents, ...(outcome.before ?? []), finalEvent(status, fields, outcome.winner)], {
    set,
    onlyIfNotFinal: true,
    restate,
    wonAgentId: winnerRow ? undefined : fields.winningAgentId,
    also: endsWithTheIntent(run.intent.id),
  });
  if (written) countFinal(deps.metrics, run, status, fields);
  return true;
}

/**
 * Counted once, by the write that ended the intent. Sandbox results are simulated and
 * never charged, so their tokens are not counted as spent either.
 */
function countFinal(metrics: AuctionDeps['metrics'], run: AuctionRun, status: FinalOutcome['status'], fields: ReceiptFields): void {
  const tier = run.intent.auctionTier;
  metrics.intentsTotal.inc({ status, tier });
  if (run.intent.sandbox) return;
  if (fields.inputTokens) metrics.tokens.inc({ direction: 'input', tier }, fields.inputTokens);
  if (fields.outputTokens) metrics.tokens.inc({ direction: 'output', tier }, fields.outputTokens);
  if (fields.costUsd) metrics.spendUsd.inc({ tier }, fields.costUsd);
}

/**
 * What ends with the intent, as CTEs of the final statement: its auction job completes
 * (so `JobQueue` does not complete it again), and its bids are queued for the agents'
 * figures (`statsBacklogPart`): parts the owning modules write, in this one statement.
 */
function endsWithTheIntent(intentId: number): IntentChange['also'] {
  return [completeJobPart(AUCTION_QUEUE, auctionJobId(intentId)), statsBacklogPart(intentId)];
}

/** After the final write: the wallet hold is settled and webhooks are announced, for intents that have them. */
export async function followUpFinal(deps: Pick<AuctionDeps, 'followUps'>, run: AuctionRun): Promise<void> {
  if (run.intent.followUps) await deps.followUps.final(run.intent.id);
}
