import { Repeater } from 'graphql-yoga';
import { AppError, unauthorized } from '../../errors/app-error.js';
import type { Metrics } from '../../observability/metrics.js';
import type { AuthInfo } from '../keys/index.js';
import type { KeyService } from '../keys/index.js';

/** Open subscriptions one API key may hold on one instance (documented in the README). */
export const MAX_SUBSCRIPTIONS_PER_KEY = 100;
/** How often an open subscription re-checks that its key is still valid. */
const REVALIDATE_MS = 2_000;

const open = new Map<string, number>();

/**
 * Wraps a subscription's event source: refuses a key past its cap of concurrent
 * subscriptions, ends the stream with UNAUTHORIZED within seconds of the key being
 * revoked or expiring, and always releases its slot and its source when the client
 * goes away.
 */
export function guardSubscription<T>(
  auth: AuthInfo,
  keys: KeyService,
  source: () => AsyncIterableIterator<T>,
  metrics: Pick<Metrics, 'openSubscriptions' | 'limitRefusals'>,
): AsyncIterableIterator<T> {
  const count = open.get(auth.keyId) ?? 0;
  if (count >= MAX_SUBSCRIPTIONS_PER_KEY) {
    metrics.limitRefusals.inc({ kind: 'subscriptions', key_tier: auth.tier });
    throw new AppError('RATE_LIMIT_EXCEEDED', `This API key already holds ${MAX_SUBSCRIPTIONS_PER_KEY} open subscriptions`, { retryAfterSeconds: 5 });
  }
  // The slot is taken when the subscription starts, not here: a client that goes before
  // its first event is read never starts it, and a slot taken here would never be freed.
  // (A burst of subscriptions created at once may pass the check together: the cap is
  // overshot by at most that burst, never held forever.)
  return new Repeater<T>(async (push, stop) => {
    open.set(auth.keyId, (open.get(auth.keyId) ?? 0) + 1);
    metrics.openSubscriptions.inc();
    const inner = source();
    const timer = setInterval(() => {
      keys.isStillValid(auth.keyId).then(
        (valid) => valid || stop(unauthorized('The API key of this subscription was revoked or has expired')),
        () => {},
      );
    }, REVALIDATE_MS);
    try {
      const pumping = (async () => {
        for await (const value of inner) await push(value);
        stop();
      })();
      await Promise.race([stop, pumping]);
    } finally {
      clearInterval(timer);
      await inner.return?.();
      metrics.openSubscriptions.dec();
      const left = (open.get(auth.keyId) ?? 1) - 1;
      if (left <= 0) open.delete(auth.keyId);
      else open.set(auth.keyId, left);
    }
  });
}
