import type { ExecutionResult } from '../agents/index.js';
import type { NewEvent } from '../events/index.js';
import type { Attempt } from './engine/index.js';
import { executeOne } from './execution.js';
import { writeFinal } from './final-write.js';
import { receiptOf } from './receipt.js';
import { chunkEvent, failoverEvent, startedEvent, type AuctionDeps, type AuctionRun } from './run.js';

/**
 * Runs the winner at once when it answers in-process (a tool; any agent under a
 * sandbox key) on the standard tier, and writes the close and the receipt together:
 * one statement for the whole intent. Null when the winner is not such an agent: the
 * close is then written on its own and the winner runs through failover as any other
 * would. When it fails, the failed attempt: failover starts from the runner-up.
 */
export async function tryInstant(run: AuctionRun, deps: AuctionDeps): Promise<{ completed: boolean } | { failed: Attempt } | null> {
  const { intent } = run;
  const close = run.close!;
  const candidate = close.candidates[0]!;
  const entry = deps.registry.entry(candidate.slug);
  if (!entry || intent.auctionTier !== 'standard' || !(entry.profile.kind === 'tool' || intent.sandbox)) return null;
  const startedAt = Date.now();
  const texts: string[] = [];
  let result: ExecutionResult;
  try {
    result = await executeOne(run, entry, run.forAgentsWithin(deps.settings.executionTimeoutMs), run.signal, (t) => texts.push(t));
  } catch (error) {
    return {
      failed: { slug: candidate.slug, outcome: 'failed', error: error instanceof Error ? error.message : String(error), startedAt, finishedAt: Date.now() },
    };
  }
  run.timings.executionMs = Date.now() - startedAt;
  deps.metrics.execution.observe(run.timings.executionMs / 1000);
  const attempts = [{ slug: candidate.slug, outcome: 'succeeded' as const, startedAt, finishedAt: Date.now() }];
  return {
    completed: await writeFinal(deps, run, {
      status: 'completed',
      fields: receiptOf(intent, { entry, candidate, result, attempts, promotions: 0 }),
      before: texts.length ? [chunkEvent(candidate.slug, texts)] : [],
      winner: candidate.slug,
      close,
    }),
  };
}

/**
 * After an instant winner failed: it is not run again. Failover goes on from the
 * runner-up, and the close's write says so (a crash after it must not run the failed
 * winner again). Returns the close's events with the handover, and who they start.
 */
export function handOver(run: AuctionRun, deps: AuctionDeps, failed: Attempt): { events: NewEvent[]; started: string } {
  const close = run.close!;
  const next = close.candidates[1];
  run.earlier = { attempts: [failed], finished: new Set([failed.slug]), handedOver: true };
  if (!next) return { events: close.events, started: '' };
  return {
    events: [...close.events, failoverEvent(failed.slug, next.slug, failed.error ?? 'failed'), startedEvent(next.slug, deps.registry.entry(next.slug))],
    started: next.slug,
  };
}
