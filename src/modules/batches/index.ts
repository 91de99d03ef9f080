/** The batches module: up to 100 intents submitted at once, counted together. */
import type { MikroORM } from '@mikro-orm/postgresql';
import type pg from 'pg';
import type { IntentService } from '../intents/index.js';
import { BatchService } from './batch.service.js';

export { BatchService } from './batch.service.js';

export function createBatches(deps: { orm: MikroORM; pool: pg.Pool; intents: IntentService; auctionConcurrency: number }): BatchService {
  return new BatchService(deps.orm, deps.pool, deps.intents, deps.auctionConcurrency);
}
