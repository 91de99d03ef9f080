import type { EntityManager } from '@mikro-orm/postgresql';
import { identifier, join, raw, run, runPrepared, sql, typed, type Db, type Sql } from '../../db/sql.js';
import { insertJobPart, jobIdPart } from '../../jobs/job-queue.js';
import { publicAgentsPart } from '../agents/agent.store.js';
import { keyNamesPart } from '../keys/key.store.js';
// A batch's row is written in the transaction that stores its intents.
export { insertBatch } from '../batches/batch.store.js';
import { userNamesPart } from '../tenants/tenant.store.js';
import { Intent, type IntentStatus, type IntentWebhook } from './intent.entity.js';
import type { IntentListFilter } from './intent.service.js';

/**
 * Everything that reads or writes `intents` (the intents module's table). The intent's
 * writes are single statements that other modules' rows ride along with: `insertIntent`
 * and `advanceIntent` take those modules' parts (CTE bodies, see sql.ts) and run them in
 * the same statement, where they read `intent`, the row(s) the statement wrote.
 */

const FINAL = sql`('completed', 'failed', 'cancelled')`;

/** A new intent's columns, as the submit stores them. */
/**
 * The job row of an intent inserted by the same statement (the `intent` CTE of
 * `insertIntent`): its id derived from the intent's, its data the intent id; stored
 * active when this process runs it at once.
 */
export function jobOfInsertedIntentPart(queue: string, kind: number, started: boolean): Sql {
  return insertJobPart({ queue, id: jobIdPart(kind, sql`intent.id`), data: sql`jsonb_build_object('intentId', intent.id)`, from: sql`intent`, started });
}

export interface NewIntentRow {
  tenantId: string;
  apiKeyId: string;
  userId: number;
  text: string;
  domain: string | null;
  auctionTier: string;
  sandbox: boolean;
  metadata: string | null;
  webhookUrl: string | null;
  webhook: string | null;
  selection: string | null;
  idempotencyKey: string | null;
  idempotencyFingerprint: string | null;
  bidWindowMs: number;
  holdMicros: number;
  batchId: string | null;
  /** A direct call: the agent that runs it, with no auction. */
  directAgent: string | null;
  /** Its auction starts right here: stored `bidding` (else `pending`). */
  biddingNow: boolean;
}

/**
 * Inserts the intent, with `parts` (its first event, its job) in the same prepared
 * statement; no row when its idempotency key already holds one.
 */
export async function insertIntent(db: Db, row: NewIntentRow, parts: Sql[]): Promise<Record<string, any>[]> {
  const bidding = sql`${row.biddingNow}::bool`;
  const { rows } = await runPrepared(
    db,
    sql`with intent as (
         insert into intents (tenant_id, api_key_id, user_id, text, domain, auction_tier, status, sandbox, metadata, webhook_url,
                              idempotency_key, idempotency_fingerprint, bid_window_ms, event_seq, created_at, webhook, hold_micros, batch_id,
                              bidding_started_at, direct_agent, selection)
         values (${row.tenantId}, ${row.apiKeyId}, ${row.userId}, ${row.text}, ${row.domain}, ${row.auctionTier},
                 case when ${bidding} then 'bidding' else 'pending' end, ${row.sandbox}, ${row.metadata}, ${row.webhookUrl},
                 ${row.idempotencyKey}, ${row.idempotencyFingerprint}, ${row.bidWindowMs}, 1, now(), ${row.webhook}, ${row.holdMicros}, ${row.batchId},
                 case when ${bidding} then now() end, ${row.directAgent}, ${row.selection}::jsonb)
         on conflict (tenant_id, idempotency_key) do nothing
         returning *)${partsOf(parts)}
       select * from intent`,
  );
  return rows;
}

/**
 * The columns of an intent that move as it runs (its auction's timestamps, status and
 * receipt), by name and type: what other modules may set through `advanceIntent`. Their
 * SQL types are this store's to know (`COLUMN_TYPES`).
 */
export interface IntentColumnValues {
  status: IntentStatus;
  auction_closed_at: Date;
  execution_started_at: Date;
  completed_at: Date;
  result: string;
  winning_agent_id: string;
  winning_agent_profile: { name: string; emoji: string; domain: string };
  winning_confidence: number | null;
  winning_reasoning: string | null;
  attempts: unknown[];
  promotions: number;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
  error_code: string;
  error_message: string;
}
export type IntentColumns = Partial<IntentColumnValues>;

const COLUMN_TYPES: { [C in keyof IntentColumnValues]: string } = {
  status: 'text',
  auction_closed_at: 'timestamptz',
  execution_started_at: 'timestamptz',
  completed_at: 'timestamptz',
  result: 'text',
  winning_agent_id: 'uuid',
  winning_agent_profile: 'jsonb',
  winning_confidence: 'float8',
  winning_reasoning: 'text',
  attempts: 'jsonb',
  promotions: 'int',
  input_tokens: 'int',
  output_tokens: 'int',
  cost_usd: 'float8',
  error_code: 'text',
  error_message: 'text',
};

function setColumn(column: keyof IntentColumnValues, value: unknown): Sql {
  const type = COLUMN_TYPES[column];
  return sql`${identifier(column)} = ${typed(type === 'jsonb' ? JSON.stringify(value) : value, type)}`;
}

/** A change of an intent's row: columns set, and its event counter moved on by `events`. */
export interface IntentAdvance {
  intentId: number;
  /** How many events the statement writes: the counter reserves their sequence numbers. */
  events: number;
  set: IntentColumns;
  /** Nothing is written when the intent already reached a final status. */
  onlyIfNotFinal: boolean;
  /** Return the whole row as written (else only `event_seq`). */
  returnRow: boolean;
  /**
   * A part that must run though nothing reads it (a plain SELECT in a CTE runs only when
   * read): the events module's NOTIFY. It may read `intent`, and yields one row per
   * intent row.
   */
  notify?: Sql;
}

/**
 * The seq of the statement's event at `position` (1-based, an SQL expression): the
 * counter before the write plus its position, for the parts of `advanceIntent`.
 */
export function eventSeqPart(events: number): (position: Sql) => Sql {
  return (position) => sql`intent.event_seq - ${events}::int + ${position}`;
}

/**
 * Updates the intent, bumping its `event_seq` to reserve its events' sequence numbers
 * atomically (a worker and a cancel never take the same number), with `parts` in the
 * same prepared statement. No row when `onlyIfNotFinal` stopped it.
 */
export async function advanceIntent(db: Db, change: IntentAdvance, parts: Sql[]): Promise<Record<string, any>[]> {
  const sets = [
    sql`event_seq = event_seq + ${change.events}::int`,
    ...(Object.entries(change.set) as Array<[keyof IntentColumnValues, unknown]>).filter(([, v]) => v !== undefined).map(([c, v]) => setColumn(c, v)),
  ];
  const guard = change.onlyIfNotFinal ? sql` and status not in ${FINAL}` : sql``;
  const returning = raw(change.returnRow ? '*' : 'event_seq');
  const notify = change.notify ? sql`, notified as (${change.notify})` : sql``;
  const { rows } = await runPrepared(
    db,
    sql`with intent as (update intents set ${join(sets, ', ')} where id = ${change.intentId}::int${guard} returning ${returning})${partsOf(parts)}${notify}
       select ${raw(change.returnRow ? 'intent.*' : 'intent.event_seq')} from intent${change.notify ? sql` cross join notified` : sql``}`,
  );
  return rows;
}

/** `, part_0 as (…), part_1 as (…)` */
function partsOf(parts: Sql[]): Sql {
  return parts.length === 0
    ? sql``
    : join(
        parts.map((part, i) => sql`${raw(`part_${i}`)} as (${part})`),
        ', ',
        ', ',
      );
}

/** The tenant's intent row (another tenant's is as missing as a missing one). */
export async function intentRow(db: Db, id: number, tenantId: string): Promise<Record<string, unknown> | undefined> {
  const { rows } = await runPrepared(db, sql`select * from intents where id = ${id}::int and tenant_id = ${tenantId}::uuid`);
  return rows[0];
}

/** An intent's row as stored, whoever's it is (the auction runner's read). */
export async function intentRowById(db: Db, id: number): Promise<Record<string, any> | undefined> {
  const { rows } = await run(db, sql`select * from intents where id = ${id}::int`);
  return rows[0];
}

/**
 * Claims the intent for its auction in one statement: pending → bidding (other statuses
 * kept), `bidding_started_at` set once. Returns the row as written with `previous_status`,
 * the status it had; none when the intent is final (or gone).
 */
export async function claimIntentRow(db: Db, id: number): Promise<Record<string, any> | undefined> {
  const { rows } = await run(
    db,
    sql`update intents i
        set status = case when prev.status = 'pending' then 'bidding' else prev.status end,
            bidding_started_at = coalesce(i.bidding_started_at, now())
       from (select id, status from intents where id = ${id}::int for update) prev
      where i.id = prev.id and prev.status not in ${FINAL}
      returning i.*, prev.status as previous_status`,
  );
  return rows[0];
}

/** Ids of up to `limit` intents not yet final for which `condition` holds (an SQL condition over `i.id`, the intent's id). */
export async function unfinishedIntentIdsWhere(db: Db, condition: (intentId: Sql) => Sql, limit: number): Promise<number[]> {
  const { rows } = await run<{ id: number }>(
    db,
    sql`select i.id from intents i
      where i.status in ('pending', 'bidding', 'executing', 'verifying') and ${condition(sql`i.id`)}
      limit ${limit}::int`,
  );
  return rows.map((r) => r.id);
}

/** The tenant's intent's status alone. */
export async function intentStatus(db: Db, id: number, tenantId: string): Promise<IntentStatus | undefined> {
  const { rows } = await runPrepared<{ status: IntentStatus }>(db, sql`select status from intents where id = ${id}::int and tenant_id = ${tenantId}::uuid`);
  return rows[0]?.status;
}

/** Whether the intent is the tenant's. */
export async function isTenantsIntent(db: Db, id: number, tenantId: string): Promise<boolean> {
  const { rowCount } = await run(db, sql`select 1 from intents where id = ${id}::int and tenant_id = ${tenantId}::uuid`);
  return Boolean(rowCount);
}

/** The intent's tenant as a one-row relation (column tenant_id). */
export function intentTenantPart(id: number): Sql {
  return sql`select tenant_id from intents where id = ${id}::int`;
}

export function intentByIdempotencyKey(em: EntityManager, tenantId: string, key: string): Promise<Intent | null> {
  return em.findOne(Intent, { tenant: tenantId, idempotencyKey: key });
}

/** Frees an idempotency key from the intent that held it (its window is over). */
export async function releaseIdempotencyKey(em: EntityManager, intentId: number, key: string): Promise<void> {
  await em.nativeUpdate(Intent, { id: intentId, idempotencyKey: key }, { idempotencyKey: null, idempotencyFingerprint: null });
}

/** Ids of intents still pending since before `before`. */
export async function pendingSince(em: EntityManager, before: Date, limit: number): Promise<number[]> {
  const stale = await em.find(Intent, { status: 'pending', createdAt: { $lt: before } }, { fields: ['id'], limit });
  return stale.map((intent) => intent.id);
}

const ORDER_COLUMNS = { created_at: 'createdAt', completed_at: 'completedAt', cost: 'costUsd' } as const;

/**
 * The tenant's intents, newest first unless `orderBy` says otherwise (ties by id, the
 * same direction); `in_progress` is every status between pending and final. `domain`
 * matches the intent's domain hint or its winning agent's domain.
 */
export async function listIntents(em: EntityManager, tenantId: string, filter: IntentListFilter): Promise<{ items: Intent[]; total: number }> {
  const where: Record<string, unknown> = { tenant: tenantId };
  if (filter.status === 'in_progress') where.status = { $in: ['bidding', 'executing', 'verifying'] };
  else if (filter.status) where.status = filter.status;
  if (filter.domain) where.$or = [{ domain: filter.domain }, { winningAgent: { domain: filter.domain } }];
  if (filter.createdAfter || filter.createdBefore) {
    where.createdAt = { ...(filter.createdAfter ? { $gte: filter.createdAfter } : {}), ...(filter.createdBefore ? { $lte: filter.createdBefore } : {}) };
  }
  const order = filter.orderBy ?? 'created_at_desc';
  const direction = order.endsWith('_asc') ? 'asc' : 'desc';
  const column = ORDER_COLUMNS[order.slice(0, order.lastIndexOf('_')) as keyof typeof ORDER_COLUMNS];
  // Intents not completed yet have no completedAt: last either way, as a list of finished work reads.
  const nulls = column === 'completedAt' ? (`${direction} nulls last` as const) : direction;
  const [items, total] = await em.findAndCount(Intent, where, { orderBy: { [column]: nulls, id: direction }, limit: filter.limit, offset: filter.offset });
  return { items, total };
}

/** A batch's intents, in submission order. */
export async function intentsOfBatch(em: EntityManager, batchId: string, limit: number, offset: number): Promise<{ items: Intent[]; total: number }> {
  const [items, total] = await em.findAndCount(Intent, { batch: batchId }, { orderBy: { id: 'asc' }, limit, offset });
  return { items, total };
}

/** How many of a batch's intents are in each status. */
export async function statusCountsOfBatch(db: Db, batchId: string): Promise<Record<string, number>> {
  const { rows } = await run<{ status: string; n: number }>(
    db,
    sql`select status, count(*)::int as n from intents where batch_id = ${batchId}::text group by status`,
  );
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

/** Mean seconds from submit to completion over the last day's completed intents; null when there were none. */
export async function recentMeanSeconds(db: Db): Promise<number | null> {
  const { rows } = await run<{ mean: number | null }>(
    db,
    sql`select avg(extract(epoch from completed_at - created_at))::float8 as mean
         from intents where status = 'completed' and completed_at > now() - interval '1 day'`,
  );
  return rows[0]?.mean ?? null;
}

/** What a webhook announcement needs of its intent. */
export interface IntentWebhookTargets {
  id: number;
  tenant_id: string;
  status: string;
  webhook_url: string | null;
  webhook: IntentWebhook | null;
}

export async function webhookTargetsOf(db: Db, intentId: number): Promise<IntentWebhookTargets | undefined> {
  const { rows } = await run<IntentWebhookTargets>(db, sql`select id, tenant_id, status, webhook_url, webhook from intents where id = ${intentId}::int`);
  return rows[0];
}

/** Intents' webhook subscriptions as a relation (id, webhook). */
export const intentWebhooksPart: Sql = sql`(select id, webhook from intents)`;

/** Each intent's outcome, for stores that show it as their own rows' (a session's turns), joined on `id`. */
export const intentOutcomesPart: Sql = sql`(select id, status, result, error_code, error_message, input_tokens, output_tokens, cost_usd,
  execution_started_at, completed_at from intents)`;

/** Intents that ended in the last day and have webhooks, as a relation (id). */
export const recentFinalWithWebhooksPart: Sql = sql`(select id from intents
        where status in ${FINAL} and completed_at > now() - interval '1 day'
          and (webhook_url is not null or webhook is not null))`;

/** Final intents that hold wallet funds, as a relation (id, tenant_id, hold_micros, cost_micros). */
export const finalHoldsPart: Sql = sql`(select id, tenant_id, hold_micros, round(cost_usd * 1000000)::bigint as cost_micros from intents
        where hold_micros > 0 and status in ${FINAL})`;

/** A key's month as its usage shows it (`intents` counts what the quota counts: not sandbox intents). */
export async function usageOf(db: Db, tenantId: string, apiKeyId: string, from: Date, to: Date): Promise<Record<string, string | null> | undefined> {
  const { rows } = await run<Record<string, string | null>>(
    db,
    sql`select count(*) filter (where not sandbox) as intents,
              count(*) filter (where status = 'completed') as completed,
              count(*) filter (where status = 'failed') as failed,
              coalesce(sum(input_tokens), 0) as input_tokens,
              coalesce(sum(output_tokens), 0) as output_tokens,
              coalesce(sum(cost_usd), 0) as cost_usd
         from intents where tenant_id = ${tenantId}::uuid and api_key_id = ${apiKeyId}::uuid and created_at >= ${from}::timestamptz and created_at < ${to}::timestamptz`,
  );
  return rows[0];
}

/** Routing figures across all tenants since `since`. */
export async function routingFigures(db: Db, since: Date): Promise<Record<string, string | null> | undefined> {
  const { rows } = await run<Record<string, string | null>>(
    db,
    sql`select count(*) as total,
              percentile_cont(0.5) within group (order by extract(epoch from (auction_closed_at - bidding_started_at)) * 1000) as bid_p50,
              percentile_cont(0.95) within group (order by extract(epoch from (auction_closed_at - bidding_started_at)) * 1000) as bid_p95,
              percentile_cont(0.5) within group (order by extract(epoch from (completed_at - execution_started_at)) * 1000)
                filter (where status = 'completed') as exec_p50,
              percentile_cont(0.95) within group (order by extract(epoch from (completed_at - execution_started_at)) * 1000)
                filter (where status = 'completed') as exec_p95,
              avg(winning_confidence) filter (where status = 'completed') as avg_conf,
              sum(promotions) filter (where auction_tier = 'shield') as promotions,
              count(*) filter (where auction_tier = 'shield' and status in ('completed', 'failed')) as shield_done,
              count(*) filter (where status = 'failed') as failed,
              count(*) filter (where status in ('completed', 'failed')) as finished
         from intents where created_at >= ${since}::timestamptz`,
  );
  return rows[0];
}

/** The five domains with most intents since `since`: the winner's domain, else the caller's hint (neither: not counted). */
export async function topDomains(db: Db, since: Date): Promise<Array<{ domain: string; n: string }>> {
  const { rows } = await run<{ domain: string; n: string }>(
    db,
    sql`select coalesce(a.domain, i.domain) as domain, count(*) as n
         from intents i left join ${publicAgentsPart} a on a.id = i.winning_agent_id
        where i.created_at >= ${since}::timestamptz and coalesce(a.domain, i.domain) is not null
        group by 1 order by n desc, domain asc limit 5`,
  );
  return rows;
}

export const COST_GROUPINGS = ['user_id', 'api_key_id', 'agent', 'domain'] as const;
export type CostGrouping = (typeof COST_GROUPINGS)[number];

/** The SQL key and display name of each grouping; the winning agent decides agent and domain. */
const GROUPINGS: Record<CostGrouping, { key: Sql; name: Sql }> = {
  user_id: { key: sql`i.user_id::text`, name: sql`u.name` },
  api_key_id: { key: sql`i.api_key_id::text`, name: sql`k.name` },
  agent: { key: sql`coalesce(a.slug, 'none')`, name: sql`coalesce(a.name, 'No winning agent')` },
  domain: { key: sql`coalesce(a.domain, i.domain, 'none')`, name: sql`coalesce(a.domain, i.domain, 'none')` },
};

/** Tokens and USD per group of the tenant's intents created from `from` to `to` (days, both included). */
export async function costLines(
  db: Db,
  tenantId: string,
  from: Date,
  to: Date,
  groupBy: CostGrouping,
): Promise<Array<{ key: string; name: string; intents: number; completed: number; input: string; output: string; cost: number }>> {
  const g = GROUPINGS[groupBy];
  const { rows } = await run(
    db,
    sql`select ${g.key} as key, min(${g.name}) as name, count(*)::int as intents,
              count(*) filter (where i.status = 'completed')::int as completed,
              sum(i.input_tokens)::bigint as input, sum(i.output_tokens)::bigint as output,
              round(sum(i.cost_usd)::numeric, 8)::float8 as cost
         from intents i
         left join ${publicAgentsPart} a on a.id = i.winning_agent_id
         left join ${userNamesPart} u on u.id = i.user_id
         left join ${keyNamesPart} k on k.id = i.api_key_id
        where i.tenant_id = ${tenantId}::uuid and i.created_at >= ${from}::timestamptz and i.created_at < ${to}::timestamptz + interval '1 day'
        group by 1
        order by cost desc, key`,
  );
  return rows;
}
