import { run, sql, type Db, type Sql } from '../../db/sql.js';
import { bidEventsPart } from '../auctions/bid.store.js';
import { publicAgentsPart } from '../agents/agent.store.js';
import { intentTenantPart } from '../intents/intent.store.js';

/**
 * Everything that reads or writes `intent_events` (the events module's table). Events
 * are written inside the statement that changes their intent: the parts below are CTEs
 * of that statement (see `insertIntent` and `advanceIntent` in intent.store.ts) and read
 * `intent`, the intent row(s) that statement wrote.
 */

/** A stored event as `replay` reads it. */
export interface StoredEvent {
  tenant_id: string;
  seq: number;
  type: string;
  created_at: Date;
  payload: Record<string, unknown>;
}

/** The `created` event (seq 1) of each intent the submit statement inserts, stamped with its creation time. */
export function createdEventPart(payload: Record<string, unknown>): Sql {
  return sql`insert into intent_events (intent_id, tenant_id, seq, type, payload, created_at)
             select intent.id, intent.tenant_id, 1, 'created', ${JSON.stringify(payload)}::jsonb, intent.created_at from intent`;
}

/**
 * Events written with a change of their intent: a few rows with JSON payloads, carried by
 * one JSON document. Each row's seq is `seqOf` its position among the statement's events.
 */
export function insertEventsPart(
  intentId: number,
  tenantId: string,
  at: Date,
  events: Array<{ type: string; payload: Record<string, unknown>; position: number }>,
  seqOf: (position: Sql) => Sql,
): Sql {
  return sql`insert into intent_events (intent_id, tenant_id, seq, type, payload, created_at)
           select ${intentId}::int, ${tenantId}::uuid, ${seqOf(sql`v.position`)}, v.type, v.payload, ${at}::timestamptz
             from intent, json_to_recordset(${JSON.stringify(events)}::json) as v(type text, payload jsonb, position int)`;
}

/** The channel of `notifyEventsPart`'s notifications. */
export const EVENTS_CHANNEL = 'gavel_events';

/** What one write's notification says: whose, which intent, the seq range, and what it holds. */
export interface EventsNotice {
  /** The writing instance (it published to its own subscribers already). */
  s: string;
  /** Intent id and tenant id. */
  n: number;
  t: string;
  /** The write's last seq, and how many events it wrote (so its first is `l - c + 1`). */
  l: number;
  c: number;
  /** Whether it holds bids, and the intent's final event. */
  b: boolean;
  f: boolean;
}

/**
 * ONE notification for the write (`advanceIntent`) it is part of, sent when that
 * statement commits: ids and the seq range, never the events themselves (NOTIFY carries
 * at most 8000 bytes, an auction's bids are far more), so that about 150 bytes go out
 * whatever was written; a listener that cares reads the rows.
 */
export function notifyEventsPart(notice: Omit<EventsNotice, 'l'>): Sql {
  return sql`select pg_notify(${EVENTS_CHANNEL}::text, json_build_object('s', ${notice.s}::text, 'n', ${notice.n}::int, 't', ${notice.t}::text,
               'l', intent.event_seq, 'c', ${notice.c}::int, 'b', ${notice.b}::bool, 'f', ${notice.f}::bool)::text) as notified from intent`;
}

/**
 * An intent's stored events after `afterSeq`, in order: its bids (kept as `bids` rows,
 * their payload rebuilt as it was published) merged with everything else.
 */
export async function replayEvents(db: Db, intentId: number, afterSeq: number): Promise<StoredEvent[]> {
  const { rows } = await run<StoredEvent>(
    db,
    sql`select t.tenant_id, e.seq, e.type, e.created_at, e.payload
          from (${intentTenantPart(intentId)}) t,
               (select seq, type, created_at, payload from intent_events where intent_id = ${intentId}::int and seq > ${afterSeq}::int
                union all
                ${bidEventsPart(intentId, afterSeq, publicAgentsPart)}) e
         order by e.seq`,
  );
  return rows;
}

/** Whether one of `types` is stored for the intent at or before `seq`. */
export async function hasEventBy(db: Db, intentId: number, seq: number, types: readonly string[]): Promise<boolean> {
  const { rows } = await run(
    db,
    sql`select 1 from intent_events where intent_id = ${intentId}::int and seq <= ${seq}::int and type = any(${types}::text[]) limit 1`,
  );
  return rows.length > 0;
}

/** The intent's stored events of `types`, in order. */
export async function eventsOfTypes(
  db: Db,
  intentId: number,
  types: readonly string[],
): Promise<Array<{ type: string; payload: Record<string, string>; created_at: Date }>> {
  const { rows } = await run<{ type: string; payload: Record<string, string>; created_at: Date }>(
    db,
    sql`select type, payload, created_at from intent_events where intent_id = ${intentId}::int and type = any(${types}::text[]) order by seq`,
  );
  return rows;
}
