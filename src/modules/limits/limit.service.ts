import { AppError } from '../../errors/app-error.js';
import type { Metrics } from '../../observability/metrics.js';
import type { AuthInfo } from '../keys/index.js';
import type { Tier } from '../tenants/tenant.entity.js';
import type { CounterStore } from './limit.store.js';

/** OctoMind's defaults per tier; null is unlimited. A key may set its own ceilings. */
export const TIER_LIMITS: Record<Tier, { perMinute: number | null; monthlyIntents: number | null }> = {
  free: { perMinute: 60, monthlyIntents: 20 },
  pro: { perMinute: 300, monthlyIntents: 500 },
  enterprise: { perMinute: null, monthlyIntents: null },
};

export interface RateState {
  limit: number;
  remaining: number;
  /** Epoch seconds when the window resets. */
  reset: number;
}

export function rateHeaders(state: RateState): Record<string, string> {
  return { 'X-RateLimit-Limit': String(state.limit), 'X-RateLimit-Remaining': String(state.remaining), 'X-RateLimit-Reset': String(state.reset) };
}

/**
 * Per-key request rate (fixed one-minute windows) and monthly intent quota, on shared
 * counters: `rates` may be Redis (a lost minute is a minute), `quotas` are durable (a
 * month of usage must survive a Redis restart), so always PostgreSQL.
 */
export class LimitService {
  constructor(
    private readonly counters: { rates: CounterStore; quotas: CounterStore },
    private readonly metrics: Pick<Metrics, 'limitRefusals'>,
  ) {}

  effective(auth: AuthInfo): { perMinute: number | null; monthlyIntents: number | null } {
    const tier = TIER_LIMITS[auth.tier];
    return {
      perMinute: auth.rateLimitPerMinute ?? tier.perMinute,
      monthlyIntents: auth.monthlyIntentQuota ?? tier.monthlyIntents,
    };
  }

  /**
   * Counts one request against the key's per-minute limit and, when it has one, its
   * per-day ceiling; throws RATE_LIMIT_EXCEEDED past either. The state returned (the
   * rate headers) is the window with fewer requests left. Null: unlimited, or not counted.
   */
  async countRequest(auth: AuthInfo, now = Date.now()): Promise<RateState | null> {
    const perMinute = this.effective(auth).perMinute;
    const perDay = auth.rateLimitPerDay ?? null;
    const minute = perMinute === null ? null : await this.countWindow(auth, perMinute, 60, 'minute', now);
    const day = perDay === null ? null : await this.countWindow(auth, perDay, 86_400, 'day', now);
    if (!minute || !day) return minute ?? day;
    return day.remaining < minute.remaining ? day : minute;
  }

  private async countWindow(auth: AuthInfo, limit: number, seconds: number, name: 'minute' | 'day', now: number): Promise<RateState | null> {
    const window = Math.floor(now / (seconds * 1000));
    const count = await this.counters.rates.hit(`${name === 'minute' ? 'rpm' : 'rpd'}:${auth.keyId}:${window}`, seconds * 2000);
    if (count === null) return null; // uncounted (Redis away): let through, with no rate headers that would guess
    const reset = (window + 1) * seconds;
    const state = { limit, remaining: Math.max(0, limit - count), reset };
    if (count > limit) {
      this.metrics.limitRefusals.inc({ kind: name === 'minute' ? 'rate' : 'daily_rate', key_tier: auth.tier });
      const retryAfter = Math.max(1, reset - Math.floor(now / 1000));
      throw new AppError('RATE_LIMIT_EXCEEDED', `Rate limit of ${limit} requests per ${name} reached. Resets in ${retryAfter} s.`, {
        retryAfterSeconds: retryAfter,
        headers: { 'Retry-After': String(retryAfter), ...rateHeaders(state) },
      });
    }
    return state;
  }

  /**
   * Takes `count` intents of the month's quota, atomically and all or nothing (N
   * concurrent submissions against one remaining admit exactly one; a batch either fits
   * whole or is refused). Returns how to give them back if the intents are then not
   * stored. Sandbox keys are not charged, so they take no quota.
   */
  async takeIntents(auth: AuthInfo, count = 1, now = new Date()): Promise<() => Promise<void>> {
    const quota = this.effective(auth).monthlyIntents;
    if (quota === null || auth.sandbox) return async () => {};
    const { key, resetsAt } = monthKey(auth.keyId, now);
    if (await this.counters.quotas.take(key, quota, resetsAt.getTime() - now.getTime() + 86_400_000, count)) {
      return () => this.counters.quotas.giveBack(key, count);
    }
    this.metrics.limitRefusals.inc({ kind: 'monthly_quota', key_tier: auth.tier });
    const seconds = Math.max(1, Math.ceil((resetsAt.getTime() - now.getTime()) / 1000));
    const days = Math.ceil(seconds / 86_400);
    const resets = `Resets in ${days} day${days === 1 ? '' : 's'}.`;
    const message =
      count === 1 ? `Monthly intent quota of ${quota} reached. ${resets}` : `Monthly intent quota of ${quota} has fewer than ${count} intents left. ${resets}`;
    throw new AppError('RATE_LIMIT_EXCEEDED', message, {
      retryAfterSeconds: seconds,
      headers: { 'Retry-After': String(seconds) },
    });
  }

  /** Intents taken from this month's quota so far. */
  monthUsed(auth: AuthInfo, now = new Date()): Promise<number> {
    return this.counters.quotas.peek(monthKey(auth.keyId, now).key);
  }
}

function monthKey(keyId: string, now: Date): { key: string; resetsAt: Date } {
  const month = `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
  return { key: `quota:${keyId}:${month}`, resetsAt: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)) };
}
