import { setMaxListeners } from 'node:events';
import { createPubSub, type PubSub } from 'graphql-yoga';
import type { Redis } from 'ioredis';
import { randomBase62 } from '../../lib/random.js';

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
  /** Publishes to this process's subscribers only: what a resync hands them again. */
  local: PubSub<EventChannels>['publish'];
  /**
   * The topics (`intent:7`, `final:7`, `bids:<tenant>`) someone in this process listens
   * to; null for Redis, which carries every instance's events itself.
   */
  listened: ((topic: string) => boolean) | null;
  /** Every topic listened to in this process (for a resync). */
  topics(): string[];
  /**
   * Runs `resync` whenever the link to the other instances comes back after an outage
   * (Redis reconnected): what they published meanwhile never arrived here.
   */
  onReconnect(resync: () => void): void;
  close(): Promise<void>;
}

/** The Redis clients of a shared bus (made by `createRedis`, src/lib/redis.ts). */
export interface RedisLink {
  publisher: Redis;
  /** Made with `autoResubscribe: false`: the bus subscribes again itself on every reconnect. */
  subscriber: Redis;
  /** A publish Redis could not take (it is away); the event is sent again once it is back. */
  onPublishFailed(): void;
}

/** Publishes held while Redis is away, sent once it is back; beyond this the oldest are dropped (streams fill gaps from the store). */
const MAX_HELD_PUBLISHES = 10_000;

/**
 * In-process pub/sub, or Redis pub/sub too when REDIS_URL is set so that a subscriber on
 * any instance receives events published on every other one. Without Redis, on
 * PostgreSQL, other instances' events reach the in-process bus through the event relay
 * (event-relay.ts).
 *
 * With Redis, this process's own subscribers are served in process (never through
 * Redis), so they keep their events while Redis is away; only the fan-out to other
 * instances waits for it to come back.
 */
export function createEventBus(redis: RedisLink | null): EventBus {
  const target = new ListenedEventTarget();
  const local = localPubSub(target);
  if (!redis) {
    return {
      pubsub: local,
      local: local.publish,
      listened: (topic) => target.listened(topic),
      topics: () => target.topics(),
      onReconnect: () => {},
      close: async () => {},
    };
  }
  const shared = new SharedEventTarget(target, redis);
  return {
    pubsub: createPubSub<EventChannels>({ eventTarget: shared }),
    local: local.publish,
    listened: null,
    topics: () => target.topics(),
    onReconnect: (resync) => shared.resyncs.push(resync),
    async close() {
      redis.publisher.disconnect();
      redis.subscriber.disconnect();
    },
  };
}

/**
 * Delivers to this process's listeners directly, and through Redis to the other
 * instances' (a message names its instance, so it is not delivered here twice). A
 * publish Redis cannot take is held and sent once it is back; after the subscriber
 * reconnects, it subscribes again to every topic listened to here, then runs the resyncs.
 */
class SharedEventTarget extends EventTarget {
  readonly resyncs: Array<() => void> = [];
  private readonly instance = randomBase62(12);
  private held: Array<[channel: string, message: string]> = [];
  private flushing = false;

  constructor(
    private readonly target: ListenedEventTarget,
    private readonly redis: RedisLink,
  ) {
    super();
    const { publisher, subscriber } = redis;
    subscriber.on('message', (channel: string, message: string) => {
      if (!this.target.listened(channel)) return;
      let parsed: { s?: string; d?: unknown };
      try {
        parsed = JSON.parse(message) as { s?: string; d?: unknown };
      } catch {
        return; // not ours: nothing Gavel publishes
      }
      if (parsed.s === this.instance) return; // delivered here already, in process
      // A message without an instance is an older Gavel's (a rolling upgrade): the event itself.
      this.target.dispatchEvent(new CustomEvent(channel, { detail: 's' in parsed ? parsed.d : parsed }));
    });
    let connected = false;
    subscriber.on('ready', () => {
      const again = connected;
      connected = true;
      const topics = this.target.topics();
      const subscribed = topics.length > 0 ? subscriber.subscribe(...topics) : Promise.resolve();
      // Subscribed before the resync reads the store: nothing falls between the two.
      subscribed.then(() => again && this.resyncs.forEach((resync) => resync())).catch(() => {}); // the next reconnect tries again
    });
    publisher.on('ready', () => this.flushSoon());
  }

  override addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: AddEventListenerOptions | boolean): void {
    const first = !this.target.listened(type);
    this.target.addEventListener(type, listener, options);
    // Refused while Redis is away: the subscriber subscribes again to every topic once it is back.
    if (first && this.target.listened(type)) this.redis.subscriber.subscribe(type).catch(() => {});
  }

  override removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: EventListenerOptions | boolean): void {
    this.target.removeEventListener(type, listener, options);
    if (!this.target.listened(type)) this.redis.subscriber.unsubscribe(type).catch(() => {});
  }

  override dispatchEvent(event: Event): boolean {
    if (this.target.listened(event.type)) this.target.dispatchEvent(event);
    this.send(event.type, JSON.stringify({ s: this.instance, d: (event as CustomEvent).detail as unknown }));
    return true;
  }

  private send(channel: string, message: string): void {
    if (this.held.length > 0 || this.redis.publisher.status !== 'ready') {
      if (this.held.length === 0) this.redis.onPublishFailed();
      return this.hold(channel, message);
    }
    this.redis.publisher.publish(channel, message).catch(() => {
      this.redis.onPublishFailed();
      this.hold(channel, message);
    });
  }

  private hold(channel: string, message: string): void {
    this.held.push([channel, message]);
    if (this.held.length > MAX_HELD_PUBLISHES) this.held.splice(0, this.held.length - MAX_HELD_PUBLISHES);
    this.flushSoon();
  }

  private flushSoon(): void {
    if (!this.flushing && this.redis.publisher.status === 'ready') void this.flush();
  }

  /** Sends what was held, in order. A refusal while connected (a timeout) tries again in a second; a lost connection, on 'ready'. */
  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.held.length > 0) {
        const [channel, message] = this.held[0]!;
        await this.redis.publisher.publish(channel, message);
        this.held.shift();
      }
    } catch {
      setTimeout(() => this.flushSoon(), 1_000).unref();
    } finally {
      this.flushing = false;
    }
  }
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

  constructor() {
    super();
    // Node warns of a leak past 10 listeners of one type; here a type is a topic, and one
    // tenant's bid feed or one intent's events may well have more subscribers than that.
    // Their number is bounded per key by the subscription guard (MAX_SUBSCRIPTIONS_PER_KEY), not here.
    setMaxListeners(0, this);
  }

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
