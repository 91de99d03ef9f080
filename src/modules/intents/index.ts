/** The intents module: submitting, reading, listing, cancelling and waiting for intents; their follow-ups. */
import type { MikroORM } from '@mikro-orm/postgresql';
import type pg from 'pg';
import type { JobQueue } from '../../jobs/job-queue.js';
import type { Logger } from '../../observability/logger.js';
import type { EventBus, EventLog } from '../events/index.js';
import type { LimitService } from '../limits/index.js';
import type { WalletService } from '../wallet/index.js';
import type { WebhookService } from '../webhooks/index.js';
import { IntentFollowUps } from './intent-follow-ups.js';
import { IntentService, type AuctionJobs } from './intent.service.js';

export { IntentFollowUps } from './intent-follow-ups.js';
export { IntentLookup } from './intent-lookup.js';
export { IntentService, type AuctionJobs, type DirectCall } from './intent.service.js';

export interface Intents {
  service: IntentService;
  /** What an intent's moments owe: the wallet settled, webhooks announced. */
  followUps: IntentFollowUps;
}

export function createIntents(deps: {
  orm: MikroORM;
  pool: pg.Pool;
  jobs: JobQueue;
  events: EventLog;
  bus: EventBus;
  limits: LimitService;
  webhooks: WebhookService;
  wallet: WalletService;
  logger: Logger;
  settings: { bidWindowMs: number; allowPrivateWebhooks: boolean };
  auctions: AuctionJobs;
}): Intents {
  const followUps = new IntentFollowUps(deps.wallet, deps.webhooks, deps.logger);
  const service = new IntentService(
    deps.orm,
    deps.pool,
    deps.jobs,
    deps.events,
    deps.bus,
    deps.limits,
    deps.webhooks,
    deps.wallet,
    followUps,
    deps.settings,
    deps.auctions,
    deps.logger,
  );
  return { service, followUps };
}
export { type SubmitIntentInput } from './intent-input.js';
export {
  COST_GROUPINGS,
  advanceIntent,
  claimIntentRow,
  costLines,
  eventSeqPart,
  intentRowById,
  intentsOfBatch,
  isTenantsIntent,
  recentMeanSeconds,
  routingFigures,
  statusCountsOfBatch,
  topDomains,
  type CostGrouping,
  type IntentColumnValues,
  type IntentColumns,
  type IntentWebhookTargets,
  unfinishedIntentIdsWhere,
  usageOf,
  webhookTargetsOf,
} from './intent.store.js';
