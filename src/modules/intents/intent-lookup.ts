import type { MikroORM } from '@mikro-orm/postgresql';
import type pg from 'pg';
import { notFound } from '../../errors/app-error.js';
import { Intent, type Bid } from './intent.entity.js';
import type { AuctionJobs } from './intent.service.js';
import { intentRowById } from './intent.store.js';

/**
 * The operator's read of any tenant's intent by id (the CLI's `intents show`): no
 * tenant scope, no job queue, so it needs only the database and the auctions' bids.
 */
export class IntentLookup {
  constructor(
    private readonly orm: MikroORM,
    private readonly pool: pg.Pool,
    private readonly auctions: Pick<AuctionJobs, 'bidsOf'>,
  ) {}

  async show(id: number): Promise<{ intent: Intent; bids: Bid[] }> {
    const row = Number.isSafeInteger(id) && id > 0 ? await intentRowById(this.pool, id) : undefined;
    if (!row) throw notFound('Intent');
    const intent = this.orm.em.fork().map(Intent, row);
    return { intent, bids: await this.auctions.bidsOf(id) };
  }
}
