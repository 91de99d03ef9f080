import type { RosterEntry } from '../agents/index.js';
import { ProviderError, type ExecutionResult, type IntentForAgents } from '../agents/index.js';
import { createBatcher } from '../events/index.js';
import type { NewEvent } from '../events/index.js';
import { AuctionFailedError, runWithFailover, type Attempt } from './engine/index.js';
import { writeFinal } from './final-write.js';
import { failedExecutionReceipt, receiptOf } from './receipt.js';
import { INTERRUPTED, announceAttempt, chunkEvent, failoverEvent, startedEvent, type AuctionDeps, type AuctionRun } from './run.js';

/** Streamed output is stored and published in slices this often, not token by token. */
const CHUNK_FLUSH_MS = 50;

/**
 * Runs the close's candidates in order until one delivers (on the Shield tier: until
 * the verifier accepts one); true when the receipt was written (see `writeFinal`).
 * Attempts already made (`run.earlier`: a winner that failed in-process, a stopped
 * run's) come first in the receipt's chain, and finished agents are not run again.
 * `alreadyStarted`: the agent whose start was written with the close.
 */
export async function executeCandidates(run: AuctionRun, deps: AuctionDeps, alreadyStarted: string): Promise<boolean> {
  const { registry, settings, verify, metrics } = deps;
  const { earlier, signal } = run;
  const candidates = run.close!.candidates.filter((c) => !earlier.finished.has(c.slug));
  const started = performance.now();
  const shield = run.intent.auctionTier === 'shield';
  // The next start is a failover from the last attempt that ended, unless that was written
  // already (an interrupted attempt is simply run again).
  const last = earlier.attempts.at(-1);
  let previous: { slug: string; reason: string } | null =
    last && last.error !== INTERRUPTED && !earlier.handedOver ? { slug: last.slug, reason: last.error ?? last.outcome } : null;
  // Attempts are numbered across the whole chain, a stopped run's included.
  let attemptNo = earlier.attempts.length;
  let pendingChunks: NewEvent[] = [];
  // Agents whose attempt failed because of the LLM provider: when all did, the intent fails `provider_unavailable`.
  const providerFailures = new Map<string, ProviderError>();
  try {
    const outcome = await runWithFailover(
      candidates,
      async (candidate, attemptSignal) => {
        const entry = registry.entry(candidate.slug);
        // The winner's start was written with the close; later attempts say so now.
        if (previous || candidate.slug !== alreadyStarted) {
          await run.write([...(previous ? [failoverEvent(previous.slug, candidate.slug, previous.reason)] : []), startedEvent(candidate.slug, entry)]);
          if (previous) metrics.failovers.inc({ tier: run.intent.auctionTier });
        }
        announceAttempt(run, deps, ++attemptNo, candidate.slug);
        if (!entry) throw new Error(`agent ${candidate.slug} is no longer active`);
        const chunks = createBatcher<string>((texts) => run.write([chunkEvent(candidate.slug, texts)]).then(() => undefined), CHUNK_FLUSH_MS);
        try {
          const result = await executeOne(run, entry, run.forAgentsWithin(settings.executionTimeoutMs), AbortSignal.any([signal, attemptSignal]), (t) =>
            chunks.add(t),
          );
          // Output not yet streamed is written with whatever comes next (often the receipt).
          const rest = await chunks.take();
          pendingChunks = rest.length ? [chunkEvent(candidate.slug, rest)] : [];
          return { entry, result };
        } catch (error) {
          if (error instanceof ProviderError) providerFailures.set(candidate.slug, error);
          await chunks.drain().catch(() => {});
          throw error;
        }
      },
      {
        attemptTimeoutMs: settings.executionTimeoutMs,
        maxAttempts: settings.maxAttempts - earlier.finished.size,
        now: () => Date.now(),
        // The next failover event says how this attempt really ended, as the engine recorded it.
        onAttempt: (attempt) => {
          announceAttempt(run, deps, attemptNo, attempt.slug, attempt);
          if (attempt.outcome !== 'succeeded') previous = { slug: attempt.slug, reason: attemptReason(attempt) };
        },
        verify: shield
          ? async (_candidate, { entry, result }) => {
              await run.write(pendingChunks, { set: { status: 'verifying' }, onlyIfNotFinal: true });
              pendingChunks = [];
              // The check has time of its own: the intent's deadline was the bid window's close.
              const verdict = await verify(entry, run.forAgentsWithin(settings.executionTimeoutMs), result.output, signal);
              await run.write([{ type: 'verification', payload: { agent: entry.profile.slug, accepted: verdict.accepted, reason: verdict.reason ?? null } }], {
                set: verdict.accepted ? {} : { status: 'executing' },
                onlyIfNotFinal: true,
              });
              return verdict;
            }
          : undefined,
      },
    );
    run.timings.executionMs = performance.now() - started;
    metrics.execution.observe(run.timings.executionMs / 1000);
    const { entry, result } = outcome.result;
    const attempts = [...earlier.attempts, ...outcome.attempts];
    const promotions = attempts.filter((a) => a.outcome === 'rejected').length;
    return await writeFinal(deps, run, {
      status: 'completed',
      fields: receiptOf(run.intent, { entry, candidate: outcome.candidate, result, attempts, promotions }),
      before: pendingChunks,
      winner: outcome.candidate.slug,
    });
  } catch (error) {
    if (signal.aborted) return false; // cancelled: the cancel already wrote the final state
    if (!(error instanceof AuctionFailedError)) throw error;
    const provider = providerFailure(error.attempts, providerFailures);
    return await writeFinal(deps, run, {
      status: 'failed',
      fields: failedExecutionReceipt([...earlier.attempts, ...error.attempts], provider),
      before: pendingChunks,
    });
  }
}

/** An ended attempt as a failover reason: the timeout, the error, the verifier's words. */
function attemptReason(attempt: Attempt): string {
  const detail = attempt.error ?? '';
  if (attempt.outcome === 'timed_out') return `timed out: ${detail || 'no result in time'}`;
  if (attempt.outcome === 'rejected') return `rejected: ${detail || 'by the verifier'}`;
  return detail || attempt.outcome;
}

/** The provider's last failure when every failed attempt of this run failed because of the provider; else null. */
function providerFailure(attempts: Attempt[], failures: ReadonlyMap<string, ProviderError>): ProviderError | null {
  if (attempts.length === 0 || !attempts.every((a) => a.outcome !== 'rejected' && failures.has(a.slug))) return null;
  return failures.get(attempts.at(-1)!.slug)!;
}

/**
 * One execution of one agent. Under a sandbox key nothing leaves the process and nothing
 * is charged: an agent that is not an in-process tool answers with a simulated result.
 */
export async function executeOne(
  run: AuctionRun,
  entry: RosterEntry,
  forAgents: IntentForAgents,
  signal: AbortSignal,
  onChunk: (text: string) => void,
): Promise<ExecutionResult> {
  const { intent } = run;
  if (intent.sandbox && entry.profile.kind !== 'tool') {
    const output = `[sandbox] Simulated result from ${entry.profile.name}: a live key would have it answer "${truncate(intent.text, 120)}".`;
    onChunk(output);
    return { output };
  }
  return entry.executor.execute(forAgents, onChunk, signal);
}

function truncate(text: string, n: number): string {
  return text.length <= n ? text : `${text.slice(0, n - 1)}…`;
}
