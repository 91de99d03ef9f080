import { createHash } from 'node:crypto';
import type pg from 'pg';
import * as store from './idempotency.store.js';

/** How long a key answers with its first result (Mindra: "within 24 hours"). */
export const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;
/** A claim with no result after this long belongs to a request whose process stopped. */
const ABANDONED_AFTER_MS = 10 * 60 * 1000;

/** What a mutation sent with an idempotency key should do. */
export type Admission =
  | { kind: 'run'; done: (result: Record<string, unknown> | null) => Promise<void>; failed: () => Promise<void> }
  | { kind: 'replay'; result: Record<string, unknown> }
  | { kind: 'secret' }
  | { kind: 'reused' }
  | { kind: 'running' };

export interface IdempotentCall {
  tenantId: string;
  key: string;
  /** The operation's text and name, and its variables. */
  operation: string;
  variables: unknown;
  /** The answer holds a secret shown once: it is never stored, so a repeat cannot show it. */
  secret: boolean;
}

/**
 * Idempotency keys on every mutation of every transport that carries headers (GraphQL
 * over HTTP and every REST dialect's POST): the first request with a key runs and its
 * result is kept; a repeat with the same request answers that result and runs nothing;
 * the same key with another request is refused.
 */
export class IdempotencyService {
  constructor(private readonly pool: pg.Pool) {}

  async admit(call: IdempotentCall, now = new Date(), again = false): Promise<Admission> {
    const fingerprint = createHash('sha256')
      .update(call.operation)
      .update('\u0000')
      .update(JSON.stringify(call.variables ?? null))
      .digest('hex');
    const { tenantId, key } = call;
    const limits = { expiredBefore: new Date(now.getTime() - IDEMPOTENCY_WINDOW_MS), abandonedBefore: new Date(now.getTime() - ABANDONED_AFTER_MS) };
    if (await store.claim(this.pool, tenantId, key, fingerprint, now, limits)) {
      return {
        kind: 'run',
        done: (result) => store.complete(this.pool, tenantId, key, call.secret ? null : result, call.secret),
        failed: () => store.release(this.pool, tenantId, key),
      };
    }
    const existing = await store.claimed(this.pool, tenantId, key);
    // Released between the claim and the read (the first request failed): claim it once more.
    if (!existing) return again ? { kind: 'running' } : this.admit(call, now, true);
    if (existing.fingerprint !== fingerprint) return { kind: 'reused' };
    if (existing.secret) return { kind: 'secret' };
    return existing.result ? { kind: 'replay', result: existing.result } : { kind: 'running' };
  }

  /** Drops keys past their window. */
  sweep(now = Date.now()): Promise<void> {
    return store.deleteExpired(this.pool, new Date(now - IDEMPOTENCY_WINDOW_MS));
  }
}
