const MAX_TIMER_MS = 2 ** 31 - 1;

/** A call to an agent or provider that did not answer by the intent's deadline. */
export class DeadlineExceededError extends Error {
  override readonly name = 'DeadlineExceededError';
}

/**
 * Runs `fn` with a signal that aborts when the caller's `signal` does or at `deadline`
 * (epoch ms), whichever comes first. Whatever `fn` throws once that signal has fired
 * (fetch's AbortError, a stream's TypeError, …) is replaced by the reason it fired, so
 * callers see "deadline" or their own abort reason rather than a transport detail.
 */
export async function withDeadline<T>(signal: AbortSignal, deadline: number, what: string, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const expire = () => controller.abort(new DeadlineExceededError(`${what} did not finish before the deadline`));
  const forward = () => controller.abort(signal.reason);
  const remaining = deadline - Date.now();
  if (signal.aborted) forward();
  else if (remaining <= 0) expire();
  signal.addEventListener('abort', forward, { once: true });
  // setTimeout fires at once past 2^31-1 ms; a deadline that far (or Infinity) is no deadline.
  const timer = remaining > 0 && remaining <= MAX_TIMER_MS ? setTimeout(expire, remaining) : undefined;
  try {
    controller.signal.throwIfAborted();
    return await fn(controller.signal);
  } catch (error) {
    if (!controller.signal.aborted) throw error;
    const reason: unknown = controller.signal.reason;
    throw reason instanceof Error ? reason : new Error(`${what} was aborted`);
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', forward);
  }
}

/**
 * Whether a failed call was given up by the caller rather than failed by the agent:
 * aborted before the deadline. Missing the deadline is the agent's failure, even when
 * the caller's own timer (the bid window closing) happened to fire first.
 */
export function abandonedByCaller(signal: AbortSignal, deadline: number): boolean {
  return signal.aborted && Date.now() < deadline;
}
