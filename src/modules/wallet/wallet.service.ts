import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { inTransaction } from '../../db/transaction.js';
import type pg from 'pg';
import { AppError, invalid, notFound } from '../../errors/app-error.js';
import type { AgentRegistry } from '../agents/index.js';
import { countTokens } from '../agents/index.js';
import type { AuthInfo } from '../keys/index.js';
import type { WalletTransaction } from './wallet-transaction.entity.js';
import * as store from './wallet.store.js';
import { tenantIdOf } from '../tenants/index.js';

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
    if ((await store.addHold(this.pool, auth.tenantId, micros)) === null) {
      const available = await store.availableMicros(this.pool, auth.tenantId);
      throw new AppError(
        'INSUFFICIENT_BALANCE',
        `Wallet balance too low: this request needs up to $${toUsd(micros).toFixed(6)} and $${toUsd(Math.max(0, available)).toFixed(6)} is available`,
      );
    }
    return () => store.releaseHold(this.pool, auth.tenantId, micros);
  }

  /**
   * Charges a final intent's cost and releases its hold, exactly once (a no-op when it
   * was settled already, or holds nothing). The tenant row is locked so each ledger row
   * records the balance it left.
   */
  async settle(intentId: number): Promise<void> {
    await inTransaction(this.pool, async (client) => {
      const r = await store.unsettledIntentLocked(client, intentId);
      if (r) {
        const cost = Number(r.cost);
        if (await store.recordCharge(client, { tenantId: r.tenant_id, intentId, micros: cost, balanceAfter: Number(r.balance) - cost })) {
          await store.applyCharge(client, r.tenant_id, cost, Number(r.hold));
        }
      }
    });
  }

  /** Settles final intents a crash left holding funds. */
  async sweepUnsettled(): Promise<number> {
    const ids = await store.unsettledIntents(this.pool, 200);
    for (const id of ids) await this.settle(id);
    return ids.length;
  }

  /** Adds funds (operator); makes the tenant prepaid unless told otherwise. */
  async topUp(tenantId: string, amountUsd: number, note: string | null): Promise<WalletView> {
    if (!Number.isFinite(amountUsd) || amountUsd <= 0 || amountUsd > 1_000_000)
      throw invalid('amountUsd must be more than 0 and at most 1,000,000', 'amountUsd');
    if (!(await store.topUp(this.pool, tenantId, toMicros(amountUsd), note))) throw notFound('Tenant');
    return this.view(tenantId);
  }

  /** Switches a tenant between prepaid (wallet) and postpaid billing (operator). */
  async setPrepaid(tenantId: string, prepaid: boolean): Promise<WalletView> {
    if (!(await store.setPrepaid(this.pool, tenantId, prepaid))) throw notFound('Tenant');
    return this.view(tenantId);
  }

  /** The id of a tenant named as the key CLI names it: by name, or by id; null when there is none. */
  tenantIdOf(nameOrId: string): Promise<string | null> {
    return tenantIdOf(this.orm.em.fork(), nameOrId);
  }

  async view(tenantId: string): Promise<WalletView> {
    const tenant = await store.walletOf(this.orm.em.fork(), tenantId);
    if (!tenant) throw notFound('Tenant');
    return { prepaid: tenant.prepaid, balanceMicros: tenant.balanceMicros, heldMicros: tenant.heldMicros };
  }

  transactions(
    tenantId: string,
    limit: number,
    offset: number,
    em: EntityManager = this.orm.em.fork(),
  ): Promise<{ items: WalletTransaction[]; total: number }> {
    return store.transactionsOf(em, tenantId, limit, offset);
  }
}
