import type { MikroORM } from '@mikro-orm/postgresql';
import type pg from 'pg';
import { Repeater } from 'graphql-yoga';
import type { EventBus, StreamEvent } from './event-bus.js';
import { IntentEvent, TERMINAL_EVENTS, type EventType } from './intent-event.entity.js';

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

  async append(intentId: number, tenantId: string, events: NewEvent[]): Promise<StreamEvent[]> {
    if (events.length === 0) return [];
    const now = new Date();
    // One statement reserves a block of sequence numbers (atomically: a worker and a
    // cancel never take the same number) and stores the events under them.
    const values = events.map((_, i) => `($${5 + i * 3}::int, $${6 + i * 3}::text, $${7 + i * 3}::jsonb)`).join(', ');
    const params = events.flatMap((e, i) => [i, e.type, JSON.stringify(e.payload)]);
    const { rows } = await this.pool.query<{ seq: number }>(
      `with reserved as (update intents set event_seq = event_seq + $1 where id = $2 returning event_seq)
       insert into intent_events (intent_id, tenant_id, seq, type, payload, created_at)
       select $2, $3, reserved.event_seq - $1 + 1 + e.i, e.type, e.payload, $4
         from reserved, (values ${values}) as e(i, type, payload)
       returning seq`,
      [events.length, intentId, tenantId, now, ...params],
    );
    if (rows.length === 0) return [];
    const first = Math.min(...rows.map((r) => r.seq));
    const out = events.map((e, i) => ({ intentId, tenantId, seq: first + i, type: e.type, at: now.toISOString(), payload: e.payload }));
    for (const e of out) {
      this.bus.pubsub.publish('intent', intentId, e);
      if (e.type === 'bid') this.bus.pubsub.publish('bids', tenantId, e);
    }
    return out;
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
