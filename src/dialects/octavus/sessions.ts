import { z } from 'zod/v4';
import {
  RestCancelSessionTurnDocument,
  RestCloseSessionDocument,
  RestCreateSessionDocument,
  RestRestoreSessionDocument,
  RestSessionAgentKindDocument,
  RestSessionDocument,
  RestTriggerSessionDocument,
  type SessionFieldsFragment,
  type SessionTurnFieldsFragment,
} from '../../generated/graphql.js';
import { defineRoute, idFromPath } from '../kit/index.js';
import { typedEvents, StreamEventSchema } from './stream-events.js';

const Status = z.enum(['active', 'expired', 'closed']);
const TurnStatus = z.enum(['pending', 'bidding', 'executing', 'verifying', 'completed', 'failed', 'cancelled']);

const TurnSchema = z.object({
  seq: z.number().int(),
  intentId: z.string().describe('The intent that answered the turn: its receipt and events at /api/intents/:id'),
  input: z.string(),
  status: TurnStatus,
  output: z.string().nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  usage: z.object({ inputTokens: z.number().int(), outputTokens: z.number().int() }),
  costUsd: z.number(),
  durationMs: z.number().int().nullable(),
  trimmedTurns: z.number().int().nullable().describe("Earlier turns left out of what the agent received, to fit the model's context"),
  createdAt: z.string(),
  completedAt: z.string().nullable(),
});

const SessionSchema = z.object({
  id: z.string(),
  agentId: z.string(),
  agentSlug: z.string(),
  agentVersion: z.string(),
  status: Status,
  input: z.record(z.string(), z.unknown()).nullable(),
  metadata: z.record(z.string(), z.unknown()).nullable(),
  turnCount: z.number().int(),
  createdAt: z.string(),
  lastActiveAt: z.string(),
  expiresAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  turns: z.array(TurnSchema),
  messages: z.array(z.object({ role: z.enum(['user', 'assistant']), content: z.string() })).describe('The conversation, oldest first'),
});

function turnBody(t: SessionTurnFieldsFragment): z.output<typeof TurnSchema> {
  return {
    seq: t.seq,
    intentId: t.intentId,
    input: t.input,
    status: t.status,
    output: t.output ?? null,
    error: t.error ?? null,
    usage: { inputTokens: t.inputTokens, outputTokens: t.outputTokens },
    costUsd: t.costUsd,
    durationMs: t.durationMs ?? null,
    trimmedTurns: t.trimmedTurns ?? null,
    createdAt: String(t.createdAt),
    completedAt: t.completedAt ? String(t.completedAt) : null,
  };
}

function sessionBody(s: SessionFieldsFragment): z.output<typeof SessionSchema> {
  return {
    id: s.id,
    agentId: s.agentId,
    agentSlug: s.agentSlug,
    agentVersion: s.agentVersion,
    status: s.status,
    input: (s.input as Record<string, unknown> | null) ?? null,
    metadata: (s.metadata as Record<string, unknown> | null) ?? null,
    turnCount: s.turnCount,
    createdAt: String(s.createdAt),
    lastActiveAt: String(s.lastActiveAt),
    expiresAt: s.expiresAt ? String(s.expiresAt) : null,
    closedAt: s.closedAt ? String(s.closedAt) : null,
    turns: s.turns.map(turnBody),
    messages: s.turns.flatMap((t) => [
      { role: 'user' as const, content: t.input },
      ...(t.output !== null && t.output !== undefined ? [{ role: 'assistant' as const, content: t.output }] : []),
    ]),
  };
}

const objectError = { error: 'Request body must be a JSON object' };
const CreateBody = z.object(
  {
    agentId: z.string().min(1, 'agentId is required').describe('The agent, by id or slug'),
    input: z.record(z.string(), z.unknown()).nullish().describe('Session variables, kept with the session'),
    metadata: z.record(z.string(), z.unknown()).nullish(),
  },
  objectError,
);

/**
 * Octavus triggers name a trigger and pass its input; Gavel's agents take one message:
 * `input` as a string, or the first of `USER_MESSAGE`, `message` or `text` in an object.
 */
const TriggerBody = z.object(
  {
    triggerName: z.string().optional().describe('Accepted for Octavus clients; every trigger sends the message to the agent'),
    input: z.union([
      z.string().min(1, 'input must not be empty'),
      z
        .object({ USER_MESSAGE: z.string().min(1).optional(), message: z.string().min(1).optional(), text: z.string().min(1).optional() })
        .refine((o) => o.USER_MESSAGE ?? o.message ?? o.text, { message: 'input needs USER_MESSAGE, message or text' }),
    ]),
  },
  objectError,
);

const messageOf = (input: z.output<typeof TriggerBody>['input']): string =>
  typeof input === 'string' ? input : (input.USER_MESSAGE ?? input.message ?? input.text)!;

const IdParams = z.object({ id: z.string() });

export const sessionRoutes = [
  defineRoute({
    method: 'POST',
    path: '/agent-sessions',
    summary: 'Begins a session with one agent',
    document: RestCreateSessionDocument,
    body: CreateBody,
    variables: ({ body }) => ({ agentId: body.agentId, input: body.input ?? null, metadata: body.metadata ?? null }),
    result: ({ createSession }) => ({ status: 201, body: sessionBody(createSession) }),
    responses: { 201: { description: 'The session', schema: SessionSchema } },
  }),
  defineRoute({
    method: 'GET',
    path: '/agent-sessions/:id',
    summary: "A session's state: status, turns with their receipts, the conversation",
    document: RestSessionDocument,
    params: IdParams,
    variables: idFromPath,
    result: ({ session }) => ({ body: sessionBody(session) }),
    responses: { 200: { description: 'The session', schema: SessionSchema } },
  }),
  defineRoute({
    method: 'POST',
    path: '/agent-sessions/:id/trigger',
    summary: "Runs the session's next turn, streamed as typed events (SSE); ends with one finish or one error",
    document: RestTriggerSessionDocument,
    params: IdParams,
    body: TriggerBody,
    variables: ({ params, body }) => ({ id: params.id, input: messageOf(body.input) }),
    errors: [409],
    responses: {
      200: {
        description:
          'text/event-stream: `data:` lines of start, text-start, text-delta…, text-end (tool agents: tool-input-start, tool-input-available, tool-output-available first), then finish or error. A client that goes away does not stop the turn; read it with GET /agent-sessions/:id.',
      },
    },
    stream: {
      always: true,
      eventSchema: StreamEventSchema,
      open: async ({ triggerSession }, { params }, tools) => {
        const { session } = await tools.query(RestSessionAgentKindDocument, { id: params.id });
        const frames = typedEvents({ sessionId: params.id, seq: triggerSession.seq, agent: session.agentSlug, kind: session.agentKind ?? 'llm' });
        return tools.events(triggerSession.intentId, 0, undefined, frames);
      },
    },
  }),
  defineRoute({
    method: 'DELETE',
    path: '/agent-sessions/:id/trigger',
    summary: 'Cancels the running turn; the session stays active',
    document: RestCancelSessionTurnDocument,
    params: IdParams,
    variables: idFromPath,
    result: ({ cancelSessionTurn }) => ({ body: turnBody(cancelSessionTurn) }),
    errors: [409],
    responses: { 200: { description: 'The turn as it ended', schema: TurnSchema } },
  }),
  defineRoute({
    method: 'POST',
    path: '/agent-sessions/:id/restore',
    summary: 'An expired session back to active',
    document: RestRestoreSessionDocument,
    params: IdParams,
    variables: idFromPath,
    result: ({ restoreSession }) => ({ body: sessionBody(restoreSession) }),
    errors: [409],
    responses: { 200: { description: 'The session', schema: SessionSchema } },
  }),
  defineRoute({
    method: 'DELETE',
    path: '/agent-sessions/:id',
    summary: 'Closes a session (Gavel extension); its turns stay readable',
    document: RestCloseSessionDocument,
    params: IdParams,
    variables: idFromPath,
    result: ({ closeSession }) => ({ body: sessionBody(closeSession) }),
    errors: [409],
    responses: { 200: { description: 'The closed session', schema: SessionSchema } },
  }),
];
