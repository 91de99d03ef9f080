/** The webhooks module: durable, signed, retried deliveries; the dialects render the bodies. */
import type { MikroORM } from '@mikro-orm/postgresql';
import type pg from 'pg';
import type { JobQueue } from '../../jobs/job-queue.js';
import type { Logger } from '../../observability/logger.js';
import type { Metrics } from '../../observability/metrics.js';
import { WebhookService, type WebhookPayloads, type WebhookSettings } from './webhook.service.js';

export { WebhookService, type AgentMoment, type IntentMoment, type WebhookPayloads, type WebhookSettings } from './webhook.service.js';

export function createWebhooks(deps: {
  orm: MikroORM;
  pool: pg.Pool;
  jobs: JobQueue;
  settings: WebhookSettings;
  logger: Logger;
  payloads: WebhookPayloads;
  metrics: Pick<Metrics, 'webhookAttempts'>;
}): WebhookService {
  return new WebhookService(deps.orm, deps.pool, deps.jobs, deps.settings, deps.logger, deps.payloads, deps.metrics);
}
export { validateWebhookUrl } from './webhook-target.js';
