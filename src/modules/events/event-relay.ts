import type { Notifications } from '../../db/notifications.js';
import type { EventBus } from './event-bus.js';
import type { EventLog } from './event-log.js';
import { EVENTS_CHANNEL, type EventsNotice } from './event.store.js';
import { TERMINAL_EVENTS, type EventType } from './intent-event.entity.js';

/**
 * Without Redis, other instances' events come through PostgreSQL: every stored write
 * notifies EVENTS_CHANNEL once (`notifyEventsPart`, in the write's own statement), with
 * the intent and the seq range it wrote. An instance with a subscriber for that intent
 * (its stream, its final event, its tenant's bid feed) reads those rows and publishes
 * them on its in-process bus; one with none reads nothing. Streams drop what they have
 * (by seq) and fill gaps from the store, so a late or repeated delivery is harmless.
 * After a lost LISTEN connection, every intent listened to here is read again whole.
 */
export async function relayEvents(deps: { log: EventLog; bus: EventBus; notifications: Pick<Notifications, 'listen'>; instance: string }): Promise<void> {
  const { log, bus, instance } = deps;
  const listened = bus.listened;
  if (!listened) return; // Redis carries every instance's events
  // One read at a time per intent, so an intent's events are published in order.
  const chains = new Map<number, Promise<void>>();
  const relay = (intentId: number, afterSeq: number, lastSeq: number) => {
    const next = (chains.get(intentId) ?? Promise.resolve())
      .then(async () => log.publish((await log.replay(intentId, afterSeq)).filter((e) => e.seq <= lastSeq)))
      .catch(() => {}) // a subscriber that misses this fills the gap from the store on the next event
      .finally(() => {
        if (chains.get(intentId) === next) chains.delete(intentId);
      });
    chains.set(intentId, next);
  };
  const onNotice = (payload: string) => {
    const notice = JSON.parse(payload) as EventsNotice;
    if (notice.s === instance) return; // published here already
    const wanted = listened(`intent:${notice.n}`) || (notice.f && listened(`final:${notice.n}`)) || (notice.b && listened(`bids:${notice.t}`));
    if (wanted) relay(notice.n, notice.l - notice.c, notice.l);
  };
  const resync = () => {
    for (const intentId of listenedIntents(bus)) relay(intentId, 0, Number.MAX_SAFE_INTEGER);
  };
  await deps.notifications.listen(EVENTS_CHANNEL, onNotice, resync);
}

/**
 * With Redis: after the bus reconnects, every intent listened to here is read again from
 * the store and handed to its local subscribers (streams drop seqs they have), so one
 * whose auction ended on another instance while Redis was away still gets the end. Bids
 * go to the intent's stream only: the bid feed has no replay, and would show them twice.
 */
export function replayAfterReconnect(deps: { log: EventLog; bus: EventBus }): void {
  const { log, bus } = deps;
  bus.onReconnect(() => {
    for (const intentId of listenedIntents(bus)) {
      log
        .replay(intentId, 0)
        .then((events) => {
          for (const e of events) {
            bus.local('intent', e.intentId, e);
            if (TERMINAL_EVENTS.includes(e.type as EventType)) bus.local('final', e.intentId, e);
          }
        })
        .catch(() => {}); // the database is away too: the stream fills the gap at its next event
    }
  });
}

function listenedIntents(bus: EventBus): Set<number> {
  return new Set(
    bus.topics().flatMap((topic) => {
      const id = /^(?:intent|final):(\d+)$/.exec(topic)?.[1];
      return id ? [Number(id)] : [];
    }),
  );
}
