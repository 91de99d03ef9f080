import type { EntityManager } from '@mikro-orm/postgresql';
import { run, sql, type Db } from '../../db/sql.js';
import { Batch } from './batch.entity.js';

/** Everything that reads or writes `batches` (the batches module's table). */

export interface NewBatchRow {
  id: string;
  tenantId: string;
  apiKeyId: string;
  webhookUrl: string | null;
  /** JSON. */
  webhook: string | null;
  submitted: number;
}

export async function insertBatch(db: Db, batch: NewBatchRow): Promise<void> {
  await run(
    db,
    sql`insert into batches (id, tenant_id, api_key_id, webhook_url, webhook, submitted, created_at)
        values (${batch.id}, ${batch.tenantId}, ${batch.apiKeyId}, ${batch.webhookUrl}, ${batch.webhook}, ${batch.submitted}, now())`,
  );
}

/** The tenant's batch (another tenant's is as missing as a missing one). */
export function tenantsBatch(em: EntityManager, tenantId: string, id: string): Promise<Batch | null> {
  return em.findOne(Batch, { id, tenant: tenantId });
}
