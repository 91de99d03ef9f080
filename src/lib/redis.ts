import { Redis } from 'ioredis';

/** What a Redis client reports about its connection; the app turns it into logs and a gauge. */
export interface RedisWatcher {
  /** The connection was lost (or never made): called once per outage, not per retry. */
  down(name: string, error: Error | null): void;
  /** Ready again after an outage (or after a first connect that failed). */
  back(name: string, downForMs: number): void;
  /** Connected (1) or not (0), on every change. */
  connected(name: string, up: boolean): void;
}

/**
 * Bound on each command. A Redis that is down refuses at once (no offline queue); this
 * covers one that hangs, so a request waits at most this long before going on without it.
 */
export const REDIS_COMMAND_TIMEOUT_MS = 500;

/** Reconnect delay: 100 ms doubling up to 2 s, with jitter so instances do not retry in step. Forever. */
export function reconnectDelay(attempt: number): number {
  const base = Math.min(2_000, 100 * 2 ** Math.min(attempt - 1, 5));
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

/**
 * The one way Gavel makes a Redis client: every client (the rate counters, the event
 * bus's publisher and subscriber) reconnects forever with capped backoff, never queues
 * commands while disconnected (a caller gets an error at once and decides: the rate
 * counters fail open, a publish is retried later), bounds each command, and always has
 * an 'error' listener, so a Redis outage can never surface as an unhandled error event.
 */
export function createRedis(url: string, name: string, watcher: RedisWatcher, options: { autoResubscribe?: boolean } = {}): Redis {
  const client = new Redis(url, {
    retryStrategy: reconnectDelay,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    connectTimeout: 2_000,
    autoResubscribe: options.autoResubscribe ?? true,
  });
  let downSince: number | null = null;
  const lost = (error: Error | null) => {
    if (downSince !== null) return;
    downSince = Date.now();
    watcher.connected(name, false);
    watcher.down(name, error);
  };
  // ioredis emits 'error' for each failed reconnect: only the first of an outage is news.
  client.on('error', (error: Error) => lost(error));
  // Emitted only when a reconnect is planned: our own disconnect() at shutdown is not an outage.
  client.on('reconnecting', () => lost(null));
  client.on('ready', () => {
    watcher.connected(name, true);
    if (downSince !== null) watcher.back(name, Date.now() - downSince);
    downSince = null;
  });
  return client;
}
