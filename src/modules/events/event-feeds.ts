import { filter, pipe, Repeater } from 'graphql-yoga';
import type { Metrics } from '../../observability/metrics.js';
import type { AuthInfo, KeyService } from '../keys/index.js';
import type { EventBus, StreamEvent } from './event-bus.js';
import type { EventLog } from './event-log.js';
import { guardSubscription } from './subscription-guard.js';

/**
 * The live feeds subscriptions read, each behind the subscription guard (a cap per key,
 * revocation within seconds, the open-subscriptions gauge): what resolvers see of the
 * event log and the bus.
 */
export class EventFeeds {
  constructor(
    private readonly log: EventLog,
    private readonly bus: EventBus,
    private readonly keys: KeyService,
    private readonly metrics: Pick<Metrics, 'openSubscriptions' | 'subscriptionExecutions' | 'limitRefusals'>,
  ) {}

  /** One intent's events after `after`, stored then live, ending after the final one; access is the caller's to check. */
  intentEvents(auth: AuthInfo, intentId: number, after: number): AsyncIterableIterator<StreamEvent> {
    return guardSubscription(auth, this.keys, () => this.log.stream(intentId, after), this.metrics);
  }

  /** Every bid on the tenant's intents, live; only `domain`'s agents' when given. */
  bidFeed(auth: AuthInfo, domain: string | null | undefined, outcomes?: readonly string[] | null): AsyncIterableIterator<StreamEvent> {
    return guardSubscription(
      auth,
      this.keys,
      () =>
        pipe(
          this.bus.pubsub.subscribe('bids', auth.tenantId),
          filter((e: StreamEvent) => (!domain || e.payload.domain === domain) && (!outcomes?.length || outcomes.includes(String(e.payload.outcome)))),
        ),
      this.metrics,
    );
  }

  /**
   * The caller once, then nothing until its key is revoked or expires, when the guard ends
   * the stream with UNAUTHORIZED: how a console learns of it within seconds, without polling.
   */
  keyWatch(auth: AuthInfo): AsyncIterableIterator<AuthInfo> {
    return guardSubscription(
      auth,
      this.keys,
      () =>
        new Repeater<AuthInfo>(async (push, stop) => {
          await push(auth);
          await stop;
        }),
      this.metrics,
    );
  }

  /** Counts one event delivered to a subscriber of `field`. */
  delivered(field: string): void {
    this.metrics.subscriptionExecutions.inc({ field });
  }
}
