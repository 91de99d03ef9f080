import { createHash } from 'node:crypto';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type pg from 'pg';
import { AppError, notFound } from '../../errors/app-error.js';
import { jobIdFor, type JobQueue } from '../../jobs/job-queue.js';
import type { EventBus } from '../events/event-bus.js';
import type { EventLog } from '../events/event-log.js';
import { TERMINAL_EVENTS, type EventType } from '../events/intent-event.entity.js';
import type { AuthInfo } from '../keys/auth-info.js';
import type { LimitService } from '../limits/limit.service.js';
import { Bid, Intent, TERMINAL_STATUSES, type IntentStatus } from './intent.entity.js';
import { validateIntentInput, type SubmitIntentInput } from './intent-input.js';

export const AUCTION_QUEUE = 'auction';
const AUCTION_JOB_KIND = 1;

export interface IntentListFilter {
  status?: IntentStatus | 'in_progress' | null;
  limit: number;
  offset: number;
}

/** Intents as callers see them: always scoped to the caller's tenant. */
export class IntentService {
  constructor(
    private readonly orm: MikroORM,
    private readonly pool: pg.Pool,
    private readonly jobs: JobQueue,
    readonly events: EventLog,
    private readonly bus: EventBus,
    private readonly limits: LimitService,
    private readonly defaults: { bidWindowMs: number },
  ) {}

  /** Stores the intent and enqueues its auction as a durable job; returns at once. */
  async submit(auth: AuthInfo, input: SubmitIntentInput): Promise<Intent> {
    const valid = validateIntentInput(auth, input);
    const em = this.orm.em.fork();
    // The same key with the same request returns the intent it created; with another
    // request it is refused. Scoped to the tenant.
    const fingerprint = valid.idempotencyKey ? createHash('sha256').update(JSON.stringify({ ...valid, idempotencyKey: null })).digest('hex') : null;
    if (valid.idempotencyKey) {
      const existing = await this.byIdempotencyKey(auth, valid.idempotencyKey, fingerprint!);
      if (existing) return existing;
    }
    // Quota is taken only for what is admitted, and given back if storing fails.
    const giveBack = await this.limits.takeIntent(auth);
    // The intent and its first event in one statement; the auction job right after.
    const created = { text: valid.text, domain: valid.domain, auctionTier: valid.auctionTier, sandbox: auth.sandbox };
    const { rows } = await this.pool.query(
      `with i as (
         insert into intents (tenant_id, api_key_id, user_id, text, domain, auction_tier, status, sandbox, metadata, webhook_url,
                              idempotency_key, idempotency_fingerprint, bid_window_ms, event_seq, created_at)
         values ($1, $2, $3, $4, $5, $6, 'pending', $7, $8, $9, $10, $13, $11, 1, now())
         on conflict (tenant_id, idempotency_key) do nothing
         returning *),
       e as (insert into intent_events (intent_id, tenant_id, seq, type, payload, created_at)
             select i.id, i.tenant_id, 1, 'created', $12::jsonb, i.created_at from i)
       select * from i`,
      [
        auth.tenantId,
        auth.keyId,
        auth.userId,
        valid.text,
        valid.domain,
        valid.auctionTier,
        auth.sandbox,
        valid.metadata === null ? null : JSON.stringify(valid.metadata),
        valid.webhookUrl,
        valid.idempotencyKey,
        valid.bidWindowMs ?? this.defaults.bidWindowMs,
        JSON.stringify(created),
        fingerprint,
      ],
    ).catch(async (error: unknown) => {
      await giveBack();
      throw error;
    });
    if (rows.length === 0) {
      // A concurrent request with the same key won the insert: this one is its replay.
      await giveBack();
      const existing = await this.byIdempotencyKey(auth, valid.idempotencyKey!, fingerprint!);
      if (existing) return existing;
      throw new AppError('CONFLICT', 'A request with this idempotency key is being processed; retry shortly');
    }
    const intent = em.map(Intent, rows[0]);
    this.events.publish([{ intentId: intent.id, tenantId: auth.tenantId, seq: 1, type: 'created', at: intent.createdAt.toISOString(), payload: created }]);
    await this.enqueue(intent.id);
    return intent;
  }

  private async byIdempotencyKey(auth: AuthInfo, key: string, fingerprint: string): Promise<Intent | null> {
    const existing = await this.orm.em.fork().findOne(Intent, { tenant: auth.tenantId, idempotencyKey: key }, { populate: ['winningAgent'] });
    if (existing && existing.idempotencyFingerprint !== fingerprint) {
      throw new AppError('IDEMPOTENCY_KEY_REUSED', 'This idempotency key was already used with a different request');
    }
    return existing;
  }

  /** Idempotent: the job id is derived from the intent id. */
  enqueue(intentId: number): Promise<void> {
    return this.jobs.send(AUCTION_QUEUE, { intentId }, jobIdFor(AUCTION_JOB_KIND, intentId));
  }

  /**
   * Re-enqueues intents that were stored but whose job was never sent (a crash between
   * the two writes). Safe to run on every instance: the deterministic job id dedupes.
   */
  async sweepUnqueued(olderThanMs = 5_000): Promise<number> {
    const em = this.orm.em.fork();
    const stale = await em.find(
      Intent,
      { status: 'pending', createdAt: { $lt: new Date(Date.now() - olderThanMs) } },
      { fields: ['id'], limit: 500 },
    );
    for (const intent of stale) await this.enqueue(intent.id);
    return stale.length;
  }

  /** Another tenant's intent is indistinguishable from a missing one. */
  async get(auth: AuthInfo, id: number | string, em: EntityManager = this.orm.em.fork()): Promise<Intent> {
    const numeric = typeof id === 'number' ? id : /^\d{1,15}$/.test(id) ? Number(id) : NaN;
    const intent = Number.isSafeInteger(numeric)
      ? await em.findOne(Intent, { id: numeric, tenant: auth.tenantId }, { populate: ['winningAgent'] })
      : null;
    if (!intent) throw notFound('Intent');
    return intent;
  }

  async list(auth: AuthInfo, filter: IntentListFilter): Promise<{ items: Intent[]; total: number }> {
    const where: Record<string, unknown> = { tenant: auth.tenantId };
    if (filter.status === 'in_progress') where.status = { $in: ['bidding', 'executing', 'verifying'] };
    else if (filter.status) where.status = filter.status;
    const [items, total] = await this.orm.em.fork().findAndCount(Intent, where, {
      orderBy: { createdAt: 'desc', id: 'desc' },
      limit: filter.limit,
      offset: filter.offset,
      populate: ['winningAgent'],
    });
    return { items, total };
  }

  async bids(intentId: number): Promise<Bid[]> {
    return this.orm.em.fork().find(Bid, { intent: intentId }, { orderBy: { rank: 'asc', id: 'asc' }, populate: ['agent'] });
  }

  /** Stops an intent that has not finished; a finished one is left as it is and reported. */
  async cancel(auth: AuthInfo, id: number | string): Promise<Intent> {
    const em = this.orm.em.fork();
    const intent = await this.get(auth, id, em);
    if (TERMINAL_STATUSES.includes(intent.status)) {
      throw new AppError('CONFLICT', `Intent ${intent.id} already ${intent.status}`);
    }
    const updated = await em.nativeUpdate(
      Intent,
      { id: intent.id, status: { $nin: [...TERMINAL_STATUSES] } },
      { status: 'cancelled', completedAt: new Date(), errorCode: 'cancelled', errorMessage: 'Cancelled by the caller' },
    );
    if (updated > 0) await this.events.append(intent.id, auth.tenantId, [{ type: 'cancelled', payload: { reason: 'Cancelled by the caller' } }]);
    return this.get(auth, id);
  }

  /**
   * Resolves once the intent reaches a final status (or the timeout passes), with the
   * latest stored state. Woken by the intent's terminal event (from any instance, with
   * Redis); a slow poll is the safety net.
   */
  async waitForCompletion(auth: AuthInfo, id: number, timeoutMs: number): Promise<Intent> {
    const deadline = Date.now() + timeoutMs;
    // `finished` is set by the terminal event even while a read is in flight, so a
    // completion that lands between a read and the wait is never slept through.
    let finished = false;
    let wake: () => void = () => {};
    const subscription = this.bus.pubsub.subscribe('final', id);
    void (async () => {
      for await (const e of subscription) {
        if (TERMINAL_EVENTS.includes(e.type as EventType)) {
          finished = true;
          wake();
        }
      }
    })();
    try {
      for (let pollMs = 50; ; pollMs = Math.min(pollMs * 2, 1_000)) {
        const intent = await this.get(auth, id);
        if (TERMINAL_STATUSES.includes(intent.status) || Date.now() >= deadline) return intent;
        if (finished) continue; // the final write landed after our read: read again now
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.min(pollMs, Math.max(0, deadline - Date.now())));
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    } finally {
      await subscription.return?.();
    }
  }
}
