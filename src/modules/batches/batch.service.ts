import type { MikroORM } from '@mikro-orm/postgresql';
import type pg from 'pg';
import { forbidden, invalid, notFound } from '../../errors/app-error.js';
import type { AuthInfo } from '../keys/index.js';
import type { IntentService } from '../intents/index.js';
import type { SubmitIntentInput } from '../intents/index.js';
import type { Intent } from '../intents/intent.entity.js';
import { intentsOfBatch, recentMeanSeconds, statusCountsOfBatch } from '../intents/index.js';
import type { Batch } from './batch.entity.js';
import { tenantsBatch } from './batch.store.js';

export const MAX_BATCH = 100;
/** Assumed per-intent duration when nothing has completed recently. */
const DEFAULT_INTENT_SECONDS = 5;

export interface BatchProgress {
  batch: Batch;
  counts: { pending: number; inProgress: number; completed: number; failed: number; cancelled: number };
}

/** OctoMind's batch processing (Enterprise): admission is all or nothing, results go to the batch webhook. */
export class BatchService {
  constructor(
    private readonly orm: MikroORM,
    private readonly pool: pg.Pool,
    private readonly intents: IntentService,
    private readonly auctionConcurrency: number,
  ) {}

  async submit(
    auth: AuthInfo,
    items: SubmitIntentInput[],
    hooks: Pick<SubmitIntentInput, 'webhookUrl' | 'webhook'>,
  ): Promise<{ batchId: string; submitted: number; estimatedDurationS: number }> {
    if (auth.tier !== 'enterprise') throw forbidden('Batch processing needs an Enterprise plan');
    if (!Array.isArray(items) || items.length === 0 || items.length > MAX_BATCH) {
      throw invalid(`intents must hold 1 to ${MAX_BATCH} intents`, 'intents');
    }
    const { batchId, intents } = await this.intents.submitBatch(auth, items, hooks);
    return { batchId, submitted: intents.length, estimatedDurationS: await this.estimateSeconds(intents.length) };
  }

  /** Recent mean duration times the rounds the auction workers need; a guide, not a promise. */
  private async estimateSeconds(count: number): Promise<number> {
    const perIntent = (await recentMeanSeconds(this.pool)) ?? DEFAULT_INTENT_SECONDS;
    const rounds = Math.ceil(count / Math.max(1, this.auctionConcurrency));
    return Math.max(1, Math.ceil(perIntent * rounds));
  }

  /** Another tenant's batch is indistinguishable from a missing one. */
  async get(auth: AuthInfo, id: string): Promise<BatchProgress> {
    const batch = /^batch_[A-Za-z0-9]{1,34}$/.test(id) ? await tenantsBatch(this.orm.em.fork(), auth.tenantId, id) : null;
    if (!batch) throw notFound('Batch');
    const by = await statusCountsOfBatch(this.pool, id);
    return {
      batch,
      counts: {
        pending: by.pending ?? 0,
        inProgress: (by.bidding ?? 0) + (by.executing ?? 0) + (by.verifying ?? 0),
        completed: by.completed ?? 0,
        failed: by.failed ?? 0,
        cancelled: by.cancelled ?? 0,
      },
    };
  }

  async intentsOf(batchId: string, limit: number, offset: number): Promise<{ items: Intent[]; total: number }> {
    return intentsOfBatch(this.orm.em.fork(), batchId, limit, offset);
  }
}
