import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { createPubSub, type PubSub } from 'graphql-yoga';
import { Redis } from 'ioredis';

/** An event as subscribers receive it: plain JSON, so it crosses Redis unchanged. */
export interface StreamEvent {
  intentId: number;
  tenantId: string;
  seq: number;
  type: string;
  at: string;
  payload: Record<string, unknown>;
}

export type EventChannels = {
  /** Every event of one intent, in order. */
  intent: [intentId: number, event: StreamEvent];
  /** Only the events that end an intent (completed, failed, cancelled): what waiters and workers watch. */
  final: [intentId: number, event: StreamEvent];
  /** Every bid of one tenant, across its intents. */
  bids: [tenantId: string, event: StreamEvent];
};

export interface EventBus {
  pubsub: PubSub<EventChannels>;
  /**
   * The topics (`intent:7`, `final:7`, `bids:<tenant>`) someone in this process listens
   * to; null for Redis, which carries every instance's events itself.
   */
  listened: ((topic: string) => boolean) | null;
  /** Every topic listened to in this process (for a resync); empty for Redis. */
  topics(): string[];
  close(): Promise<void>;
}

/**
 * In-process pub/sub, or Redis pub/sub when REDIS_URL is set so that a subscriber on
 * any instance receives events published on every other one. Without Redis, on
 * PostgreSQL, other instances' events reach the in-process bus through the event relay
 * (event-relay.ts).
 */
export function createEventBus(redisUrl?: string): EventBus {
  if (!redisUrl) {
    const target = new ListenedEventTarget();
    return { pubsub: localPubSub(target), listened: (topic) => target.listened(topic), topics: () => target.topics(), close: async () => {} };
  }
  const publishClient = new Redis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: 2 });
  const subscribeClient = new Redis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: 2 });
  const eventTarget = createRedisEventTarget({ publishClient, subscribeClient });
  return {
    pubsub: createPubSub<EventChannels>({ eventTarget }),
    listened: null,
    topics: () => [],
    async close() {
      publishClient.disconnect();
      subscribeClient.disconnect();
    },
  };
}

/**
 * In-process pub/sub that skips topics nobody listens to. An auction publishes an event
 * per bid (201 of them) to its intent's topic and its tenant's bid feed, and most have
 * no subscriber: each publish would still build and dispatch an event for nothing.
 */
function localPubSub(target: ListenedEventTarget): PubSub<EventChannels> {
  const pubsub = createPubSub<EventChannels>({ eventTarget: target });
  const publish = (routingKey: string, ...args: unknown[]) => {
    // The topic as createPubSub names it: `routingKey`, or `routingKey:id`.
    const topic = args[1] === undefined ? routingKey : `${routingKey}:${String(args[0])}`;
    if (target.listened(topic)) (pubsub.publish as (key: string, ...rest: unknown[]) => void)(routingKey, ...args);
  };
  return { subscribe: pubsub.subscribe, publish: publish as PubSub<EventChannels>['publish'] };
}

/** An EventTarget that knows which event types have listeners. */
class ListenedEventTarget extends EventTarget {
  private readonly listeners = new Map<string, Set<EventListenerOrEventListenerObject>>();

  override addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: AddEventListenerOptions | boolean): void {
    super.addEventListener(type, listener, options);
    if (!listener) return;
    const set = this.listeners.get(type) ?? new Set();
    set.add(listener);
    this.listeners.set(type, set);
  }

  override removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: EventListenerOptions | boolean): void {
    super.removeEventListener(type, listener, options);
    const set = this.listeners.get(type);
    if (!set || !listener) return;
    set.delete(listener);
    if (set.size === 0) this.listeners.delete(type);
  }

  listened(type: string): boolean {
    return this.listeners.has(type);
  }

  topics(): string[] {
    return [...this.listeners.keys()];
  }
}
