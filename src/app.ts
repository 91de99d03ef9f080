import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startBackground } from './background.js';
import type { Config } from './config/config.js';
import { createNotifications } from './db/notifications.js';
import { migrate, openDatabase, withStartupLock, type Database } from './db/orm.js';
import { dialects, webhookPayloads } from './dialects/index.js';
import type { Modules } from './graphql/context.js';
import { createGateway, type Gateway } from './http/gateway.js';
import { publicMetrics, startMetricsServer } from './http/metrics-endpoint.js';
import { JobQueue } from './jobs/job-queue.js';
import { createRedis, type RedisWatcher } from './lib/redis.js';
import { createAgents } from './modules/agents/index.js';
import { createAnalytics } from './modules/analytics/index.js';
import { auctionJobsFor, createAuctions, type AuctionRunner } from './modules/auctions/index.js';
import { createBatches } from './modules/batches/index.js';
import { createEventBus, createEvents, type EventBus, type EventLog } from './modules/events/index.js';
import { createFiles, sharedSecret } from './modules/files/index.js';
import { createIdempotency } from './modules/idempotency/index.js';
import { createIntents } from './modules/intents/index.js';
import { createSessions } from './modules/sessions/index.js';
import { createKeys, createStreamTokens, parseBearer } from './modules/keys/index.js';
import { createLimits, type LimitService } from './modules/limits/index.js';
import { createStats } from './modules/stats/index.js';
import { createWallet } from './modules/wallet/index.js';
import { createWebhooks } from './modules/webhooks/index.js';
import { createLogger, type Logger } from './observability/logger.js';
import { createMetrics, observeJobQueues, type Metrics } from './observability/metrics.js';
import { attachGraphqlWs } from './ws/graphql-ws.js';

/** What the app wired beyond the resolvers' modules: for the server itself, the CLI's checks, tests and the bench. */
export interface AppParts {
  config: Config;
  jobs: JobQueue;
  bus: EventBus;
  eventLog: EventLog;
  auctions: AuctionRunner;
  limits: LimitService;
  metrics: Metrics;
  logger: Logger;
}

export interface App {
  db: Database;
  modules: Modules;
  parts: AppParts;
  yoga: Gateway;
  /** Listens on config.port (0 = any free port); resolves with the base URL. */
  start(): Promise<string>;
  /** Graceful: stops accepting, lets in-flight requests finish (up to the grace period), closes the database. */
  stop(): Promise<void>;
  url(): string;
  /** The base URL of the metrics listener (`GAVEL_METRICS_PORT`); null when there is none. */
  metricsUrl(): string | null;
  /** A key generated on the very first start (and its id), to print once; null otherwise. */
  firstKey: { key: string; id: string } | null;
}

export interface AppOverrides {
  logger?: Logger;
}

/**
 * The composition root: every module is created here, in dependency order, from the
 * parts it names; then the gateway over their APIs; then the background work. Nothing
 * else builds a module, and no module reaches another except through what it was given.
 */
export async function buildApp(config: Config, overrides: AppOverrides = {}): Promise<App> {
  const logger = overrides.logger ?? createLogger(config.logLevel, { pretty: config.env === 'development' });
  const metrics = createMetrics();
  const db: Database = await openDatabase(config);
  let server: Server | null = null;
  let metricsServer: Server | null = null;
  let ws: ReturnType<typeof attachGraphqlWs> | null = null;
  const stops: Array<() => unknown> = [];
  try {
    const applied = await migrate(db);
    if (applied.length) logger.info({ migrations: applied }, 'applied migrations');
    const { orm, pool } = db;

    const jobs = await JobQueue.start({
      connection: db.clientConfig,
      logger,
      leaseSeconds: config.jobs.leaseSeconds,
      maintenanceIntervalSeconds: config.jobs.maintenanceIntervalSeconds,
      soleInstance: db.embeddedOwner,
    });
    stops.push(() => jobs.stop());
    observeJobQueues(
      metrics,
      () => jobs.backlog(),
      (error) => logger.warn({ err: error }, 'reading the job queues for metrics failed'),
    );
    // Every Redis client comes from createRedis: it reconnects forever, and an outage is
    // one warning, one "back" and a gauge, never an unhandled error (README, "Redis away").
    const watcher = redisWatcher(logger, metrics);
    const redisUrl = config.redisUrl;
    const bus = createEventBus(
      redisUrl
        ? {
            publisher: createRedis(redisUrl, 'events_publish', watcher),
            subscriber: createRedis(redisUrl, 'events_subscribe', watcher, { autoResubscribe: false }),
            onPublishFailed: () => metrics.redisUnavailable.inc({ what: 'event_publish' }),
          }
        : null,
    );
    stops.push(() => bus.close());
    // Per-minute counters live where every instance sees them: Redis when configured, else PostgreSQL.
    // Monthly quotas are always in PostgreSQL, so a Redis restart gives nobody a fresh month.
    const redis = redisUrl ? createRedis(redisUrl, 'limits', watcher) : null;
    stops.push(() => redis?.disconnect());

    // What every instance must hear at once: roster changes, and (without Redis) events.
    const notifications = createNotifications(db, (msg, extra) => logger.warn(extra ?? {}, msg));
    stops.push(() => notifications.close());

    const agents = createAgents({ orm, pool, config, logger });
    const sync = await withStartupLock(db, () => agents.registry.syncCatalog());
    if (sync.inserted || sync.updated || sync.retired) logger.info({ sync }, 'agent catalog synced');
    // Listening before the first read: a change committed in between is read again.
    await agents.registry.follow(notifications);
    await agents.registry.reload();
    const keys = createKeys({ orm });
    const streamTokenSecret = await withStartupLock(db, () => sharedSecret(pool, 'stream_token_secret'));
    const streamTokens = createStreamTokens({ keys, secret: streamTokenSecret, ttlSeconds: config.streamTokenTtlSeconds });
    const limits = createLimits({ pool, redis, metrics, logger });
    // Redis carries events between instances; without it, PostgreSQL does. The embedded database has one process.
    const crossInstance = config.database.kind === 'postgres' && !config.redisUrl ? notifications : null;
    const events = await createEvents({ pool, bus, keys, metrics, crossInstance });
    const files = createFiles({ orm, pool, settings: config.files });
    await withStartupLock(db, () => files.start());
    const wallet = createWallet({ orm, pool, agents: agents.registry });
    // Webhook bodies are rendered by the dialects' documents on the gateway built below;
    // deliveries start with the background work, once it exists.
    let gateway: Gateway | null = null;
    const payloads = webhookPayloads(dialects, () => {
      if (!gateway) throw new Error('webhook bodies are rendered once the gateway is built');
      return gateway;
    });
    const webhooks = createWebhooks({ orm, pool, jobs, settings: config.webhooks, logger, payloads, metrics });
    const intents = createIntents({
      orm,
      pool,
      jobs,
      events: events.log,
      bus,
      limits,
      webhooks,
      wallet,
      logger,
      settings: { bidWindowMs: config.auction.bidWindowMs, allowPrivateWebhooks: config.webhooks.allowPrivate },
      auctions: auctionJobsFor(orm),
    });
    const sessions = createSessions({ pool, registry: agents.registry, intents: intents.service, settings: config.sessions });
    const auctions = createAuctions({
      pool,
      events: events.log,
      bus,
      registry: agents.registry,
      metrics,
      logger,
      followUps: intents.followUps,
      config,
      historyOf: (intentId, agent, text) => sessions.historyOf(intentId, agent, text),
    });

    const modules: Modules = {
      keys,
      streamTokens,
      wallet,
      webhooks,
      files,
      analytics: createAnalytics({ pool }),
      batches: createBatches({ orm, pool, intents: intents.service, auctionConcurrency: config.auction.concurrency }),
      agents: agents.registry,
      agentStats: agents.stats,
      agentAdmin: agents.admin,
      intents: intents.service,
      sessions,
      feeds: events.feeds,
      stats: createStats({ pool, agents: agents.registry, limits }),
      idempotency: createIdempotency({ pool }),
    };
    const yoga = createGateway({ config, logger, metrics, modules, limits, ready: () => db.ping() });
    gateway = yoga;
    const firstKey = await withStartupLock(db, () => keys.ensureBootstrapKey(config.bootstrapKey));
    stops.unshift(
      await startBackground({
        db,
        jobs,
        auctions,
        intents: intents.service,
        followUps: intents.followUps,
        webhooks,
        agentStats: agents.stats,
        idempotency: modules.idempotency,
        logger,
        auctionConcurrency: config.auction.concurrency,
      }),
    );

    const app: App = {
      db,
      modules,
      parts: { config, jobs, bus, eventLog: events.log, auctions, limits, metrics, logger },
      yoga,
      firstKey,
      async start() {
        server = createServer(yoga);
        // Keep-alive sockets would hold shutdown open for their whole idle timeout.
        server.keepAliveTimeout = 5_000;
        ws = attachGraphqlWs(server, yoga, { pingMs: config.wsPingMs, maxBufferedBytes: config.wsMaxBufferedBytes }, async (authorization) => {
          const token = parseBearer(authorization);
          if (token === null) return true; // anonymous: public operations only
          return token !== 'malformed' && (await keys.authenticate(token)) !== null;
        });
        await new Promise<void>((resolve, reject) => {
          server!.once('error', reject);
          server!.listen(config.port, config.host, () => resolve());
        });
        const url = app.url();
        logger.info({ url, database: config.database.kind }, 'gavel listening');
        const { port: metricsPort, host: metricsHost, token } = config.metrics;
        if (metricsPort !== undefined) {
          metricsServer = await startMetricsServer(metrics, { port: metricsPort, host: metricsHost, token });
          logger.info({ url: `${app.metricsUrl()}/metrics` }, 'metrics listening');
        } else if (!publicMetrics(config)) {
          logger.info('metrics are not served: set GAVEL_METRICS_TOKEN or GAVEL_METRICS_PORT to scrape them');
        }
        return url;
      },
      url() {
        if (!server) throw new Error('not started');
        return baseUrl(server);
      },
      metricsUrl() {
        return metricsServer ? baseUrl(metricsServer) : null;
      },
      async stop() {
        const s = server;
        server = null;
        if (s) {
          const closed = new Promise<void>((resolve) => s.close(() => resolve()));
          s.closeIdleConnections();
          await ws?.close();
          const grace = new Promise<void>((resolve) => setTimeout(resolve, config.shutdownGraceMs).unref());
          await Promise.race([closed, grace]);
          s.closeAllConnections();
        }
        const m = metricsServer;
        metricsServer = null;
        // Scrapes are short: the metrics listener closes with the public one, its sockets at once.
        if (m) await new Promise<void>((resolve) => m.close(() => resolve()).closeAllConnections());
        await stopAll(stops);
        await db.close();
        logger.info('gavel stopped');
      },
    };
    return app;
  } catch (error) {
    await stopAll(stops);
    await db.close();
    throw error;
  }
}

/** A listening server's base URL; a wildcard address is reached on loopback. */
function baseUrl(server: Server): string {
  const address = server.address() as AddressInfo | null;
  if (!address) throw new Error('not started');
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${address.port}`;
}

/**
 * What a Redis outage looks like to the operator: one warning when the first client loses
 * it, one "Redis is back" when the last is connected again, and a gauge per client.
 */
function redisWatcher(logger: Logger, metrics: Metrics): RedisWatcher {
  const down = new Set<string>();
  let since = 0;
  return {
    down(client, error) {
      if (down.size === 0) {
        since = Date.now();
        logger.warn(
          { err: error ?? undefined, redisClient: client },
          'Redis is unreachable, reconnecting: per-minute rate limits fail open, events reach only subscribers on this instance until it is back',
        );
      }
      down.add(client);
    },
    back(client) {
      if (!down.delete(client)) return;
      if (down.size === 0) logger.info({ downForMs: Date.now() - since }, 'Redis is back');
    },
    connected: (client, up) => metrics.redisConnected.set({ client }, up ? 1 : 0),
  };
}

/** Background work first (it was pushed to the front), then the job queue, the bus, Redis. */
async function stopAll(stops: Array<() => unknown>): Promise<void> {
  for (const stop of stops.splice(0)) await stop();
}
