/** The webhooks module: durable, signed, retried deliveries; the dialects render the bodies. */
import type { MikroORM } from '@mikro-orm/postgresql';
import type pg from 'pg';
import type { JobQueue } from '../../jobs/job-queue.js';
import type { Logger } from '../../observability/logger.js';
import { WebhookService, type WebhookPayloads, type WebhookSettings } from './webhook.service.js';

export { WebhookService, type IntentMoment, type WebhookPayloads, type WebhookSettings } from './webhook.service.js';

export function createWebhooks(deps: {
  orm: MikroORM;
  pool: pg.Pool;
  jobs: JobQueue;
  settings: WebhookSettings;
  logger: Logger;
  payloads: WebhookPayloads;
}): WebhookService {
  return new WebhookService(deps.orm, deps.pool, deps.jobs, deps.settings, deps.logger, deps.payloads);
}
export { validateWebhookUrl } from './webhook-target.js';
