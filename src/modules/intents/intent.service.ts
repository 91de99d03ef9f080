import { createHash } from 'node:crypto';
import { statsBacklogPart } from '../agents/index.js';
import { inTransaction } from '../../db/transaction.js';
import type { MikroORM } from '@mikro-orm/postgresql';
import type pg from 'pg';
import { untilDone } from '../../lib/until-done.js';
import type { Sql } from '../../db/sql.js';
import { AppError, notFound } from '../../errors/app-error.js';
import { randomBase62 } from '../../lib/random.js';
import type { JobQueue } from '../../jobs/job-queue.js';
import type { Logger } from '../../observability/logger.js';
import type { EventBus } from '../events/index.js';
import type { EventLog } from '../events/index.js';
import { createdEventPart } from '../events/index.js';
import { TERMINAL_EVENTS, type EventType } from '../events/intent-event.entity.js';
import type { AuthInfo } from '../keys/index.js';
import type { LimitService } from '../limits/index.js';
import { Intent, TERMINAL_STATUSES, type Bid, type IntentOrder, type IntentStatus } from './intent.entity.js';
import * as store from './intent.store.js';
import type { IntentFollowUps } from './intent-follow-ups.js';
import type { WalletService } from '../wallet/index.js';
import type { WebhookService } from '../webhooks/index.js';
import { validateIntentInput, validateWebhooks, type SubmitIntentInput, type ValidIntentInput } from './intent-input.js';

/** How long an idempotency key keeps answering with the intent it created. */
const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;

export interface IntentListFilter {
  status?: IntentStatus | 'in_progress' | null;
  /** The intent's domain hint or its winning agent's domain. */
  domain?: string | null;
  createdAfter?: Date | null;
  createdBefore?: Date | null;
  orderBy?: IntentOrder | null;
  limit: number;
  offset: number;
}

/**
 * What intents need of the auctions that run them, handed in by the composition root:
 * the queue and ids of auction jobs, the run's hint for a job started here, an intent's
 * bids. The auctions module reads intents, so intents name none of its code.
 */
export interface AuctionJobs {
  queue: string;
  kind: number;
  jobId(intentId: number): string;
  hint(row: Record<string, any>): unknown;
  bidsOf(intentId: number): Promise<Bid[]>;
}

/**
 * A direct call: the agent that runs the intent with no auction, and rows of another
 * module written in the intent's statement (`Sql` parts reading the `intent` CTE), e.g. a
 * session's turn, so the two are stored together or not at all.
 */
export interface DirectCall {
  agent: string;
  also?: Sql[];
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
    private readonly webhooks: WebhookService,
    private readonly wallet: WalletService,
    private readonly followUps: IntentFollowUps,
    private readonly defaults: { bidWindowMs: number; allowPrivateWebhooks: boolean },
    private readonly auctions: AuctionJobs,
    private readonly logger: Logger,
  ) {}

  /**
   * Stores the intent and enqueues its auction as a durable job; returns at once, or
   * with `waitMs` once the intent is final (or the wait is over).
   */
  async submit(auth: AuthInfo, input: SubmitIntentInput, waitMs = 0, direct?: DirectCall): Promise<Intent> {
    const stored = await this.store(auth, input, direct);
    if (waitMs <= 0 || TERMINAL_STATUSES.includes(stored.status)) return stored.entity();
    // Its status was just read (or written), by this tenant: the wait need not read it first.
    return this.waitForCompletion(auth, stored.id, waitMs, stored.status);
  }

  /** Stores the intent (or finds the one its idempotency key stands for); its entity is made only if asked for. */
  private async store(auth: AuthInfo, input: SubmitIntentInput, direct?: DirectCall): Promise<StoredIntent> {
    const valid = this.validate(auth, input);
    // The same key with the same request returns the intent it created; with another
    // request it is refused. Scoped to the tenant.
    const fingerprint = valid.idempotencyKey
      ? createHash('sha256')
          .update(JSON.stringify({ ...valid, idempotencyKey: null }))
          .digest('hex')
      : null;
    if (valid.idempotencyKey) {
      const existing = await this.byIdempotencyKey(auth, valid.idempotencyKey, fingerprint!);
      if (existing) return storedAs(existing);
    }
    const { holds, release } = await this.admit(auth, [valid.text]);
    // With a free local slot, the auction's job is stored already started here, in the
    // statement that stores the intent: no fetch, no claim, the bids are asked at once.
    const slot = this.jobs.reserve(this.auctions.queue);
    const rows = await this.insert(this.pool, auth, valid, {
      fingerprint,
      holdMicros: holds[0]!,
      batchId: null,
      job: { startedHere: slot !== null },
      direct,
    }).catch(async (error: unknown) => {
      slot?.release();
      await release();
      throw error;
    });
    if (rows.length === 0) {
      // A concurrent request with the same key won the insert: this one is its replay.
      slot?.release();
      await release();
      const existing = await this.byIdempotencyKey(auth, valid.idempotencyKey!, fingerprint!);
      if (existing) return storedAs(existing);
      throw new AppError('CONFLICT', 'A request with this idempotency key is being processed; retry shortly');
    }
    const row = rows[0]!;
    this.announceCreated(auth, rows);
    if (slot) slot.run(this.auctions.jobId(row.id), { intentId: row.id }, this.auctions.hint(row));
    else this.jobs.wake(this.auctions.queue);
    return { id: row.id, status: row.status, entity: () => this.entityOf(row) };
  }

  /**
   * Stores a batch and all its intents in one transaction, after admitting them together
   * (quota and wallet: all or nothing), then enqueues every auction. Every intent carries
   * the batch's webhook, so each result is delivered as it completes.
   */
  async submitBatch(
    auth: AuthInfo,
    inputs: SubmitIntentInput[],
    hooks: Pick<SubmitIntentInput, 'webhookUrl' | 'webhook'>,
  ): Promise<{ batchId: string; intents: Intent[] }> {
    const shared = validateWebhooks(auth, hooks, { allowPrivateWebhooks: this.defaults.allowPrivateWebhooks });
    this.webhooks.assertConfigured(shared.webhook, shared.webhookUrl);
    const valid = inputs.map((input, i) => {
      try {
        return { ...this.validate(auth, { ...input, webhookUrl: null, webhook: null, idempotencyKey: null }), ...shared };
      } catch (error) {
        if (error instanceof AppError) throw new AppError(error.code, `intents[${i}]: ${error.message}`, { field: `intents.${i}` });
        throw error;
      }
    });
    const { holds, release } = await this.admit(
      auth,
      valid.map((v) => v.text),
    );
    const batchId = `batch_${randomBase62(16)}`;
    const rows = await inTransaction(this.pool, async (client) => {
      await store.insertBatch(client, {
        id: batchId,
        tenantId: auth.tenantId,
        apiKeyId: auth.keyId,
        webhookUrl: shared.webhookUrl,
        webhook: shared.webhook ? JSON.stringify(shared.webhook) : null,
        submitted: valid.length,
      });
      const stored: Record<string, unknown>[] = [];
      for (const [i, v] of valid.entries())
        stored.push(...(await this.insert(client, auth, v, { fingerprint: null, holdMicros: holds[i]!, batchId, job: null })));
      return stored;
    }).catch(async (error: unknown) => {
      await release();
      throw error;
    });
    this.announceCreated(auth, rows);
    const em = this.orm.em.fork();
    const intents = rows.map((row) => em.map(Intent, row));
    await this.jobs.sendMany(
      this.auctions.queue,
      intents.map((intent) => ({ data: { intentId: intent.id }, id: this.auctions.jobId(intent.id) })),
    );
    return { batchId, intents };
  }

  private validate(auth: AuthInfo, input: SubmitIntentInput): ValidIntentInput {
    const valid = validateIntentInput(auth, input, { allowPrivateWebhooks: this.defaults.allowPrivateWebhooks });
    this.webhooks.assertConfigured(valid.webhook, valid.webhookUrl);
    return valid;
  }

  /**
   * Takes the month's quota and holds wallet funds for these intents, all or nothing;
   * `release` gives both back when the intents are then not stored.
   */
  private async admit(auth: AuthInfo, texts: string[]): Promise<{ holds: number[]; release: () => Promise<void> }> {
    const holds = texts.map((text) => this.wallet.holdFor(auth, [text]));
    const giveBackQuota = await this.limits.takeIntents(auth, texts.length);
    try {
      const releaseHold = await this.wallet.hold(
        auth,
        holds.reduce((a, b) => a + b, 0),
      );
      // Given back until it takes: a submit that failed because the database went away
      // would otherwise keep its hold and its quota slot for good.
      const giveUp = (what: string) => (error: unknown) => this.logger.error({ err: error, tenantId: auth.tenantId }, `giving back ${what} failed for good`);
      return {
        holds,
        release: () => Promise.all([untilDone(giveBackQuota, giveUp('a quota slot')), untilDone(releaseHold, giveUp('a wallet hold'))]).then(() => undefined),
      };
    } catch (error) {
      await giveBackQuota();
      throw error;
    }
  }

  /**
   * The intent and its first event in one statement, and with `job` its auction's job too
   * (started here: the intent is then already `bidding`); no row when an idempotency key
   * already holds one.
   */
  private async insert(
    db: pg.Pool | pg.PoolClient,
    auth: AuthInfo,
    valid: ValidIntentInput,
    extra: { fingerprint: string | null; holdMicros: number; batchId: string | null; job: { startedHere: boolean } | null; direct?: DirectCall },
  ): Promise<Record<string, any>[]> {
    const parts = [createdEventPart(createdPayload(auth, valid)), ...(extra.direct?.also ?? [])];
    if (extra.job) {
      parts.push(store.jobOfInsertedIntentPart(this.auctions.queue, this.auctions.kind, extra.job.startedHere));
    }
    return store.insertIntent(
      db,
      {
        tenantId: auth.tenantId,
        apiKeyId: auth.keyId,
        userId: auth.userId,
        text: valid.text,
        domain: valid.domain,
        auctionTier: valid.auctionTier,
        sandbox: auth.sandbox,
        metadata: valid.metadata === null ? null : JSON.stringify(valid.metadata),
        webhookUrl: valid.webhookUrl,
        webhook: valid.webhook === null ? null : JSON.stringify(valid.webhook),
        selection: valid.selection === null ? null : JSON.stringify(valid.selection),
        idempotencyKey: valid.idempotencyKey,
        idempotencyFingerprint: extra.fingerprint,
        bidWindowMs: valid.bidWindowMs ?? this.defaults.bidWindowMs,
        holdMicros: extra.holdMicros,
        batchId: extra.batchId,
        directAgent: extra.direct?.agent ?? null,
        biddingNow: extra.job?.startedHere ?? false,
      },
      parts,
    );
  }

  /** Publishes the `created` events of stored intent rows. */
  private announceCreated(auth: AuthInfo, rows: Record<string, any>[]): void {
    this.events.publish(
      rows.map((row) => ({
        intentId: row.id,
        tenantId: auth.tenantId,
        seq: 1,
        type: 'created' as const,
        at: (row.created_at as Date).toISOString(),
        payload: { text: row.text, domain: row.domain, auctionTier: row.auction_tier, sandbox: row.sandbox },
      })),
    );
  }

  /**
   * The intent an idempotency key already stands for, within its 24 hours (Mindra);
   * an older use releases the key, so it may start something new.
   */
  private async byIdempotencyKey(auth: AuthInfo, key: string, fingerprint: string, now = Date.now()): Promise<Intent | null> {
    const em = this.orm.em.fork();
    const existing = await store.intentByIdempotencyKey(em, auth.tenantId, key);
    if (existing && existing.createdAt.getTime() < now - IDEMPOTENCY_WINDOW_MS) {
      await store.releaseIdempotencyKey(em, existing.id, key);
      return null;
    }
    if (existing && existing.idempotencyFingerprint !== fingerprint) {
      throw new AppError('IDEMPOTENCY_KEY_REUSED', 'This idempotency key was already used with a different request');
    }
    return existing;
  }

  /** Idempotent: the job id is derived from the intent id. */
  enqueue(intentId: number): Promise<void> {
    return this.jobs.send(this.auctions.queue, { intentId }, this.auctions.jobId(intentId));
  }

  /**
   * Re-enqueues intents that were stored but whose job was never sent (a crash between
   * the two writes). Safe to run on every instance: the deterministic job id dedupes.
   */
  async sweepUnqueued(olderThanMs = 5_000): Promise<number> {
    const stale = await store.pendingSince(this.orm.em.fork(), new Date(Date.now() - olderThanMs), 500);
    for (const id of stale) await this.enqueue(id);
    return stale.length;
  }

  /**
   * Another tenant's intent is indistinguishable from a missing one. One plain query
   * mapped onto the entity: this is the read behind every receipt, and the ORM's query
   * building would cost more than the query (the winning agent comes from the roster).
   */
  async get(auth: AuthInfo, id: number | string): Promise<Intent> {
    const numeric = intentIdOf(id);
    const row = numeric === null ? undefined : await store.intentRow(this.pool, numeric, auth.tenantId);
    if (!row) throw notFound('Intent');
    return this.entityOf(row);
  }

  /** An `intents` row (as a plain query or a write's `returning *` gives it) as the entity. */
  private entityOf(row: Record<string, unknown>): Intent {
    return this.orm.em.fork().map(Intent, row);
  }

  /** The intent's status alone; another tenant's intent is as missing as a missing one. */
  private async statusOf(auth: AuthInfo, id: number): Promise<IntentStatus> {
    const status = await store.intentStatus(this.pool, id, auth.tenantId);
    if (!status) throw notFound('Intent');
    return status;
  }

  async list(auth: AuthInfo, filter: IntentListFilter): Promise<{ items: Intent[]; total: number }> {
    return store.listIntents(this.orm.em.fork(), auth.tenantId, filter);
  }

  async bids(intentId: number): Promise<Bid[]> {
    return this.auctions.bidsOf(intentId);
  }

  /** Stops an intent that has not finished; a finished one is left as it is and reported. */
  async cancel(auth: AuthInfo, id: number | string): Promise<Intent> {
    const intent = await this.get(auth, id);
    if (TERMINAL_STATUSES.includes(intent.status)) {
      throw new AppError('CONFLICT', `Intent ${intent.id} already ${intent.status}`);
    }
    // The state, its `cancelled` event and the intent's place in the agents' figures, in
    // one statement, as the auction's own final write (see EventLog.write, statsBacklogPart).
    const reason = 'Cancelled by the caller';
    const written = await this.events.write(intent.id, auth.tenantId, [{ type: 'cancelled', payload: { reason } }], {
      set: {
        status: 'cancelled',
        completed_at: new Date(),
        error_code: 'cancelled',
        error_message: reason,
      },
      onlyIfNotFinal: true,
      also: [statsBacklogPart(intent.id)],
    });
    if (written) await this.followUps.final(intent.id);
    return this.get(auth, id);
  }

  /**
   * Resolves once the intent reaches a final status (or the timeout passes), with the
   * latest stored state. Woken by the intent's terminal event (from any instance, with
   * Redis); a slow poll is the safety net. Its first read is the access check (`get`).
   */
  async waitForCompletion(auth: AuthInfo, anyId: number | string, timeoutMs: number, knownStatus?: IntentStatus): Promise<Intent> {
    const id = intentIdOf(anyId);
    if (id === null) throw notFound('Intent');
    const deadline = Date.now() + timeoutMs;
    // `finished` is set by the terminal event even while a read is in flight, so a
    // completion that lands between a read and the wait is never slept through.
    let finished = false;
    let wake: () => void = () => {};
    // An intent that ends in this process hands over its final row: no read back.
    let finalRow: Record<string, unknown> | null = null;
    const unwatch = this.events.watchFinalRow(id, (row) => {
      finalRow = row;
      finished = true;
      wake();
    });
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
      // Polls read only the status (the first is also the access check, unless the caller
      // just read it); the intent is read in full once, for the answer. A terminal event
      // is published only after its write, so once it has been seen the status need not
      // be read again.
      let status = knownStatus ?? (await this.statusOf(auth, id));
      for (let pollMs = 50; !finished && !TERMINAL_STATUSES.includes(status) && Date.now() < deadline; pollMs = Math.min(pollMs * 2, 1_000)) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.min(pollMs, Math.max(0, deadline - Date.now())));
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
          if (finished) wake();
        });
        if (!finished) status = await this.statusOf(auth, id);
      }
      const row = finalRow as Record<string, unknown> | null;
      if (row && row.tenant_id === auth.tenantId) return this.entityOf(row);
      return await this.get(auth, id);
    } finally {
      unwatch();
      await subscription.return?.();
    }
  }
}

/** A stored intent: what a waiting submit needs, and the entity for one that answers at once. */
interface StoredIntent {
  id: number;
  status: IntentStatus;
  entity: () => Intent;
}

function storedAs(intent: Intent): StoredIntent {
  return { id: intent.id, status: intent.status, entity: () => intent };
}

/** An intent id as callers may give it (REST paths, GraphQL IDs); null when it cannot be one. */
function intentIdOf(id: number | string): number | null {
  const numeric = typeof id === 'number' ? id : /^\d{1,15}$/.test(id) ? Number(id) : NaN;
  return Number.isSafeInteger(numeric) ? numeric : null;
}

/** The `created` event's payload: what was asked, as stored. */
function createdPayload(auth: AuthInfo, valid: ValidIntentInput) {
  return { text: valid.text, domain: valid.domain, auctionTier: valid.auctionTier, sandbox: auth.sandbox };
}
