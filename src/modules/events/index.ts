/** The events module: every intent's ordered, resumable event log, the bus it is published on, live feeds. */
import type pg from 'pg';
import type { Metrics } from '../../observability/metrics.js';
import type { KeyService } from '../keys/index.js';
import type { EventBus } from './event-bus.js';
import { EventFeeds } from './event-feeds.js';
import { EventLog } from './event-log.js';
import { relayEvents, replayAfterReconnect } from './event-relay.js';
import type { Notifications } from '../../db/notifications.js';
import { randomBase62 } from '../../lib/random.js';

export { createEventBus, type EventBus, type RedisLink, type StreamEvent } from './event-bus.js';
export { EventFeeds } from './event-feeds.js';
export { EventLog, type BidRow, type IntentChange, type NewEvent } from './event-log.js';

export interface Events {
  log: EventLog;
  feeds: EventFeeds;
}

/**
 * With `crossInstance` (several instances on PostgreSQL, no Redis), every stored write
 * notifies the others and this instance relays theirs to its subscribers (event-relay.ts).
 * With Redis, a reconnect replays the intents subscribed here from the store.
 */
export async function createEvents(deps: {
  pool: pg.Pool;
  bus: EventBus;
  keys: KeyService;
  metrics: Metrics;
  crossInstance: Pick<Notifications, 'listen'> | null;
}): Promise<Events> {
  const instance = randomBase62(12);
  const log = new EventLog(deps.pool, deps.bus, deps.crossInstance ? instance : null);
  if (deps.crossInstance) await relayEvents({ log, bus: deps.bus, notifications: deps.crossInstance, instance });
  replayAfterReconnect({ log, bus: deps.bus });
  return { log, feeds: new EventFeeds(log, deps.bus, deps.keys, deps.metrics) };
}
export { createBatcher } from './batcher.js';
export { createdEventPart, eventsOfTypes } from './event.store.js';
