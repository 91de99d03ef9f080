import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { inTransaction } from '../../db/transaction.js';
import type pg from 'pg';
import { AppError, invalid, notFound } from '../../errors/app-error.js';
import type { AgentRegistry } from '../agents/agent-registry.js';
import { countTokens } from '../agents/executors/tokens.js';
import type { AuthInfo } from '../keys/auth-info.js';
import { Tenant } from '../tenants/tenant.entity.js';
import { WalletTransaction } from './wallet-transaction.entity.js';

export const MICROS_PER_USD = 1_000_000;
export const toMicros = (usd: number) => Math.round(usd * MICROS_PER_USD);
export const toUsd = (micros: number) => micros / MICROS_PER_USD;

/** Output an intent is assumed to produce when holding funds for it: generous, so a hold covers the usual answer. */
const HOLD_OUTPUT_TOKENS = 2_000;
/** Room for the winning agent's system prompt on top of the intent's own tokens. */
const HOLD_PROMPT_TOKENS = 1_000;

export interface WalletView {
  prepaid: boolean;
  balanceMicros: number;
  heldMicros: number;
}

/**
 * Prepaid tenants. Admission holds the most the intent could cost with the priciest
 * agent of the roster (input counted, a generous output assumed) and refuses with 402
 * when the available balance (balance minus holds) cannot cover it, before any agent
 * runs. When the intent ends, its real cost is charged and the hold released, once:
 * the ledger row is unique per intent, and a sweep settles what a crash left.
 */
export class WalletService {
  constructor(
    private readonly orm: MikroORM,
    private readonly pool: pg.Pool,
    private readonly agents: AgentRegistry,
  ) {}

  /**
   * The hold an intent needs: its text and a system prompt's worth of input, and a
   * generous answer, at the roster's highest prices. Zero for tenants that are not
   * prepaid and for sandbox keys (never charged).
   */
  holdFor(auth: AuthInfo, texts: readonly string[]): number {
    if (!auth.prepaid || auth.sandbox) return 0;
    let inPerMTok = 0;
    let outPerMTok = 0;
    for (const { profile } of this.agents.roster()) {
      inPerMTok = Math.max(inPerMTok, profile.price.inputPerMTok);
      outPerMTok = Math.max(outPerMTok, profile.price.outputPerMTok);
    }
    let total = 0;
    for (const text of texts) {
      total += Math.ceil((((countTokens(text) + HOLD_PROMPT_TOKENS) * inPerMTok + HOLD_OUTPUT_TOKENS * outPerMTok) / 1e6) * MICROS_PER_USD);
    }
    return total;
  }

  /** Holds `micros` of the tenant's wallet, atomically; 402 when it cannot be covered. Returns the release. */
  async hold(auth: AuthInfo, micros: number): Promise<() => Promise<void>> {
    if (micros <= 0) return async () => {};
    const { rows } = await this.pool.query<{ available: string }>(
      `update tenants set held_micros = held_micros + $2 where id = $1 and balance_micros - held_micros >= $2
       returning balance_micros - held_micros as available`,
      [auth.tenantId, micros],
    );
    if (rows.length === 0) {
      const { rows: now } = await this.pool.query<{ available: string }>('select balance_micros - held_micros as available from tenants where id = $1', [
        auth.tenantId,
      ]);
      throw new AppError(
        'INSUFFICIENT_BALANCE',
        `Wallet balance too low: this request needs up to $${toUsd(micros).toFixed(6)} and $${toUsd(Math.max(0, Number(now[0]?.available ?? 0))).toFixed(6)} is available`,
      );
    }
    return async () => {
      await this.pool.query('update tenants set held_micros = greatest(0, held_micros - $2) where id = $1', [auth.tenantId, micros]);
    };
  }

  /**
   * Charges a final intent's cost and releases its hold, exactly once (a no-op when it
   * was settled already, or holds nothing). The tenant row is locked so each ledger row
   * records the balance it left.
   */
  async settle(intentId: number): Promise<void> {
    await inTransaction(this.pool, async (client) => {
      const { rows } = await client.query<{ tenant_id: string; hold: string; cost: string; balance: string }>(
        `select i.tenant_id, i.hold_micros as hold, round(i.cost_usd * 1000000)::bigint as cost, t.balance_micros as balance
           from intents i join tenants t on t.id = i.tenant_id
          where i.id = $1 and i.hold_micros > 0 and i.status in ('completed', 'failed', 'cancelled')
            and not exists (select 1 from wallet_transactions w where w.intent_id = i.id)
          for update of t`,
        [intentId],
      );
      const r = rows[0];
      if (r) {
        const cost = Number(r.cost);
        const inserted = await client.query(
          `insert into wallet_transactions (tenant_id, kind, amount_micros, balance_after_micros, intent_id, note, created_at)
           values ($1, 'charge', $2, $3, $4, $5, now()) on conflict (intent_id) do nothing`,
          [r.tenant_id, -cost, Number(r.balance) - cost, intentId, `Intent ${intentId}`],
        );
        if (inserted.rowCount) {
          await client.query('update tenants set balance_micros = balance_micros - $2, held_micros = greatest(0, held_micros - $3) where id = $1', [
            r.tenant_id,
            cost,
            Number(r.hold),
          ]);
        }
      }
    });
  }

  /** Settles final intents a crash left holding funds. */
  async sweepUnsettled(): Promise<number> {
    const { rows } = await this.pool.query<{ id: number }>(
      `select i.id from intents i where i.hold_micros > 0 and i.status in ('completed', 'failed', 'cancelled')
          and not exists (select 1 from wallet_transactions w where w.intent_id = i.id) limit 200`,
    );
    for (const r of rows) await this.settle(r.id);
    return rows.length;
  }

  /** Adds funds (operator); makes the tenant prepaid unless told otherwise. */
  async topUp(tenantId: string, amountUsd: number, note: string | null): Promise<WalletView> {
    if (!Number.isFinite(amountUsd) || amountUsd <= 0 || amountUsd > 1_000_000)
      throw invalid('amountUsd must be more than 0 and at most 1,000,000', 'amountUsd');
    const micros = toMicros(amountUsd);
    const { rows } = await this.pool.query<{ balance: string }>(
      `with t as (update tenants set balance_micros = balance_micros + $2, prepaid = true where id = $1 returning id, balance_micros)
       insert into wallet_transactions (tenant_id, kind, amount_micros, balance_after_micros, note, created_at)
       select t.id, 'top_up', $2, t.balance_micros, $3, now() from t returning balance_after_micros as balance`,
      [tenantId, micros, note],
    );
    if (rows.length === 0) throw notFound('Tenant');
    return this.view(tenantId);
  }

  /** Switches a tenant between prepaid (wallet) and postpaid billing (operator). */
  async setPrepaid(tenantId: string, prepaid: boolean): Promise<WalletView> {
    const { rowCount } = await this.pool.query('update tenants set prepaid = $2 where id = $1', [tenantId, prepaid]);
    if (!rowCount) throw notFound('Tenant');
    return this.view(tenantId);
  }

  async view(tenantId: string): Promise<WalletView> {
    const tenant = await this.orm.em.fork().findOne(Tenant, { id: tenantId }, { fields: ['prepaid', 'balanceMicros', 'heldMicros'] });
    if (!tenant) throw notFound('Tenant');
    return { prepaid: tenant.prepaid, balanceMicros: tenant.balanceMicros, heldMicros: tenant.heldMicros };
  }

  async transactions(
    tenantId: string,
    limit: number,
    offset: number,
    em: EntityManager = this.orm.em.fork(),
  ): Promise<{ items: WalletTransaction[]; total: number }> {
    const [items, total] = await em.findAndCount(WalletTransaction, { tenant: tenantId }, { orderBy: { createdAt: 'desc', id: 'desc' }, limit, offset });
    return { items, total };
  }
}
