import type { MikroORM } from '@mikro-orm/postgresql';
import type pg from 'pg';
import { Repeater } from 'graphql-yoga';
import type { EventBus, StreamEvent } from './event-bus.js';
import { IntentEvent, TERMINAL_EVENTS, type EventType } from './intent-event.entity.js';

/** A change to the intent row (and rows that belong with it) written with its events. */
export interface IntentChange {
  /** Columns to set on the intent: [column, value, SQL type]. */
  set?: Array<[string, unknown, string]>;
  onlyIfNotFinal?: boolean;
  /** Rows to insert alongside, e.g. an auction's bids: [column, SQL type] per column. */
  rows?: { table: string; columns: Array<[string, string]>; values: unknown[][] };
  /** Marks this agent's bid on the intent as the winning one. */
  wonAgentId?: string;
}

export interface NewEvent {
  type: EventType;
  payload: Record<string, unknown>;
}

/**
 * Stores each intent's events in order, then publishes them. Storing before publishing
 * is what makes streams resumable without gaps: a subscriber listens first, reads the
 * store, then takes from the live feed only what comes after the last stored event.
 */
export class EventLog {
  constructor(
    private readonly orm: MikroORM,
    private readonly pool: pg.Pool,
    private readonly bus: EventBus,
  ) {}

  /** Stores and publishes events of an intent. */
  async append(intentId: number, tenantId: string, events: NewEvent[]): Promise<StreamEvent[]> {
    return (await this.write(intentId, tenantId, events)) ?? [];
  }

  /**
   * Stores events together with the intent's state change (and the rows that go with
   * it) in ONE statement, then publishes the events. The intent row's `event_seq` is the
   * counter: bumping it reserves the events' sequence numbers atomically, so a worker and
   * a cancel never take the same number. With `onlyIfNotFinal`, nothing is written when
   * the intent already reached a final status (e.g. cancelled), and null is returned.
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
    const sets = [`event_seq = event_seq + ${count}`, ...(change.set ?? []).map(([col, value, type]) => `${col} = ${$(value, type)}`)];
    const guard = change.onlyIfNotFinal ? ` and status not in ('completed', 'failed', 'cancelled')` : '';
    const ctes = [`intent as (update intents set ${sets.join(', ')} where id = ${id}${guard} returning event_seq)`];
    // Rows travel as one array per column (unnest): a few parameters to parse and plan
    // instead of thousands, which is most of what a 201-row insert costs.
    if (change.rows && change.rows.values.length > 0) {
      const { table, columns, values } = change.rows;
      const arrays = columns.map(([, type], c) => $(values.map((row) => row[c]), `${type}[]`));
      const names = columns.map(([name]) => name).join(', ');
      ctes.push(`${table}_rows as (insert into ${table} (${names}) select v.* from intent, unnest(${arrays.join(', ')}) as v(${names}))`);
    }
    if (change.wonAgentId) {
      ctes.push(`won as (update bids set won = true from intent where bids.intent_id = ${id} and bids.agent_id = ${$(change.wonAgentId, 'uuid')})`);
    }
    if (events.length > 0) {
      const types = $(events.map((e) => e.type), 'text[]');
      const payloads = $(events.map((e) => JSON.stringify(e.payload)), 'jsonb[]');
      ctes.push(
        `events as (insert into intent_events (intent_id, tenant_id, seq, type, payload, created_at)
           select ${id}, ${$(tenantId, 'uuid')}, intent.event_seq - ${count} + e.i, e.type, e.payload, ${$(now, 'timestamptz')}
             from intent, unnest(${types}, ${payloads}) with ordinality as e(type, payload, i))`,
      );
    }
    const { rows } = await this.pool.query<{ event_seq: number }>(`with ${ctes.join(', ')} select event_seq from intent`, params);
    if (rows.length === 0) return null;
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

  async replay(intentId: number, afterSeq: number): Promise<StreamEvent[]> {
    const rows = await this.orm.em.fork().find(IntentEvent, { intentId, seq: { $gt: afterSeq } }, { orderBy: { seq: 'asc' } });
    return rows.map((r) => ({ intentId: r.intentId, tenantId: r.tenantId, seq: r.seq, type: r.type, at: r.createdAt.toISOString(), payload: r.payload }));
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
        await stop;
      } finally {
        done = true;
        await live.return?.();
        await pump.catch(() => {});
      }
    });
  }
}
