import type { EntityManager } from '@mikro-orm/postgresql';
import { run, sql, type Db } from '../../db/sql.js';
import { finalHoldsPart } from '../intents/intent.store.js';
import { Tenant } from '../tenants/tenant.entity.js';
import { WalletTransaction } from './wallet-transaction.entity.js';

/**
 * Everything that reads or writes the wallet: `wallet_transactions`, and the wallet's
 * columns of `tenants` (balance_micros, held_micros, prepaid).
 */

/** Adds `micros` to the tenant's holds if its available balance covers them; the balance left, or null when it does not. */
export async function addHold(db: Db, tenantId: string, micros: number): Promise<string | null> {
  const { rows } = await run<{ available: string }>(
    db,
    sql`update tenants set held_micros = held_micros + ${micros}::bigint where id = ${tenantId}::uuid and balance_micros - held_micros >= ${micros}::bigint
       returning balance_micros - held_micros as available`,
  );
  return rows[0]?.available ?? null;
}

/** The tenant's balance less its holds. */
export async function availableMicros(db: Db, tenantId: string): Promise<number> {
  const { rows } = await run<{ available: string }>(db, sql`select balance_micros - held_micros as available from tenants where id = ${tenantId}::uuid`);
  return Number(rows[0]?.available ?? 0);
}

export async function releaseHold(db: Db, tenantId: string, micros: number): Promise<void> {
  await run(db, sql`update tenants set held_micros = greatest(0, held_micros - ${micros}::bigint) where id = ${tenantId}::uuid`);
}

/** What settling a final intent needs, its tenant row locked; nothing when it holds nothing or was settled. */
export async function unsettledIntentLocked(db: Db, intentId: number): Promise<{ tenant_id: string; hold: string; cost: string; balance: string } | undefined> {
  const { rows } = await run<{ tenant_id: string; hold: string; cost: string; balance: string }>(
    db,
    sql`select i.tenant_id, i.hold_micros as hold, i.cost_micros as cost, t.balance_micros as balance
           from ${finalHoldsPart} i join tenants t on t.id = i.tenant_id
          where i.id = ${intentId}::int
            and not exists (select 1 from wallet_transactions w where w.intent_id = i.id)
          for update of t`,
  );
  return rows[0];
}

/** Records an intent's charge once (the ledger row is unique per intent); false when it was recorded already. */
export async function recordCharge(db: Db, charge: { tenantId: string; intentId: number; micros: number; balanceAfter: number }): Promise<boolean> {
  const { rowCount } = await run(
    db,
    sql`insert into wallet_transactions (tenant_id, kind, amount_micros, balance_after_micros, intent_id, note, created_at)
           values (${charge.tenantId}, 'charge', ${-charge.micros}, ${charge.balanceAfter}, ${charge.intentId}, ${`Intent ${charge.intentId}`}, now())
        on conflict (intent_id) do nothing`,
  );
  return Boolean(rowCount);
}

/** Takes a charge off the tenant's balance and releases its hold. */
export async function applyCharge(db: Db, tenantId: string, micros: number, hold: number): Promise<void> {
  await run(
    db,
    sql`update tenants set balance_micros = balance_micros - ${micros}::bigint, held_micros = greatest(0, held_micros - ${hold}::bigint) where id = ${tenantId}::uuid`,
  );
}

/** Final intents holding funds with no ledger row: what a crash left unsettled. */
export async function unsettledIntents(db: Db, limit: number): Promise<number[]> {
  const { rows } = await run<{ id: number }>(
    db,
    sql`select i.id from ${finalHoldsPart} i
         where not exists (select 1 from wallet_transactions w where w.intent_id = i.id) limit ${limit}::int`,
  );
  return rows.map((r) => r.id);
}

/** Adds funds and makes the tenant prepaid, with its ledger row; false when there is no such tenant. */
export async function topUp(db: Db, tenantId: string, micros: number, note: string | null): Promise<boolean> {
  const { rows } = await run(
    db,
    sql`with t as (update tenants set balance_micros = balance_micros + ${micros}::bigint, prepaid = true where id = ${tenantId}::uuid returning id, balance_micros)
       insert into wallet_transactions (tenant_id, kind, amount_micros, balance_after_micros, note, created_at)
       select t.id, 'top_up', ${micros}::bigint, t.balance_micros, ${note}::text, now() from t returning balance_after_micros as balance`,
  );
  return rows.length > 0;
}

/** False when there is no such tenant. */
export async function setPrepaid(db: Db, tenantId: string, prepaid: boolean): Promise<boolean> {
  const { rowCount } = await run(db, sql`update tenants set prepaid = ${prepaid}::bool where id = ${tenantId}::uuid`);
  return Boolean(rowCount);
}

export function walletOf(em: EntityManager, tenantId: string): Promise<Pick<Tenant, 'prepaid' | 'balanceMicros' | 'heldMicros'> | null> {
  return em.findOne(Tenant, { id: tenantId }, { fields: ['prepaid', 'balanceMicros', 'heldMicros'] });
}

/** The tenant's ledger, newest first. */
export async function transactionsOf(
  em: EntityManager,
  tenantId: string,
  limit: number,
  offset: number,
): Promise<{ items: WalletTransaction[]; total: number }> {
  const [items, total] = await em.findAndCount(WalletTransaction, { tenant: tenantId }, { orderBy: { createdAt: 'desc', id: 'desc' }, limit, offset });
  return { items, total };
}
