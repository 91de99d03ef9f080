import pg from 'pg';
import type { Database } from './orm.js';
import { identifier, run, sql } from './sql.js';

type Log = (msg: string, extra?: Record<string, unknown>) => void;

/**
 * PostgreSQL's LISTEN/NOTIFY, for what every instance must hear at once (a roster
 * change, another instance's events). A notification is sent by the statement that
 * makes the change (`pg_notify` in it, or a trigger), so it is delivered exactly when
 * that change commits, and to every listening process, the CLI's changes included.
 */
export interface Notifications {
  /**
   * Calls `handler` with each payload sent on `channel`, and `resync` whenever the
   * listening connection was lost and is back: notifications sent meanwhile are gone, so
   * the listener reads the state again. Resolves once the channel is listened to.
   */
  listen(channel: string, handler: (payload: string) => void, resync?: () => void): Promise<void>;
  close(): Promise<void>;
}

interface Channel {
  handler: (payload: string) => void;
  resync?: () => void;
}

const RECONNECT_MS = [100, 250, 500, 1_000, 2_000];

/**
 * On a real server: one dedicated connection (never the pool's: a pooled client's
 * LISTEN would go with it), reconnected with backoff when it drops, and then every
 * channel resyncs. On the embedded database, which has one session and one process,
 * the session listens and the wire server hands this process every notification it
 * sends, including those the CLI's statements commit over the local socket.
 */
export function createNotifications(db: Pick<Database, 'connectionString' | 'pool' | 'embeddedNotifications'>, log: Log = () => {}): Notifications {
  const channels = new Map<string, Channel>();
  const deliver = (channel: string, payload: string) => {
    const target = channels.get(channel);
    if (!target) return;
    try {
      target.handler(payload);
    } catch (error) {
      log('a notification handler failed', { channel, err: String(error) });
    }
  };
  const listenSql = (channel: string) => sql`listen ${identifier(channel)}`;
  const listenOn = async (client: pg.Client, channel: string) => {
    await client.query(listenSql(channel).text);
  };

  if (db.embeddedNotifications) {
    db.embeddedNotifications((n) => deliver(n.channel, n.payload));
    return {
      async listen(channel, handler, resync) {
        channels.set(channel, { handler, resync });
        await run(db.pool, listenSql(channel));
      },
      async close() {
        channels.clear();
      },
    };
  }

  let client: pg.Client | null = null;
  let closed = false;
  let connecting: Promise<void> | null = null;
  let failures = 0;

  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: db.connectionString, connectionTimeoutMillis: 5_000 });
    next.on('notification', (msg) => deliver(msg.channel, msg.payload ?? ''));
    let lost = false;
    const onLost = (error?: Error) => {
      if (lost) return;
      lost = true;
      if (client === next) client = null;
      next.end().catch(() => {});
      if (closed) return;
      log('the LISTEN connection was lost; reconnecting', { err: error ? String(error) : 'ended' });
      scheduleReconnect();
    };
    // Until it is connected, a failure is connect()'s rejection (retried by the caller).
    const early = () => {};
    next.on('error', early);
    await next.connect();
    next.off('error', early);
    next.on('error', onLost);
    next.on('end', () => onLost());
    for (const channel of channels.keys()) await listenOn(next, channel);
    if (closed) {
      await next.end().catch(() => {});
      return;
    }
    client = next;
  };

  let scheduled = false;
  const scheduleReconnect = () => {
    if (scheduled) return;
    scheduled = true;
    const delay = RECONNECT_MS[Math.min(failures, RECONNECT_MS.length - 1)]!;
    failures++;
    setTimeout(() => {
      scheduled = false;
      if (closed) return;
      connecting = connect().then(
        () => {
          failures = 0;
          // Whatever was sent while nobody listened is lost: each channel reads its state again.
          for (const channel of channels.values()) channel.resync?.();
        },
        (error: unknown) => {
          log('reconnecting the LISTEN connection failed', { err: String(error) });
          scheduleReconnect();
        },
      );
    }, delay).unref();
  };

  return {
    async listen(channel, handler, resync) {
      channels.set(channel, { handler, resync });
      if (!client && !connecting) connecting = connect();
      await connecting;
      if (client) await listenOn(client, channel);
    },
    async close() {
      closed = true;
      channels.clear();
      await client?.end().catch(() => {});
      client = null;
    },
  };
}
