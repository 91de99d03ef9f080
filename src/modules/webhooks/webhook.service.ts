import { createHash } from 'node:crypto';
import { inTransaction } from '../../db/transaction.js';
import type { MikroORM } from '@mikro-orm/postgresql';
import type pg from 'pg';
import { AppError, notFound } from '../../errors/app-error.js';
import type { JobQueue, RetryPolicy } from '../../jobs/job-queue.js';
import type { Logger } from '../../observability/logger.js';
import type { Metrics } from '../../observability/metrics.js';
import type { AuthInfo } from '../keys/index.js';
import type { WebhookDelivery, DeliveryAttempt, WebhookEvent } from './webhook-delivery.entity.js';
import * as store from './webhook.store.js';
import { postWebhook } from './webhook-sender.js';
import { standardSignatureHeaders } from './webhook-signing.js';

export const WEBHOOK_QUEUE = 'webhook';

export interface WebhookSettings {
  secret?: string;
  allowPrivate: boolean;
  timeoutMs: number;
  retry: RetryPolicy;
}

/** The moments of an intent that webhooks can be about. */
/**
 * One agent's attempt at an intent (Mindra's `agent.started` / `agent.completed`): the
 * winner's, then each failover's. `attempt` counts from 1 and keeps their deliveries apart.
 */
export interface AgentMoment {
  phase: 'started' | 'completed';
  attempt: number;
  agent: { slug: string; name: string; vertical: string };
  /** completed: how it ended (succeeded, failed, timed_out, rejected) and why. */
  outcome?: string;
  error?: string | null;
  at: string;
}

export type IntentMoment = 'started' | 'final' | AgentMoment;

/**
 * What a delivery's body is and how its receivers check it, per event: the dialects
 * know (OctoMind's receipt, Mindra's execution events); this module only delivers.
 */
export interface WebhookPayloads {
  render(delivery: { event: WebhookEvent; intentId: number; tenantId: string; secret: string; agent?: AgentMoment }): Promise<string>;
  signatureHeaders(event: WebhookEvent, secret: string, body: string): Record<string, string>;
}

/**
 * Webhook deliveries as durable jobs. Creating a delivery is idempotent (its id is
 * derived from intent, event and URL), so the auction runner, a retried job and the
 * sweep may all announce the same moment and one delivery results. Sending never
 * blocks an auction: it is a job of its own, retried with backoff until the receiver
 * answers 2xx or the retries run out, surviving restarts like every job.
 */
export class WebhookService {
  constructor(
    private readonly orm: MikroORM,
    private readonly pool: pg.Pool,
    private readonly jobs: JobQueue,
    private readonly settings: WebhookSettings,
    private readonly logger: Logger,
    private readonly payloads: WebhookPayloads,
    private readonly metrics: Pick<Metrics, 'webhookAttempts'>,
  ) {}

  async start(): Promise<void> {
    await this.jobs.work<{ deliveryId: string }>(WEBHOOK_QUEUE, 4, (data, job) => this.deliver(data.deliveryId, job.retryCount), this.settings.retry);
  }

  /** Creates and enqueues the deliveries an intent's moment calls for; a no-op when there are none or they exist. */
  async announce(intentId: number, moment: IntentMoment): Promise<void> {
    const intent = await store.targetsOfIntent(this.pool, intentId);
    if (!intent) return;
    const wanted = deliveriesFor(intent, moment);
    if (wanted.length === 0) return;
    const agent = typeof moment === 'object' ? moment : undefined;
    for (const { event, url, secret } of wanted) {
      const id = deliveryId(intent.id, agent ? `${event}#${agent.attempt}` : event, url);
      const body = await this.payloads.render({ event, intentId: intent.id, tenantId: intent.tenant_id, secret: secret ?? this.settings.secret ?? '', agent });
      // The delivery and its job are written together: neither exists without the other.
      const created = await inTransaction(this.pool, async (client) => {
        const inserted = await store.insertDelivery(client, { id, tenantId: intent.tenant_id, intentId: intent.id, event, url, body });
        if (inserted) await this.jobs.sendWithin(client, WEBHOOK_QUEUE, { deliveryId: id });
        return inserted;
      });
      if (created) this.jobs.runSoon(WEBHOOK_QUEUE);
    }
  }

  /**
   * Announces final intents whose deliveries were never created: the process stopped
   * between writing the receipt and announcing it. Runs with the other sweeps.
   */
  async sweepUnannounced(): Promise<number> {
    const ids = await store.unannouncedIntents(this.pool, 100);
    for (const intentId of ids)
      await this.announce(intentId, 'final').catch((error: unknown) => this.logger.warn({ err: error, intentId }, 'announcing a webhook failed'));
    return ids.length;
  }

  /** One attempt; throwing makes the job engine retry it later. */
  async deliver(id: string, retryCount: number): Promise<void> {
    const delivery = await store.deliveryToSend(this.pool, id);
    if (!delivery || delivery.status !== 'pending') return; // delivered meanwhile, or gone
    const secret = delivery.event === 'receipt' ? this.settings.secret : (delivery.webhook?.secret ?? this.settings.secret);
    const headers = {
      ...standardSignatureHeaders(secret ?? '', id, Math.floor(Date.now() / 1000), delivery.body),
      ...this.payloads.signatureHeaders(delivery.event, secret ?? '', delivery.body),
    };
    const result = await postWebhook(delivery.url, delivery.body, headers, {
      timeoutMs: this.settings.timeoutMs,
      allowPrivate: this.settings.allowPrivate,
      userAgent: 'Gavel-Webhooks/1',
    });
    const ok = result.error === null;
    const lastTry = retryCount >= this.settings.retry.limit;
    const attempt: DeliveryAttempt = {
      attempt: 0,
      at: new Date().toISOString(),
      statusCode: result.statusCode,
      error: result.error,
      durationMs: result.durationMs,
    };
    await store.recordAttempt(this.pool, id, attempt, ok ? 'delivered' : lastTry ? 'failed' : 'pending');
    this.metrics.webhookAttempts.inc({ event: delivery.event, outcome: ok ? 'delivered' : lastTry ? 'dead' : 'retried' });
    if (!ok) {
      this.logger.warn({ deliveryId: id, url: delivery.url, error: result.error, detail: result.operatorDetail, retryCount }, 'webhook delivery failed');
      if (!lastTry) throw new Error(`webhook delivery failed: ${result.error}`);
    }
  }

  /** The deliveries of one of the caller's intents, oldest first. */
  list(intentId: number): Promise<WebhookDelivery[]> {
    return store.deliveriesOf(this.orm.em.fork(), intentId);
  }

  /**
   * Sends a delivered or failed delivery again (same id and body). One still pending
   * already has its retries scheduled: 409. Another tenant's is not found.
   */
  async redeliver(auth: AuthInfo, id: string): Promise<WebhookDelivery> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw notFound('Webhook delivery');
    const was = await store.markPending(this.pool, auth.tenantId, id);
    if (was === null) throw notFound('Webhook delivery');
    if (was === 'pending') throw new AppError('CONFLICT', 'This delivery is still pending; its retries are scheduled');
    await this.jobs.send(WEBHOOK_QUEUE, { deliveryId: id });
    return store.deliveryById(this.orm.em.fork(), id);
  }

  /** Refuses what cannot be delivered before the intent is admitted. */
  assertConfigured(webhook: { url: string; secret?: string | null } | null, plainUrl: string | null): void {
    if ((plainUrl || (webhook && !webhook.secret)) && !this.settings.secret) {
      throw new AppError('INVALID_REQUEST', 'Webhooks are not configured on this gateway (GAVEL_WEBHOOK_SECRET is unset); give the webhook its own secret', {
        field: 'webhookUrl',
      });
    }
  }
}

/** Which deliveries a moment of this intent calls for. */
function deliveriesFor(intent: store.IntentWebhookTargets, moment: IntentMoment): Array<{ event: WebhookEvent; url: string; secret?: string | null }> {
  const wanted: Array<{ event: WebhookEvent; url: string; secret?: string | null }> = [];
  if (moment === 'final' && intent.webhook_url) wanted.push({ event: 'receipt', url: intent.webhook_url });
  const sub = intent.webhook;
  if (sub) {
    const event: WebhookEvent =
      typeof moment === 'object'
        ? `agent.${moment.phase}`
        : moment === 'started'
          ? 'execution.started'
          : intent.status === 'completed'
            ? 'execution.completed'
            : 'execution.failed';
    if (sub.events.includes(event)) wanted.push({ event, url: sub.url, secret: sub.secret });
  }
  return wanted;
}

/** A UUID-shaped id fixed by what the delivery is. */
function deliveryId(intentId: number, event: string, url: string): string {
  const h = createHash('sha256').update(`${intentId}\n${event}\n${url}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
