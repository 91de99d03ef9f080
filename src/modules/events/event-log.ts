import type { MikroORM } from '@mikro-orm/postgresql';
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
    private readonly bus: EventBus,
  ) {}

  async append(intentId: number, tenantId: string, events: NewEvent[]): Promise<StreamEvent[]> {
    if (events.length === 0) return [];
    const conn = this.orm.em.getConnection();
    // Reserve a block of sequence numbers atomically: concurrent writers (a worker and a
    // cancel) never take the same number.
    const [row] = await conn.execute<Array<{ event_seq: number }>>(
      'update intents set event_seq = event_seq + ? where id = ? returning event_seq',
      [events.length, intentId],
    );
    if (!row) return [];
    const first = row.event_seq - events.length + 1;
    const now = new Date();
    const stored = events.map((e, i) => ({ intentId, tenantId, seq: first + i, type: e.type, payload: e.payload, createdAt: now }));
    await this.orm.em.fork().insertMany<IntentEvent>(IntentEvent, stored);
    const out = stored.map((e) => ({ intentId, tenantId, seq: e.seq, type: e.type, at: now.toISOString(), payload: e.payload }));
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
