import type pg from 'pg';
import { Repeater } from 'graphql-yoga';
import { binaryArray, type ArrayElement } from '../../db/binary-array.js';
import { queryPrepared } from '../../db/prepared.js';
import type { BidOutcome } from '../intents/intent.entity.js';
import type { EventBus, StreamEvent } from './event-bus.js';
import { TERMINAL_EVENTS, type EventType } from './intent-event.entity.js';

/** A change to the intent row (and rows that belong with it) written with its events. */
export interface IntentChange {
  /** Columns to set on the intent: [column, value, SQL type]. */
  set?: Array<[string, unknown, string]>;
  onlyIfNotFinal?: boolean;
  /** Bids stored earlier (as they streamed in), restated with what the close decided: rank, eligibility, score. */
  restate?: BidRow[];
  /** Marks this agent's (already stored) bid on the intent as the winning one. */
  wonAgentId?: string;
  /**
   * Further writes that belong with this change (e.g. completing its job), as CTE bodies
   * built with the statement's parameter binder. They may read `intent`: the intent row
   * as this statement updated it, empty when `onlyIfNotFinal` stopped the write.
   */
  also?: Array<(bind: (value: unknown, type: string) => string) => string>;
}

/** A bid as its `bids` row keeps it. */
export interface BidRow {
  agentId: string;
  outcome: BidOutcome;
  confidence: number | null;
  score: number | null;
  reasoning: string | null;
  estimatedCostUsd: number | null;
  latencyMs: number;
  /** Null until the auction closes. */
  rank: number | null;
  eligible: boolean;
  won?: boolean;
}

export interface NewEvent {
  type: EventType;
  payload: Record<string, unknown>;
  /** A `bid` event is stored as this row of `bids` (with its seq), not in intent_events. */
  bid?: BidRow;
}

/** The columns of a bid row, in the order the write sends them: [column, element type, value]. */
const BID_COLUMNS: Array<[string, ArrayElement, (b: BidRow) => unknown]> = [
  ['agent_id', 'uuid', (b) => b.agentId],
  ['outcome', 'text', (b) => b.outcome],
  ['confidence', 'float8', (b) => b.confidence],
  ['score', 'float8', (b) => b.score],
  ['reasoning', 'text', (b) => b.reasoning],
  ['estimated_cost_usd', 'float8', (b) => b.estimatedCostUsd],
  ['latency_ms', 'float8', (b) => b.latencyMs],
  ['rank', 'int4', (b) => b.rank],
  ['eligible', 'bool', (b) => b.eligible],
  ['won', 'bool', (b) => b.won ?? false],
];

/**
 * Stores each intent's events in order, then publishes them. Storing before publishing
 * is what makes streams resumable without gaps: a subscriber listens first, reads the
 * store, then takes from the live feed only what comes after the last stored event.
 */
export class EventLog {
  /** Callers in this process waiting for an intent's final row (see `watchFinalRow`). */
  private readonly finalRowWatchers = new Map<number, Set<(row: Record<string, unknown>) => void>>();

  constructor(
    private readonly pool: pg.Pool,
    private readonly bus: EventBus,
  ) {}

  /**
   * Hands `watcher` the intent's row as the write that ends it returned it (the final
   * state, read by that very statement), before its terminal event is published: a caller
   * waiting here for a receipt need not read back what was just written. Only writes of
   * this process are seen; a waiter for another instance's intent reads the row as usual.
   * Returns the function that stops watching.
   */
  watchFinalRow(intentId: number, watcher: (row: Record<string, unknown>) => void): () => void {
    const watchers = this.finalRowWatchers.get(intentId) ?? new Set();
    watchers.add(watcher);
    this.finalRowWatchers.set(intentId, watchers);
    return () => {
      watchers.delete(watcher);
      if (watchers.size === 0 && this.finalRowWatchers.get(intentId) === watchers) this.finalRowWatchers.delete(intentId);
    };
  }

  /** Stores and publishes events of an intent. */
  async append(intentId: number, tenantId: string, events: NewEvent[]): Promise<StreamEvent[]> {
    return (await this.write(intentId, tenantId, events)) ?? [];
  }

  /**
   * Stores events together with the intent's state change (and the rows that go with
   * it) in ONE statement, then publishes the events. The intent row's `event_seq` is the
   * counter: bumping it reserves the events' sequence numbers atomically, so a worker and
   * a cancel never take the same number. Bid events become `bids` rows, the rest
   * `intent_events` rows. With `onlyIfNotFinal`, nothing is written when the intent
   * already reached a final status (e.g. cancelled), and null is returned.
   */
  async write(intentId: number, tenantId: string, events: NewEvent[], change: IntentChange = {}): Promise<StreamEvent[] | null> {
    if (events.length === 0 && !change.set) return [];
    const now = new Date();
    const params: unknown[] = [];
    const $ = (value: unknown, type?: string) => {
      params.push(value);
      return type ? `$${params.length}::${type}` : `$${params.length}`;
    };
    const id = $(intentId);
    const count = $(events.length, 'int');
    const at = $(now, 'timestamptz');
    const sets = [`event_seq = event_seq + ${count}`, ...(change.set ?? []).map(([col, value, type]) => `${col} = ${$(value, type)}`)];
    const guard = change.onlyIfNotFinal ? ` and status not in ('completed', 'failed', 'cancelled')` : '';
    // A write that ends the intent returns its whole row, for the waiters watching it.
    const final = events.some((e) => TERMINAL_EVENTS.includes(e.type));
    const ctes = [`intent as (update intents set ${sets.join(', ')} where id = ${id}${guard} returning ${final ? '*' : 'event_seq'})`];
    // An event's seq is the counter before this write plus its position in `events`.
    const seqOf = (position: string) => `intent.event_seq - ${count} + ${position}`;
    // Bids travel as one binary array per column (see binary-array.ts), unnested into rows.
    const names = BID_COLUMNS.map(([name]) => name);
    const bidRows = (rows: BidRow[], positions?: number[]) => {
      const columns = BID_COLUMNS.map(([, type, value]) => $(binaryArray(type, rows.map(value)), `${type}[]`));
      if (positions) columns.push($(binaryArray('int4', positions), 'int4[]'));
      return `unnest(${columns.join(', ')}) as v(${names.join(', ')}${positions ? ', position' : ''})`;
    };
    const bids = events.flatMap((e, i) => (e.bid ? [{ row: e.bid, position: i + 1 }] : []));
    if (bids.length > 0) {
      ctes.push(
        `bid_rows as (insert into bids (intent_id, ${names.join(', ')}, created_at, seq)
           select ${id}, ${names.map((n) => `v.${n}`).join(', ')}, ${at}, ${seqOf('v.position')}
             from intent, ${bidRows(
               bids.map((b) => b.row),
               bids.map((b) => b.position),
             )})`,
      );
    }
    if (change.restate && change.restate.length > 0) {
      ctes.push(
        `restated as (update bids b set ${names
          .slice(1)
          .map((n) => `${n} = v.${n}`)
          .join(', ')}
           from intent, ${bidRows(change.restate)}
          where b.intent_id = ${id} and b.agent_id = v.agent_id)`,
      );
    }
    if (change.wonAgentId) {
      ctes.push(`won as (update bids set won = true from intent where bids.intent_id = ${id} and bids.agent_id = ${$(change.wonAgentId, 'uuid')})`);
    }
    for (const [i, cte] of (change.also ?? []).entries()) ctes.push(`also_${i} as (${cte($)})`);
    const others = events.flatMap((e, i) => (e.bid ? [] : [{ type: e.type, payload: e.payload, position: i + 1 }]));
    if (others.length > 0) {
      // A few rows with JSON payloads: one JSON document carries them.
      ctes.push(
        `events as (insert into intent_events (intent_id, tenant_id, seq, type, payload, created_at)
           select ${id}, ${$(tenantId, 'uuid')}, ${seqOf('v.position')}, v.type, v.payload, ${at}
             from intent, json_to_recordset(${$(JSON.stringify(others), 'json')}) as v(type text, payload jsonb, position int))`,
      );
    }
    const { rows } = await queryPrepared<{ event_seq: number }>(this.pool, `with ${ctes.join(', ')} select ${final ? '*' : 'event_seq'} from intent`, params);
    if (rows.length === 0) return null;
    if (final) for (const watcher of this.finalRowWatchers.get(intentId) ?? []) watcher(rows[0]!);
    const first = rows[0]!.event_seq - events.length + 1;
    const out = events.map((e, i) => ({ intentId, tenantId, seq: first + i, type: e.type, at: now.toISOString(), payload: e.payload }));
    this.publish(out);
    return out;
  }

  /** Publishes events that are already stored (never before: see the class comment). */
  publish(events: StreamEvent[]): void {
    for (const e of events) {
      this.bus.pubsub.publish('intent', e.intentId, e);
      if (e.type === 'bid') this.bus.pubsub.publish('bids', e.tenantId, e);
      // A separate channel, so that waiting for the end does not mean reading every bid.
      if (TERMINAL_EVENTS.includes(e.type as EventType)) this.bus.pubsub.publish('final', e.intentId, e);
    }
  }

  /**
   * An intent's stored events after `afterSeq`, in order: its bids (kept as `bids` rows,
   * their payload rebuilt as it was published) merged with everything else.
   */
  async replay(intentId: number, afterSeq: number): Promise<StreamEvent[]> {
    const { rows } = await this.pool.query<{ tenant_id: string; seq: number; type: string; created_at: Date; payload: Record<string, unknown> }>(
      `select tenant_id, seq, type, created_at, payload from intent_events where intent_id = $1 and seq > $2
       union all
       select i.tenant_id, b.seq, 'bid', b.created_at,
              jsonb_build_object('agent', a.slug, 'name', a.name, 'emoji', a.emoji, 'domain', a.domain, 'outcome', b.outcome,
                                 'confidence', b.confidence, 'reasoning', b.reasoning, 'estimatedCostUsd', b.estimated_cost_usd, 'latencyMs', b.latency_ms)
         from bids b join agents a on a.id = b.agent_id join intents i on i.id = b.intent_id
        where b.intent_id = $1 and b.seq > $2
       order by seq`,
      [intentId, afterSeq],
    );
    return rows.map((r) => ({ intentId, tenantId: r.tenant_id, seq: r.seq, type: r.type, at: r.created_at.toISOString(), payload: r.payload }));
  }

  /** Whether the intent's final event is stored at or before `seq`. */
  private async endedBy(intentId: number, seq: number): Promise<boolean> {
    const { rows } = await this.pool.query(`select 1 from intent_events where intent_id = $1 and seq <= $2 and type = any($3::text[]) limit 1`, [
      intentId,
      seq,
      TERMINAL_EVENTS,
    ]);
    return rows.length > 0;
  }

  /**
   * Everything after `afterSeq`: first what is stored, then the live tail, with no gap
   * and no duplicate; ends after the terminal event. The caller checks access first.
   */
  stream(intentId: number, afterSeq: number): AsyncIterableIterator<StreamEvent> {
    return new Repeater<StreamEvent>(async (push, stop) => {
      const live = this.bus.pubsub.subscribe('intent', intentId);
      const buffered: StreamEvent[] = [];
      let replaying = true;
      let last = afterSeq;
      let done = false;
      const emit = async (e: StreamEvent) => {
        if (done || e.seq <= last) return;
        // Live delivery skipped something (a reconnecting Redis, say): fill from the store.
        if (e.seq > last + 1) for (const missed of await this.replay(intentId, last)) if (missed.seq < e.seq) await emitOne(missed);
        await emitOne(e);
      };
      const emitOne = async (e: StreamEvent) => {
        if (done || e.seq <= last) return;
        last = e.seq;
        await push(e);
        if (TERMINAL_EVENTS.includes(e.type as EventType)) {
          done = true;
          stop();
        }
      };
      const pump = (async () => {
        for await (const e of live) {
          if (replaying) buffered.push(e);
          else await emit(e);
          if (done) break;
        }
      })();
      try {
        for (const e of await this.replay(intentId, afterSeq)) await emitOne(e);
        // Drain what arrived meanwhile; only when the buffer is empty does live take over.
        while (buffered.length > 0) {
          buffered.sort((a, b) => a.seq - b.seq);
          await emit(buffered.shift()!);
        }
        replaying = false;
        // A resume at or past the final event has nothing left to wait for: it ends now
        // (a final event after `last` would still come live, so only one at or before it ends).
        if (!done && afterSeq > 0 && (await this.endedBy(intentId, last))) stop();
        await stop;
      } finally {
        done = true;
        await live.return?.();
        await pump.catch(() => {});
      }
    });
  }
}
