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
  close(): Promise<void>;
}

/**
 * In-process pub/sub, or Redis pub/sub when REDIS_URL is set so that a subscriber on
 * any instance receives events published on every other one.
 */
export function createEventBus(redisUrl?: string): EventBus {
  if (!redisUrl) return { pubsub: createPubSub<EventChannels>(), close: async () => {} };
  const publishClient = new Redis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: 2 });
  const subscribeClient = new Redis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: 2 });
  const eventTarget = createRedisEventTarget({ publishClient, subscribeClient });
  return {
    pubsub: createPubSub<EventChannels>({ eventTarget }),
    async close() {
      publishClient.disconnect();
      subscribeClient.disconnect();
    },
  };
}
