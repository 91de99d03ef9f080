import type pg from 'pg';
import { Repeater } from 'graphql-yoga';
import type { Sql } from '../../db/sql.js';
import { insertBidsPart, markWonPart, restateBidsPart, type BidRow } from '../auctions/index.js';
import { advanceIntent, eventSeqPart, type IntentColumns } from '../intents/index.js';
import type { EventBus, StreamEvent } from './event-bus.js';
import { hasEventBy, insertEventsPart, notifyEventsPart, replayEvents } from './event.store.js';
import { TERMINAL_EVENTS, type EventType } from './intent-event.entity.js';

/** A change to the intent row (and rows that belong with it) written with its events. */
export interface IntentChange {
  /** Columns to set on the intent. */
  set?: IntentColumns;
  onlyIfNotFinal?: boolean;
  /** Bids stored earlier (as they streamed in), restated with what the close decided: rank, eligibility, score. */
  restate?: BidRow[];
  /** Marks this agent's (already stored) bid on the intent as the winning one. */
  wonAgentId?: string;
  /**
   * Further writes that belong with this change (e.g. completing its job: the jobs
   * module's `completeJobPart`), as CTE bodies from the modules that own their tables.
   * They may read `intent`: the intent row as this statement updated it, empty when
   * `onlyIfNotFinal` stopped the write.
   */
  also?: Sql[];
}

export type { BidRow };

export interface NewEvent {
  type: EventType;
  payload: Record<string, unknown>;
  /** A `bid` event is stored as this row of `bids` (with its seq), not in intent_events. */
  bid?: BidRow;
}

/**
 * Stores each intent's events in order, then publishes them. Storing before publishing
 * is what makes streams resumable without gaps: a subscriber listens first, reads the
 * store, then takes from the live feed only what comes after the last stored event.
 */
export class EventLog {
  /** Callers in this process waiting for an intent's final row (see `watchFinalRow`). */
  private readonly finalRowWatchers = new Map<number, Set<(row: Record<string, unknown>) => void>>();

  /**
   * @param notifyAs this instance's name, when each write must also notify the other
   *   instances (PostgreSQL without Redis: see event-relay.ts); null otherwise.
   */
  constructor(
    private readonly pool: pg.Pool,
    private readonly bus: EventBus,
    private readonly notifyAs: string | null = null,
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
    // A write that ends the intent returns its whole row, for the waiters watching it.
    const final = events.some((e) => TERMINAL_EVENTS.includes(e.type));
    // An event's seq is the counter before this write plus its position in `events`.
    const seqOf = eventSeqPart(events.length);
    const parts: Sql[] = [];
    const bids = events.flatMap((e, i) => (e.bid ? [{ row: e.bid, position: i + 1 }] : []));
    if (bids.length > 0) parts.push(insertBidsPart(intentId, now, bids, seqOf));
    if (change.restate && change.restate.length > 0) parts.push(restateBidsPart(intentId, change.restate));
    if (change.wonAgentId) parts.push(markWonPart(intentId, change.wonAgentId));
    parts.push(...(change.also ?? []));
    const others = events.flatMap((e, i) => (e.bid ? [] : [{ type: e.type, payload: e.payload, position: i + 1 }]));
    if (others.length > 0) parts.push(insertEventsPart(intentId, tenantId, now, others, seqOf));
    const notify =
      this.notifyAs !== null && events.length > 0
        ? notifyEventsPart({ s: this.notifyAs, n: intentId, t: tenantId, c: events.length, b: bids.length > 0, f: final })
        : undefined;
    const rows = await advanceIntent(
      this.pool,
      { intentId, events: events.length, set: change.set ?? {}, onlyIfNotFinal: change.onlyIfNotFinal ?? false, returnRow: final, notify },
      parts,
    );
    if (rows.length === 0) return null;
    if (final) for (const watcher of this.finalRowWatchers.get(intentId) ?? []) watcher(rows[0]!);
    const first = (rows[0]!.event_seq as number) - events.length + 1;
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
    const rows = await replayEvents(this.pool, intentId, afterSeq);
    return rows.map((r) => ({ intentId, tenantId: r.tenant_id, seq: r.seq, type: r.type, at: r.created_at.toISOString(), payload: r.payload }));
  }

  /** Whether the intent's final event is stored at or before `seq`. */
  private endedBy(intentId: number, seq: number): Promise<boolean> {
    return hasEventBy(this.pool, intentId, seq, TERMINAL_EVENTS);
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
