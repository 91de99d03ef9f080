/*
 * What went wrong with a call to an LLM provider or an HTTP agent, said so that the
 * failover event and the receipt carry the attempt's real outcome: a timeout, a refused
 * connection, the status and message the target answered, an open circuit.
 */

export type ProviderFailureKind = 'timeout' | 'unreachable' | 'status' | 'stream' | 'circuit_open';

/**
 * A call to the LLM provider that failed because of the provider (not the intent): the
 * intent may be retried once the provider is back, so it fails `provider_unavailable`.
 */
export class ProviderError extends Error {
  override readonly name = 'ProviderError';
  constructor(
    message: string,
    readonly kind: ProviderFailureKind,
    /** Seconds until a retry is worth it, when known (an open circuit's cool-down). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

interface ErrnoLike {
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  errors?: unknown;
}

/** The system error code under fetch's "fetch failed" (its `cause`, or the first of an AggregateError's). */
function errorCode(error: unknown): string | undefined {
  for (let e = error as ErrnoLike | undefined, depth = 0; e && depth < 4; depth++) {
    if (typeof e.code === 'string' && e.code !== 'ABORT_ERR') return e.code;
    e = (Array.isArray(e.errors) ? e.errors[0] : e.cause) as ErrnoLike | undefined;
  }
  return undefined;
}

const TRANSPORT: Record<string, string> = {
  ECONNREFUSED: 'refused the connection',
  ENOTFOUND: 'has a host name that does not resolve',
  EAI_AGAIN: 'has a host name that could not be resolved now',
  ECONNRESET: 'closed the connection',
  EPIPE: 'closed the connection',
  UND_ERR_SOCKET: 'closed the connection',
  ETIMEDOUT: 'could not be connected to in time',
  UND_ERR_CONNECT_TIMEOUT: 'could not be connected to in time',
  EHOSTUNREACH: 'is unreachable',
  ENETUNREACH: 'is unreachable',
  CERT_HAS_EXPIRED: 'presented an expired TLS certificate',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'presented a self-signed TLS certificate',
};

/**
 * A transport failure as a sentence about `who` ("the LLM provider at http://…", "the
 * agent's endpoint"), e.g. "… refused the connection (ECONNREFUSED)". It names no address
 * of its own (a system error's message does: "connect ECONNREFUSED 10.0.0.7:80"), so
 * `who` decides what a tenant sees.
 */
export function describeTransportFailure(who: string, error: unknown): string {
  const code = errorCode(error);
  if (code && TRANSPORT[code]) return `${who} ${TRANSPORT[code]} (${code})`;
  // Node's HTTP parser: the bytes that came back were not an HTTP response (HPE_INVALID_CONSTANT, …).
  if (code?.startsWith('HPE_')) return `${who} answered with something that is not HTTP (${code})`;
  return code ? `${who} could not be reached (${code})` : `${who} could not be reached`;
}

/** Whether the error is (or wraps) a system error such as ECONNREFUSED. */
export function hasSystemCode(error: unknown): boolean {
  return errorCode(error) !== undefined;
}

/** Any failure of a call to the provider, as a `ProviderError` that says what it was. */
export function asProviderError(who: string, error: unknown): ProviderError {
  if (error instanceof ProviderError) return error;
  if (errorCode(error) || (error instanceof TypeError && error.message === 'fetch failed'))
    return new ProviderError(describeTransportFailure(who, error), 'unreachable');
  return new ProviderError(`${who}: ${error instanceof Error ? error.message : String(error)}`, 'stream');
}

/**
 * Runs `fn` with a signal that aborts when `signal` does, or when `fn` goes quiet: no
 * answer (headers) within `firstByteMs`, then nothing within `idleMs` of the last sign of
 * life (`alive()`, called on the answer and on each event). A hung provider so costs seconds, not the whole
 * execution timeout. What `fn` throws once the watch fired is replaced by the timeout.
 */
export async function withIdleWatch<T>(
  signal: AbortSignal,
  limits: { firstByteMs: number; idleMs: number },
  timeout: (phase: 'first byte' | 'idle', ms: number) => Error,
  fn: (signal: AbortSignal, alive: () => void) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  const forward = () => controller.abort(signal.reason);
  if (signal.aborted) forward();
  signal.addEventListener('abort', forward, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const arm = (phase: 'first byte' | 'idle', ms: number) => {
    clearTimeout(timer);
    timer = setTimeout(() => controller.abort(timeout(phase, ms)), ms);
  };
  arm('first byte', limits.firstByteMs);
  try {
    return await fn(controller.signal, () => arm('idle', limits.idleMs));
  } catch (error) {
    if (controller.signal.aborted && !signal.aborted) throw controller.signal.reason as Error;
    throw error;
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', forward);
  }
}
