import { builder } from '../../graphql/builder.js';
import { countedConnection, totalCountField } from '../../graphql/pagination.js';
import { invalid } from '../../errors/app-error.js';
import { EventInterface } from '../events/events.schema.js';
import { IntentStatusEnum } from '../intents/intents.schema.js';
import { SESSION_STATUSES } from './session.entity.js';
import type { SessionView, TurnView } from './session.service.js';

/** The longest a trigger may hold its answer for the turn's end. */
const MAX_WAIT_MS = 300_000;

/*
 * Octavus's two permissions on Gavel's scopes: Sessions is `intent_submit` (create,
 * trigger, cancel, close, restore) with `intent_read` for reads, since every turn is an
 * intent; Agents is `agents_write`. Both may read agents, which are public.
 */
const run = { scope: 'intent_submit' } as const;
const read = { $any: { scope: 'intent_read', $all: { scope: 'intent_submit' } } } as const;

const SessionStatusEnum = builder.enumType('SessionStatus', { values: SESSION_STATUSES });

const TurnErrorRef = builder.objectRef<{ code: string; message: string }>('SessionTurnError').implement({
  fields: (t) => ({ code: t.exposeString('code'), message: t.exposeString('message') }),
});

export const SessionTurnRef = builder.objectRef<TurnView>('SessionTurn').implement({
  description: "One turn: its input and the intent that answered it (run on the session's agent, with no auction)",
  fields: (t) => ({
    sessionId: t.exposeID('sessionId'),
    seq: t.exposeInt('seq', { description: 'Its place in the session, from 1' }),
    intentId: t.exposeID('intentId', { description: 'The intent that answered it: its receipt and events' }),
    input: t.exposeString('input'),
    status: t.field({ type: IntentStatusEnum, resolve: (r) => r.status }),
    output: t.exposeString('output', { nullable: true }),
    error: t.field({ type: TurnErrorRef, nullable: true, resolve: (r) => r.error }),
    inputTokens: t.exposeInt('inputTokens'),
    outputTokens: t.exposeInt('outputTokens'),
    costUsd: t.exposeFloat('costUsd'),
    durationMs: t.exposeInt('durationMs', { nullable: true }),
    trimmedTurns: t.exposeInt('trimmedTurns', { nullable: true, description: "Earlier turns left out to fit the model's context (null until it ran)" }),
    contextTokens: t.exposeInt('contextTokens', { nullable: true, description: 'Tokens of earlier conversation the agent received' }),
    createdAt: t.field({ type: 'DateTime', resolve: (r) => r.createdAt }),
    completedAt: t.field({ type: 'DateTime', nullable: true, resolve: (r) => r.completedAt }),
  }),
});

export const SessionRef = builder.objectRef<SessionView>('Session').implement({
  description: 'A conversation with one agent, triggered turn by turn',
  fields: (t) => ({
    id: t.exposeID('id'),
    agentId: t.exposeID('agentId'),
    agentSlug: t.exposeString('agentSlug'),
    agentVersion: t.exposeString('agentVersion'),
    agentKind: t.string({ nullable: true, resolve: (s) => s.agentKind }),
    status: t.field({ type: SessionStatusEnum, resolve: (s) => s.status }),
    input: t.field({ type: 'JSON', nullable: true, resolve: (s) => s.input }),
    metadata: t.field({ type: 'JSON', nullable: true, resolve: (s) => s.metadata }),
    turnCount: t.exposeInt('turnCount'),
    createdAt: t.field({ type: 'DateTime', resolve: (s) => s.createdAt }),
    lastActiveAt: t.field({ type: 'DateTime', resolve: (s) => s.lastActiveAt }),
    expiresAt: t.field({ type: 'DateTime', nullable: true, resolve: (s) => s.expiresAt }),
    closedAt: t.field({ type: 'DateTime', nullable: true, resolve: (s) => s.closedAt }),
    turns: t.field({ type: [SessionTurnRef], resolve: (s, _args, ctx) => ctx.modules.sessions.turns(ctx.auth!, s.id) }),
  }),
});

builder.queryField('session', (t) =>
  t.field({
    type: SessionRef,
    authScopes: read,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => ctx.modules.sessions.get(ctx.auth!, String(id)),
  }),
);

builder.queryField('sessions', (t) =>
  t.connection(
    {
      type: SessionRef,
      authScopes: read,
      description: "The caller's tenant's sessions, newest first",
      resolve: (_root, args, ctx) => countedConnection(args, (page) => ctx.modules.sessions.list(ctx.auth!, page)),
    },
    totalCountField('SessionConnection'),
  ),
);

builder.mutationField('createSession', (t) =>
  t.field({
    type: SessionRef,
    authScopes: run,
    description: 'Begins a session with one agent (by id or slug), at its current version',
    args: {
      agentId: t.arg.id({ required: true }),
      input: t.arg({ type: 'JSON', description: "Octavus's session input: your variables, kept with the session" }),
      metadata: t.arg({ type: 'JSON', description: 'Your own key-value pairs' }),
    },
    resolve: (_root, args, ctx) => ctx.modules.sessions.create(ctx.auth!, String(args.agentId), args.input, args.metadata),
  }),
);

builder.mutationField('triggerSession', (t) =>
  t.field({
    type: SessionTurnRef,
    authScopes: run,
    description:
      "Starts the session's next turn (an intent on its agent, costed and charged as one). 409 while the previous turn runs. Follow it with sessionEvents.",
    args: {
      id: t.arg.id({ required: true }),
      input: t.arg.string({ required: true, description: 'The message, 1 to 8,000 characters' }),
      waitMs: t.arg.int({ description: 'Wait up to this many ms (max 300000) for the turn to end; absent or 0 answers at once' }),
    },
    resolve: (_root, { id, input, waitMs }, ctx) => ctx.modules.sessions.trigger(ctx.auth!, String(id), input, Math.min(Math.max(waitMs ?? 0, 0), MAX_WAIT_MS)),
  }),
);

builder.mutationField('cancelSessionTurn', (t) =>
  t.field({
    type: SessionTurnRef,
    authScopes: run,
    description: 'Cancels the running turn; the session stays active',
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => ctx.modules.sessions.cancelTurn(ctx.auth!, String(id)),
  }),
);

builder.mutationField('closeSession', (t) =>
  t.field({
    type: SessionRef,
    authScopes: run,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => ctx.modules.sessions.close(ctx.auth!, String(id)),
  }),
);

builder.mutationField('restoreSession', (t) =>
  t.field({
    type: SessionRef,
    authScopes: run,
    description: 'An expired session back to active (an active one is answered as it is)',
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => ctx.modules.sessions.restore(ctx.auth!, String(id)),
  }),
);

interface SessionEvent {
  turn: number;
  event: unknown;
}

const SessionEventRef = builder.objectRef<SessionEvent>('SessionEvent').implement({
  description: "One event of one of the session's turns",
  fields: (t) => ({
    turn: t.exposeInt('turn', { description: "The turn's seq" }),
    event: t.field({ type: EventInterface, resolve: (e) => e.event as never }),
  }),
});

builder.subscriptionField('sessionEvents', (t) =>
  t.field({
    type: SessionEventRef,
    description:
      "The events of the session's turns, turn by turn: after (`afterTurn`, `after`) (the last turn and event seq seen) those already stored, then live ones; completes after the final event of the last turn",
    authScopes: read,
    args: {
      sessionId: t.arg.id({ required: true }),
      afterTurn: t.arg.int({ description: 'The turn of the last event seen (default 0: from the first turn)' }),
      after: t.arg.int({ description: 'The last event seq seen in that turn (default 0)' }),
    },
    subscribe: async (_root, { sessionId, afterTurn, after }, ctx) => {
      if ((afterTurn ?? 0) < 0 || (after ?? 0) < 0) throw invalid('afterTurn and after must be 0 or more', 'after');
      const turns = await ctx.modules.sessions.turns(ctx.auth!, String(sessionId));
      return (async function* () {
        for (const turn of turns) {
          if (turn.seq < (afterTurn ?? 0)) continue;
          const from = turn.seq === afterTurn ? (after ?? 0) : 0;
          for await (const event of ctx.modules.feeds.intentEvents(ctx.auth!, Number(turn.intentId), from)) yield { turn: turn.seq, event };
        }
      })();
    },
    resolve: (event) => event,
  }),
);
