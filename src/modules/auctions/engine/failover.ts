import { AuctionFailedError, type Attempt } from './types.js';

export interface FailoverOptions<C, T> {
  /** One attempt's limit; past it the attempt is aborted and the next candidate runs. */
  attemptTimeoutMs: number;
  /** Candidates tried at most (winner plus runners-up). */
  maxAttempts: number;
  now: () => number;
  /** Shield tier: a rejected result promotes the next candidate. */
  verify?: (candidate: C, result: T) => Promise<{ accepted: boolean; reason?: string }>;
  setTimer?: (fn: () => void, ms: number) => () => void;
}

export interface FailoverOutcome<C, T> {
  result: T;
  candidate: C;
  attempts: Attempt[];
  /** Results a verifier rejected. */
  promotions: number;
}

const defaultTimer = (fn: () => void, ms: number) => {
  const t = setTimeout(fn, ms);
  return () => clearTimeout(t);
};

/**
 * Executes the winner; if it fails, times out or (with `verify`) is rejected, the
 * runner-up executes, and so on. The attempts chain records every link.
 */
export async function runWithFailover<C extends { slug: string }, T>(
  candidates: readonly C[],
  execute: (candidate: C, signal: AbortSignal) => Promise<T>,
  options: FailoverOptions<C, T>,
): Promise<FailoverOutcome<C, T>> {
  const { now, attemptTimeoutMs, verify } = options;
  const setTimer = options.setTimer ?? defaultTimer;
  const attempts: Attempt[] = [];
  let promotions = 0;
  for (const candidate of candidates.slice(0, Math.max(0, options.maxAttempts))) {
    const startedAt = now();
    const controller = new AbortController();
    let timedOut = false;
    let cancelTimer = () => {};
    const timeout = new Promise<never>((_, reject) => {
      cancelTimer = setTimer(() => {
        timedOut = true;
        const error = new Error(`no result within ${attemptTimeoutMs} ms`);
        controller.abort(error);
        reject(error);
      }, attemptTimeoutMs);
    });
    let result: T;
    try {
      result = await Promise.race([execute(candidate, controller.signal), timeout]);
    } catch (error) {
      attempts.push({ slug: candidate.slug, outcome: timedOut ? 'timed_out' : 'failed', error: message(error), startedAt, finishedAt: now() });
      continue;
    } finally {
      cancelTimer();
    }
    if (verify) {
      const verdict = await verify(candidate, result);
      if (!verdict.accepted) {
        promotions++;
        attempts.push({ slug: candidate.slug, outcome: 'rejected', error: verdict.reason ?? 'rejected by the verifier', startedAt, finishedAt: now() });
        continue;
      }
    }
    attempts.push({ slug: candidate.slug, outcome: 'succeeded', startedAt, finishedAt: now() });
    return { result, candidate, attempts, promotions };
  }
  throw new AuctionFailedError(attempts);
}

function message(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 300);
}
