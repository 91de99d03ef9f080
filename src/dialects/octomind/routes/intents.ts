import { z } from 'zod/v4';
import {
  RestIntentDocument,
  RestIntentsDocument,
  RestSubmitIntentDocument,
  type IntentFilterStatus,
  type ReceiptFragment,
} from '../../../generated/graphql.js';
import { defineRoute, idFromPath, graphqlEnum, type RouteResponse } from '../../kit/index.js';
import { SubmitBodySchema, submitVariables } from '../intent-input.js';
import { connectionArgs, integerQuery, intentIdParam, pageMembers, pageQuery } from '../paging.js';
import { receipt, ReceiptSchema } from '../receipt.js';

/** How long `POST /api/intents` waits for the receipt before answering 202 with the pending intent. */
const SYNC_WAIT_MS = 120_000;

const ListStatus = graphqlEnum<IntentFilterStatus>()(['completed', 'failed', 'in_progress', 'pending', 'bidding', 'executing', 'verifying', 'cancelled']);
const IdParams = z.object({ id: intentIdParam });

const wantsStream = (headers: Headers) => (headers.get('accept') ?? '').includes('text/event-stream');
const wantsAsync = (query: { wait?: string }, headers: Headers) => query.wait === 'false' || /respond-async/i.test(headers.get('prefer') ?? '');

/** OctoMind's intents: submit (waiting for the receipt, or not, or streaming), get, list, events. */
export const intentRoutes = [
  defineRoute({
    method: 'POST',
    path: '/intents',
    summary: 'Submits an intent: agents bid, the winner executes, the answer is the receipt',
    document: RestSubmitIntentDocument,
    query: z.object({ wait: z.enum(['true', 'false']).optional().describe('false: answer 202 at once (as Prefer: respond-async does)') }),
    body: SubmitBodySchema,
    // Waits for the receipt (OctoMind answers it whole) unless the caller opts out or streams.
    variables: ({ body, query, headers }) => ({
      input: submitVariables(body, headers),
      waitMs: wantsAsync(query, headers) || wantsStream(headers) ? 0 : SYNC_WAIT_MS,
    }),
    // With `Accept: text/event-stream`: the auction as it happens, ending with the receipt.
    stream: {
      open: ({ submitIntent }, _input, { events, query }) =>
        events(submitIntent.id, 0, async () => ({ event: 'receipt', data: receipt((await query(RestIntentDocument, { id: submitIntent.id })).intent) })),
    },
    result: ({ submitIntent: intent }) => {
      const headers = { Location: `/api/intents/${intent.id}` };
      if (intent.status === 'failed' || intent.status === 'cancelled') {
        const failure = failureOf(intent);
        return { headers: { ...headers, ...failure.headers }, error: failure };
      }
      if (intent.status !== 'completed') return { status: 202, body: receipt(intent), headers };
      return { body: receipt(intent) };
    },
    errors: [402, 409, 422, 503],
    responses: {
      200: { description: 'The receipt of a completed intent', schema: ReceiptSchema },
      202: { description: 'Accepted: the intent is still running; poll Location or stream its events', schema: ReceiptSchema, headers: ['Location'] },
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/intents/:id',
    summary: 'The receipt of one of your intents',
    document: RestIntentDocument,
    params: IdParams,
    variables: idFromPath,
    result: ({ intent }) => ({ body: receipt(intent) }),
    responses: { 200: { description: 'The receipt', schema: ReceiptSchema } },
  }),
  defineRoute({
    method: 'GET',
    path: '/intents/:id/events',
    summary: "An intent's events as Server-Sent Events, resumable with Last-Event-ID or ?after=",
    document: RestIntentDocument,
    params: IdParams,
    query: z.object({
      after: integerQuery('after', 0, 0, 1_000_000_000).describe('Resume after this sequence number'),
      stream_token: z.string().optional().describe('In place of Authorization, for an EventSource: a token from POST /api/intents/{id}/stream-token'),
    }),
    variables: idFromPath,
    stream: {
      always: true,
      tokenIntent: ({ params }) => params.id,
      // Last-Event-ID is what browsers send on reconnect.
      open: (_data, { params, query, headers }, { events }) => events(params.id, lastEventId(headers.get('last-event-id')) ?? query.after),
    },
    responses: {},
  }),
  defineRoute({
    method: 'GET',
    path: '/intents',
    summary: 'Your intents, newest first',
    document: RestIntentsDocument,
    query: z.object({ ...pageQuery, status: ListStatus.optional().describe('A status, or in_progress for bidding, executing and verifying') }),
    variables: ({ query }) => ({ ...connectionArgs(query), status: query.status ?? null }),
    result: ({ intents }, { query }) => ({
      body: { intents: intents.edges.map((e) => receipt(e.node)), total: intents.totalCount, limit: query.limit, offset: query.offset },
    }),
    responses: { 200: { description: 'A page of receipts', schema: z.object({ intents: z.array(ReceiptSchema), ...pageMembers }) } },
  }),
];

function lastEventId(value: string | null): number | null {
  return value !== null && /^\d{1,10}$/.test(value.trim()) ? Number(value.trim()) : null;
}

/** Seconds a client is told to wait before resubmitting an intent its LLM provider failed (the provider's circuit cools down in 30). */
const PROVIDER_RETRY_AFTER_S = 10;

/**
 * A waited-for intent that did not deliver answers as the error it is, with OctoMind's
 * codes (an agent execution failure is a 500 `internal_error`, retry-safe), so a caller
 * that checks the status never takes it for a result. The intent is stored all the
 * same: `intent_id` (and `Location`) lead to its receipt, bids and attempts. A provider
 * problem is OctoMind's documented 503 `service_unavailable`, `reason` saying which
 * (`provider_not_configured`: the operator must configure one; `provider_unavailable`:
 * retry, as `Retry-After` says).
 */
function failureOf(intent: ReceiptFragment): NonNullable<RouteResponse['error']> & { headers?: Record<string, string> } {
  const reason = intent.error?.code ?? (intent.status === 'cancelled' ? 'cancelled' : 'execution_failed');
  const message = intent.error?.message ?? `Intent ${intent.id} ${intent.status}`;
  const extra = { intent_id: Number(intent.id), reason };
  if (reason === 'no_bids') return { status: 422, code: 'NO_BIDS', message, extra };
  if (reason === 'provider_not_configured') return { status: 503, code: 'SERVICE_UNAVAILABLE', message, extra };
  if (reason === 'provider_unavailable') {
    return {
      status: 503,
      code: 'SERVICE_UNAVAILABLE',
      message,
      extra: { ...extra, retry_after: PROVIDER_RETRY_AFTER_S },
      headers: { 'Retry-After': String(PROVIDER_RETRY_AFTER_S) },
    };
  }
  if (intent.status === 'cancelled') return { status: 409, code: 'CONFLICT', message, extra };
  return { status: 500, code: 'INTERNAL_ERROR', message, extra };
}
