import { Agent } from '../modules/agents/agent.entity.js';
import { AgentStats, AgentStatsBacklog } from '../modules/agents/agent-stats.entity.js';
import { ApiKey } from '../modules/keys/api-key.entity.js';
import { IntentEvent } from '../modules/events/intent-event.entity.js';
import { Bid, Intent } from '../modules/intents/intent.entity.js';
import { LimitCounter } from '../modules/limits/limit-counter.entity.js';
import { Tenant, User } from '../modules/tenants/tenant.entity.js';
import { Batch } from '../modules/batches/batch.entity.js';
import { WebhookDelivery } from '../modules/webhooks/webhook-delivery.entity.js';
import { WalletTransaction } from '../modules/wallet/wallet-transaction.entity.js';
import { GatewaySetting } from '../modules/files/gateway-setting.entity.js';
import { StoredFile } from '../modules/files/stored-file.entity.js';
import { Session, SessionTurn } from '../modules/sessions/session.entity.js';
import { IdempotentRequest } from '../modules/idempotency/idempotent-request.entity.js';

/** Every entity of the schema; migrations are generated from exactly this list. */
export const entities = [
  Tenant,
  User,
  ApiKey,
  Agent,
  Intent,
  Bid,
  IntentEvent,
  LimitCounter,
  Batch,
  WebhookDelivery,
  WalletTransaction,
  StoredFile,
  GatewaySetting,
  AgentStats,
  AgentStatsBacklog,
  Session,
  SessionTurn,
  IdempotentRequest,
];
