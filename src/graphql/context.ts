import type { AgentAdmin, AgentRegistry, AgentStatsBook } from '../modules/agents/index.js';
import type { AnalyticsService } from '../modules/analytics/index.js';
import type { BatchService } from '../modules/batches/index.js';
import type { EventFeeds } from '../modules/events/index.js';
import type { FileService } from '../modules/files/index.js';
import type { IdempotencyService } from '../modules/idempotency/index.js';
import type { IntentService } from '../modules/intents/index.js';
import type { AuthInfo, KeyService, StreamTokens } from '../modules/keys/index.js';
import type { SessionService } from '../modules/sessions/index.js';
import type { StatsService } from '../modules/stats/index.js';
import type { WalletService } from '../modules/wallet/index.js';
import type { WebhookService } from '../modules/webhooks/index.js';
import type { Logger } from '../observability/logger.js';

/**
 * What resolvers may call: the domain modules' APIs, wired once by the composition root
 * (src/app.ts). No database, job queue or bus: a resolver asks a module.
 */
export interface Modules {
  keys: KeyService;
  streamTokens: StreamTokens;
  wallet: WalletService;
  batches: BatchService;
  analytics: AnalyticsService;
  files: FileService;
  webhooks: WebhookService;
  agents: AgentRegistry;
  agentStats: AgentStatsBook;
  agentAdmin: AgentAdmin;
  intents: IntentService;
  sessions: SessionService;
  feeds: EventFeeds;
  stats: StatsService;
  idempotency: IdempotencyService;
}

/** What every resolver sees; built once per HTTP request or WebSocket operation. */
export interface GavelContext {
  requestId: string;
  auth: AuthInfo | null;
  modules: Modules;
  logger: Logger;
  /** Base URL for links handed out (signed file URLs): GAVEL_PUBLIC_URL, or the request's own. */
  origin: string;
}
