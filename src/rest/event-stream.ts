import { print } from 'graphql';
import { readSse } from '../lib/sse.js';
import { RestIntentEventsDocument } from '../generated/graphql.js';
import type { RequestIdContext } from '../http/plugins/request-id.js';
import { statusOf } from '../errors/error-codes.js';
import { errorResponse, FOLLOW_UP, INTERNAL_HEADER } from './rest-plugin.js';

const QUERY = print(RestIntentEventsDocument);

interface Yoga {
  fetch: (req: Request, ctx: RequestIdContext) => Promise<Response> | Response;
}

interface GqlEvent {
  data?: { intentEvents: { seq: number; type: string; at: string; intentId: string; payload: unknown } } | null;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

/**
 * `GET /api/intents/:id/events` as Server-Sent Events, run as the `intentEvents`
 * subscription through the same yoga instance: `id:` is the event's sequence number
 * (so browsers resume with Last-Event-ID), `event:` its type, `data:` the event.
 * `finale` (optional) is sent after the final event, e.g. the REST receipt.
 */
export async function streamIntentEvents(opts: {
  yoga: Yoga;
  request: Request;
  url: URL;
  serverContext: RequestIdContext;
  requestId: string;
  intentId: string;
  after: number;
  finale?: () => Promise<{ event: string; data: unknown } | null>;
  status?: number;
  /** A comment line this often keeps proxies from closing an idle stream. */
  heartbeatMs: number;
}): Promise<Response> {
  const { yoga, request, url, serverContext, requestId } = opts;
  const headers = new Headers({ 'content-type': 'application/json', accept: 'text/event-stream', [INTERNAL_HEADER]: FOLLOW_UP });
  const authorization = request.headers.get('authorization');
  if (authorization) headers.set('authorization', authorization);
  const upstream = new AbortController();
  request.signal.addEventListener('abort', () => upstream.abort());
  const response = await yoga.fetch(
    new Request(new URL('/graphql', url), {
      method: 'POST',
      headers,
      body: JSON.stringify({ query: QUERY, variables: { id: opts.intentId, after: opts.after } }),
      signal: upstream.signal,
    }),
    serverContext,
  );
  if (!response.body || !(response.headers.get('content-type') ?? '').includes('text/event-stream')) {
    const body = (await response.json().catch(() => ({}))) as GqlEvent;
    const code = body.errors?.[0]?.extensions?.code ?? 'INTERNAL_ERROR';
    return errorResponse(statusOf(code), code.toLowerCase(), body.errors?.[0]?.message ?? 'stream failed', requestId);
  }
  const events = readSse(response.body)[Symbol.asyncIterator]();
  // Read the first message before answering: an auth or not-found error is a plain JSON error.
  const first = await nextPayload(events);
  const firstError = first?.errors?.[0];
  if (firstError) {
    upstream.abort();
    const code = firstError.extensions?.code ?? 'INTERNAL_ERROR';
    return errorResponse(statusOf(code), code.toLowerCase(), firstError.message, requestId);
  }

  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (text: string) => controller.enqueue(encoder.encode(text));
      const heartbeat = setInterval(() => send(': heartbeat\n\n'), opts.heartbeatMs);
      try {
        send(': stream of intent events\n\n');
        for (let item = first; item; item = await nextPayload(events)) {
          const e = item.data?.intentEvents;
          if (!e) continue;
          send(`id: ${e.seq}\nevent: ${e.type}\ndata: ${JSON.stringify({ seq: e.seq, type: e.type, at: e.at, intent_id: Number(e.intentId), ...(e.payload as object) })}\n\n`);
        }
        const finale = await opts.finale?.();
        if (finale) send(`event: ${finale.event}\ndata: ${JSON.stringify(finale.data)}\n\n`);
      } catch {
        // the client went away, or the upstream ended: nothing more to say
      } finally {
        clearInterval(heartbeat);
        upstream.abort();
        try {
          controller.close();
        } catch {
          /* already closed by a cancelled client */
        }
      }
    },
    cancel() {
      upstream.abort();
    },
  });
  return new Response(stream, {
    status: opts.status ?? 200,
    headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-request-id': requestId },
  });
}

async function nextPayload(events: AsyncIterator<{ event?: string; data: string }>): Promise<GqlEvent | null> {
  for (;;) {
    const { value, done } = await events.next();
    if (done || value.event === 'complete') return null;
    if (value.event === 'next' || value.event === 'message') return JSON.parse(value.data) as GqlEvent;
  }
}
