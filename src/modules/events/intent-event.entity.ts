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
 * without gaps, so a subscriber that saw up to N resumes with "after N".
 */
export const IntentEvent = defineEntity({
  name: 'IntentEvent',
  tableName: 'intent_events',
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    intentId: p.integer(),
    tenantId: p.uuid(),
    seq: p.integer(),
    type: p.string().length(32).$type<EventType>(),
    payload: p.json<Record<string, unknown>>(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
  uniques: [{ properties: ['intentId', 'seq'] }],
  indexes: [{ properties: ['tenantId', 'createdAt'] }],
});
export type IntentEvent = InferEntity<typeof IntentEvent>;
