import { realTimer, type SetTimer } from './timer.js';
import { AuctionFailedError, type Attempt } from './types.js';

export interface Verdict {
  accepted: boolean;
  reason?: string;
}

export interface FailoverOptions<C, T> {
  /** One attempt's limit in ms; past it the attempt's signal is aborted and the next candidate runs. */
  attemptTimeoutMs: number;
  /** Candidates tried at most (the winner plus runners-up). */
  maxAttempts: number;
  /** Clock for `startedAt` / `finishedAt` (epoch ms if the caller stores them as dates). */
  now: () => number;
  /**
   * Shield tier: checks a result; a rejection promotes the next candidate. A verifier
   * that throws could not vouch for the result either: the attempt is recorded `failed`.
   */
  verify?: (candidate: C, result: T) => Promise<Verdict>;
  /** Default: `setTimeout`. */
  setTimer?: SetTimer;
  /** Told of each attempt as it is recorded, before the next one starts (the failover event says how it ended). */
  onAttempt?: (attempt: Attempt) => void;
}

export interface FailoverOutcome<C, T> {
  result: T;
  /** The candidate whose result was accepted. */
  candidate: C;
  /** Every attempt in order, the successful one last. */
  attempts: Attempt[];
  /** Results the verifier rejected (each promoted the next candidate). */
  promotions: number;
}

/**
 * Executes the winner; if it fails, times out or (with `verify`) is rejected, the
 * runner-up executes, and so on down the list. Resolves with the first accepted
 * result; throws `AuctionFailedError` carrying the whole chain when none is.
 */
export async function runWithFailover<C extends { slug: string }, T>(
  candidates: readonly C[],
  execute: (candidate: C, signal: AbortSignal) => Promise<T>,
  options: FailoverOptions<C, T>,
): Promise<FailoverOutcome<C, T>> {
  const { now, verify } = options;
  const attempts: Attempt[] = [];
  let promotions = 0;
  for (const candidate of candidates.slice(0, Math.max(0, options.maxAttempts))) {
    const startedAt = now();
    const record = (outcome: Attempt['outcome'], error?: string) => {
      const done: Attempt = { slug: candidate.slug, outcome, ...(error !== undefined ? { error } : {}), startedAt, finishedAt: now() };
      attempts.push(done);
      options.onAttempt?.(done);
    };

    const run = await attempt(candidate, execute, options);
    if (!run.ok) {
      record(run.timedOut ? 'timed_out' : 'failed', run.error);
      continue;
    }
    if (verify) {
      let verdict: Verdict;
      try {
        verdict = await verify(candidate, run.result);
      } catch (error) {
        record('failed', `verification failed: ${message(error)}`);
        continue;
      }
      if (!verdict.accepted) {
        promotions++;
        record('rejected', verdict.reason ?? 'rejected by the verifier');
        continue;
      }
    }
    record('succeeded');
    return { result: run.result, candidate, attempts, promotions };
  }
  throw new AuctionFailedError(attempts);
}

type AttemptRun<T> = { ok: true; result: T } | { ok: false; timedOut: boolean; error: string };

/** One execution raced against its timeout; on timeout its signal is aborted so it stops working. */
async function attempt<C, T>(
  candidate: C,
  execute: (candidate: C, signal: AbortSignal) => Promise<T>,
  { attemptTimeoutMs, setTimer = realTimer }: Pick<FailoverOptions<C, T>, 'attemptTimeoutMs' | 'setTimer'>,
): Promise<AttemptRun<T>> {
  const controller = new AbortController();
  const timeoutMessage = `no result within ${attemptTimeoutMs} ms`;
  // Set before the abort: an execution that rejects on abort still counts as timed out.
  let timedOut = false;
  let cancelTimer: (() => void) | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    cancelTimer = setTimer(() => {
      timedOut = true;
      controller.abort(new Error(timeoutMessage));
      resolve('timeout');
    }, attemptTimeoutMs);
  });
  try {
    const execution = (async () => ({ result: await execute(candidate, controller.signal) }))();
    const first = await Promise.race([execution, timeout]);
    if (first === 'timeout') return { ok: false, timedOut: true, error: timeoutMessage };
    return { ok: true, result: first.result };
  } catch (error) {
    return timedOut ? { ok: false, timedOut: true, error: timeoutMessage } : { ok: false, timedOut: false, error: message(error) };
  } finally {
    cancelTimer?.();
  }
}

function message(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 300);
}
