/** The idempotency module: idempotency keys on every mutation that arrives with headers. */
import type pg from 'pg';
import { IdempotencyService } from './idempotency.service.js';

export { IdempotencyService, IDEMPOTENCY_WINDOW_MS, type Admission } from './idempotency.service.js';

export function createIdempotency(deps: { pool: pg.Pool }): IdempotencyService {
  return new IdempotencyService(deps.pool);
}
