import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Agent } from '../agents/agent.entity.js';
import { Intent } from '../intents/intent.entity.js';
import { ApiKey } from '../keys/api-key.entity.js';
import { Tenant } from '../tenants/tenant.entity.js';

/** `expired` is stored lazily: an `active` session idle past its time reads as expired too (see session.service.ts). */
export const SESSION_STATUSES = ['active', 'expired', 'closed'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

/**
 * A conversation with one agent, at the version it had when the session began. Its turns
 * are intents run on that agent with no auction (direct calls), so each is costed,
 * limited, charged and logged as any intent is; the session holds their order.
 */
export const Session = defineEntity({
  name: 'Session',
  tableName: 'sessions',
  properties: {
    /** `ses_` and 20 random characters. */
    id: p.string().length(40).primary(),
    tenant: () => p.manyToOne(Tenant).deleteRule('cascade'),
    apiKey: () => p.manyToOne(ApiKey).deleteRule('cascade'),
    agent: () => p.manyToOne(Agent).deleteRule('cascade'),
    agentSlug: p.string().length(100),
    agentVersion: p.string().length(32),
    status: p.enum(() => [...SESSION_STATUSES]).$type<SessionStatus>(),
    /** Octavus's session input: variables the client set when it began the session. */
    input: p.json<Record<string, unknown>>().nullable(),
    metadata: p.json<Record<string, unknown>>().nullable(),
    turnCount: p.integer().default(0),
    createdAt: p.datetime().onCreate(() => new Date()),
    lastActiveAt: p.datetime(),
    closedAt: p.datetime().nullable(),
  },
  indexes: [{ properties: ['tenant', 'createdAt'] }],
});
export type Session = InferEntity<typeof Session>;

/**
 * One turn: its input, and the intent that answered it (output, receipt and events are
 * the intent's). Keyed by (session, seq): two triggers racing for the same next turn
 * cannot both be stored, which is how a turn on a busy session is refused.
 */
export const SessionTurn = defineEntity({
  name: 'SessionTurn',
  tableName: 'session_turns',
  properties: {
    session: () => p.manyToOne(Session).deleteRule('cascade').primary(),
    seq: p.integer().primary(),
    intent: () => p.manyToOne(Intent).unique().deleteRule('cascade'),
    input: p.text(),
    /** Earlier turns left out of what the agent received, to fit the model's context (null until it ran). */
    trimmedTurns: p.integer().nullable(),
    /** Tokens of earlier conversation the agent received. */
    contextTokens: p.integer().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type SessionTurn = InferEntity<typeof SessionTurn>;
