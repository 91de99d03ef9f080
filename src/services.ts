import type { Config } from './config/config.js';
import { withStartupLock, type Database } from './db/orm.js';
import { JobQueue } from './jobs/job-queue.js';
import { AgentAdmin } from './modules/agents/agent-admin.js';
import { AgentStatsBook } from './modules/agents/agent-stats.js';
import { AgentRegistry } from './modules/agents/agent-registry.js';
import { createLlmExecutor } from './modules/agents/executors/llm.js';
import {
  ABANDONED_AUCTION_QUEUE,
  AUCTION_QUEUE,
  AUCTION_RETRIES,
  AuctionRunner,
  abandonedWithoutDeadLetter,
  createVerifier,
  type RunIntent,
} from './modules/auctions/index.js';
import { createEventBus, type EventBus } from './modules/events/event-bus.js';
import { EventLog } from './modules/events/event-log.js';
import { IntentService } from './modules/intents/intent.service.js';
import { KeyService } from './modules/keys/key.service.js';
import { deleteExpiredCounters, postgresCounters, redisCounters } from './modules/limits/limit.store.js';
import { LimitService } from './modules/limits/limit.service.js';
import { StatsService } from './modules/stats/stats.service.js';
import { IntentFollowUps } from './modules/intents/intent-follow-ups.js';
import { FileService } from './modules/files/file.service.js';
import { localBlobStore } from './modules/files/blob-store.js';
import { AnalyticsService } from './modules/analytics/analytics.service.js';
import { BatchService } from './modules/batches/batch.service.js';
import { WalletService } from './modules/wallet/wallet.service.js';
import { WebhookService, type WebhookPayloads } from './modules/webhooks/webhook.service.js';
import { Redis } from 'ioredis';
import type { Logger } from './observability/logger.js';
import type { Metrics } from './observability/metrics.js';

/** How often finished intents' bids are folded into agents' figures. */
const STATS_FOLD_MS = 2_000;

/** The domain services of one app instance, handed to resolvers through the context. */
export interface Services {
  config: Config;
  db: Database;
  keys: KeyService;
  wallet: WalletService;
  batches: BatchService;
  analytics: AnalyticsService;
  files: FileService;
  webhooks: WebhookService;
  agents: AgentRegistry;
  agentStats: AgentStatsBook;
  agentAdmin: AgentAdmin;
  intents: IntentService;
  /** Runs intents: by auction (the auction job's handler), or on a named agent (`runAgent`). */
  auctions: AuctionRunner;
  events: EventLog;
  bus: EventBus;
  stats: StatsService;
  limits: LimitService;
  jobs: JobQueue;
  metrics: Metrics;
  logger: Logger;
  /** Stops background work (workers, sweeps); the database is closed by the app. */
  stop(): Promise<void>;
}

/**
 * `webhookPayloads` renders delivery bodies with the dialects' GraphQL documents, so it
 * runs operations on the gateway built from these services: it is only called once
 * deliveries are announced, after the gateway exists.
 */
export async function createServices(config: Config, db: Database, metrics: Metrics, logger: Logger, webhookPayloads: WebhookPayloads): Promise<Services> {
  const jobs = await JobQueue.start({
    connection: db.clientConfig,
    logger,
    leaseSeconds: config.jobs.leaseSeconds,
    maintenanceIntervalSeconds: config.jobs.maintenanceIntervalSeconds,
    soleInstance: db.embeddedOwner,
  });
  const agents = new AgentRegistry(db.orm, config);
  const sync = await withStartupLock(db, () => agents.syncCatalog());
  if (sync.inserted || sync.updated || sync.retired) logger.info({ sync }, 'agent catalog synced');
  await agents.reload();
  const bus = createEventBus(config.redisUrl);
  // Counters live where every instance sees them: Redis when configured, else PostgreSQL.
  const redis = config.redisUrl ? new Redis(config.redisUrl, { maxRetriesPerRequest: 2 }) : null;
  const limits = new LimitService(redis ? redisCounters(redis) : postgresCounters(db.pool));
  const events = new EventLog(db.pool, bus);
  const keys = new KeyService(db.orm);
  const files = new FileService(db.orm, db.pool, localBlobStore(config.files.dir), config.files);
  await withStartupLock(db, () => files.start());
  const wallet = new WalletService(db.orm, db.pool, agents);
  const webhooks = new WebhookService(db.orm, db.pool, jobs, config.webhooks, logger, webhookPayloads);
  const followUps = new IntentFollowUps(wallet, webhooks, logger);
  const intents = new IntentService(db.orm, db.pool, jobs, events, bus, limits, webhooks, wallet, followUps, {
    bidWindowMs: config.auction.bidWindowMs,
    allowPrivateWebhooks: config.webhooks.allowPrivate,
  });
  const judge = config.llm
    ? createLlmExecutor(
        {
          slug: 'shield-verifier',
          name: 'Shield Verifier',
          emoji: '🛡️',
          domain: 'verification',
          skills: ['verification'],
          description: 'Checks that a result answers its task',
          version: '1.0.0',
          kind: 'llm',
          price: { inputPerMTok: 0, outputPerMTok: 0 },
          systemPrompt: 'You verify answers. Reply ACCEPT, or REJECT and a one-line reason.',
        },
        { baseUrl: config.llm.baseUrl, apiKey: config.llm.apiKey, defaultModel: config.llm.model },
      )
    : null;
  const runner = new AuctionRunner({
    pool: db.pool,
    events,
    bus,
    registry: agents,
    metrics,
    logger,
    settings: { minConfidence: config.auction.minConfidence, executionTimeoutMs: config.auction.executionTimeoutMs, maxAttempts: 3 },
    verify: createVerifier(judge),
    followUps,
  });
  // Creating pg-boss queues (and their partitions) deadlocks when instances start together.
  await withStartupLock(db, async () => {
    // First, as the auction queue names it for its dead letters.
    await jobs.work<{ intentId: number }>(ABANDONED_AUCTION_QUEUE, config.auction.concurrency > 0 ? 1 : 0, (data) => runner.abandon(data.intentId));
    await jobs.work<{ intentId: number }>(
      AUCTION_QUEUE,
      config.auction.concurrency,
      (data, job) => runner.run(data.intentId, job.hint as RunIntent | undefined),
      { limit: AUCTION_RETRIES, delaySeconds: 1, deadLetter: ABANDONED_AUCTION_QUEUE },
    );
    await webhooks.start();
  });
  await intents.sweepUnqueued(0);
  const settleAbandoned = async () => {
    for (const id of await abandonedWithoutDeadLetter(db.pool)) await runner.abandon(id);
  };
  await settleAbandoned();
  const agentStats = new AgentStatsBook(db.pool);
  // Finished intents' bids are folded into agents' figures often, so reads add little.
  const foldStats = setInterval(() => {
    agentStats.rollUp().catch((error: unknown) => logger.warn({ err: error }, 'folding agent stats failed'));
  }, STATS_FOLD_MS);
  foldStats.unref();
  const sweep = setInterval(() => {
    intents.sweepUnqueued().catch((error: unknown) => logger.warn({ err: error }, 'sweep failed'));
    settleAbandoned().catch((error: unknown) => logger.warn({ err: error }, 'settling abandoned auctions failed'));
    followUps.sweep().catch((error: unknown) => logger.warn({ err: error }, 'follow-up sweep failed'));
    deleteExpiredCounters(db.pool).catch(() => {});
  }, 30_000);
  sweep.unref();

  const services: Services = {
    config,
    db,
    keys,
    wallet,
    webhooks,
    analytics: new AnalyticsService(db.pool),
    files,
    batches: new BatchService(db.orm, db.pool, intents, config.auction.concurrency),
    agents,
    agentStats,
    agentAdmin: new AgentAdmin(db.orm, agents),
    intents,
    auctions: runner,
    events,
    bus,
    stats: new StatsService(db.pool, agents, limits),
    limits,
    jobs,
    metrics,
    logger,
    async stop() {
      clearInterval(sweep);
      clearInterval(foldStats);
      await jobs.stop();
      await bus.close();
      redis?.disconnect();
    },
  };
  return services;
}
