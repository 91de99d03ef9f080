import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const EVENT_TYPES = [
  'created',
  'bid',
  'auction_closed',
  'execution_started',
  'chunk',
  'verification',
  'failover',
  'completed',
  'failed',
  'cancelled',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];
export const TERMINAL_EVENTS: readonly EventType[] = ['completed', 'failed', 'cancelled'];

/**
 * The ordered, stored history of one intent. `seq` numbers an intent's events 1, 2, 3…
 * without gaps, so a subscriber that saw up to N resumes with "after N". Keyed by
 * (intent, seq), the one way it is read: a single index to write per event. Bids are
 * events too, but stored once, in `bids` (see the event log).
 */
export const IntentEvent = defineEntity({
  name: 'IntentEvent',
  tableName: 'intent_events',
  properties: {
    intentId: p.integer().primary(),
    seq: p.integer().primary(),
    tenantId: p.uuid(),
    type: p.string().length(32).$type<EventType>(),
    payload: p.json<Record<string, unknown>>(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type IntentEvent = InferEntity<typeof IntentEvent>;
