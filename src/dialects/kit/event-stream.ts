import { GraphQLError, type ExecutionResult } from 'graphql';
import { KitIntentEventsDocument } from '../../generated/graphql.js';
import type { Gateway } from '../../http/gateway.js';
import type { RequestIdContext } from '../../http/plugins/request-id.js';
import type { Logger } from '../../observability/logger.js';
import { compileOperation, failedStep, runEnveloped, type StepResult } from './envelope.js';

const OPERATION = compileOperation(KitIntentEventsDocument);

export interface IntentEvent {
  seq: number;
  type: string;
  at: string;
  intentId: string;
  payload: unknown;
}
type EventResult = ExecutionResult<{ intentEvents: IntentEvent }>;

export interface StreamOptions {
  /** A comment line this often keeps proxies from closing an idle stream. */
  heartbeatMs: number;
  /** Where an error inside a stream is told, with the request id; it ends that stream only. */
  logger: Logger;
}

type StreamError = NonNullable<StepResult['error']>;

const STREAM_FAILED: StreamError = { status: 500, code: 'INTERNAL_ERROR', message: 'The event stream failed', extra: {}, headers: {} };

/** One SSE message: `event:` and `id:` lines when set, then `data:` as JSON. */
export interface StreamFrame {
  id?: string | number;
  event?: string;
  data: unknown;
}

/** A dialect's own SSE messages: those of each stored event (none, one or several), and of an error that ends the stream. */
export interface StreamFrames {
  event: (e: IntentEvent) => StreamFrame[];
  error: (error: StreamError) => StreamFrame[];
}

/** How a stream that cannot start answers: the dialect's own error body. */
export type StreamErrorResponder = (error: StreamError) => Response;

/**
 * An intent's events as Server-Sent Events (`GET /api/intents/:id/events`), run as the `intentEvents`
 * subscription through yoga's envelope (no second HTTP request): `id:` is the event's
 * sequence number (so browsers resume with Last-Event-ID), `event:` its type, `data:`
 * the event. `finale` (optional) is sent after the final event, e.g. the REST receipt.
 * A resume at or past the final event answers 204 No Content, which tells an
 * EventSource to stop reconnecting.
 */
export async function streamIntentEvents(
  opts: StreamOptions & {
    yoga: Gateway;
    request: Request;
    serverContext: RequestIdContext;
    requestId: string;
    intentId: string;
    after: number;
    finale?: () => Promise<{ event: string; data: unknown } | null>;
    respondError: StreamErrorResponder;
    /** The dialect's error body, sent as the `error` event that ends a stream which cannot go on. */
    errorBody: (error: StreamError) => unknown;
    /** A dialect's own frames for each event and for that error (Octavus's typed events); default: OctoMind's. */
    frames?: StreamFrames;
  },
): Promise<Response> {
  const errorOf = (result: ExecutionResult, fallbackCode: string) => opts.respondError(failedStep(result, fallbackCode).error!);
  const { request, requestId } = opts;
  // The call's first operation was counted against the rate; this one is its follow-up.
  const outcome = await runEnveloped(opts.yoga, OPERATION, { id: opts.intentId, after: opts.after }, request, opts.serverContext, {
    followUp: true,
    subscribe: true,
  });
  if ('refused' in outcome) return errorOf(outcome.refused, outcome.fallbackCode);
  if (!(Symbol.asyncIterator in outcome.result)) return errorOf(outcome.result, 'INTERNAL_ERROR');
  const events = (outcome.result as AsyncIterable<EventResult>)[Symbol.asyncIterator]();

  // Whoever ends first (the client, the last event, an error) releases the subscription, once.
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    request.signal.removeEventListener('abort', release);
    events.return?.().catch((error: unknown) => opts.logger.warn({ err: error, requestId }, 'closing an event stream failed'));
  };
  request.signal.addEventListener('abort', release);
  if (request.signal.aborted) release();

  // Read the first message before answering: an auth or not-found error is a plain JSON error.
  const first = await events.next().catch((error: unknown) => ({ error }));
  if ('error' in first) {
    release();
    opts.logger.error({ err: first.error, requestId }, 'event stream failed before its first event');
    return opts.respondError(STREAM_FAILED);
  }
  if (first.done) {
    release();
    return new Response(null, { status: 204, headers: { 'x-request-id': requestId } });
  }
  if (first.value.errors?.length) {
    release();
    return errorOf(first.value, 'INTERNAL_ERROR');
  }

  const encoder = new TextEncoder();
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  let open = true;
  const finish = () => {
    open = false;
    clearInterval(heartbeat);
    release();
  };
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      // A client may go at any moment, even between a heartbeat's timer and its write:
      // nothing is written once the stream ended, and a failed write only ends this stream.
      const send = (text: string) => {
        if (!open) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          finish();
        }
      };
      // A stream that cannot go on says why, in the dialect's error body, rather than just ending.
      const sendError = (error: StreamError) =>
        opts.frames ? opts.frames.error(error).forEach(sendFrame) : send(`event: error\ndata: ${JSON.stringify(opts.errorBody(error))}\n\n`);
      const sendFrame = (f: StreamFrame) =>
        send(`${f.id !== undefined ? `id: ${f.id}\n` : ''}${f.event ? `event: ${f.event}\n` : ''}data: ${JSON.stringify(f.data)}\n\n`);
      heartbeat = setInterval(() => send(': heartbeat\n\n'), opts.heartbeatMs);
      try {
        send(': stream of intent events\n\n');
        for (let item: IteratorResult<EventResult> = first; open && !item.done; item = await events.next()) {
          if (item.value.errors?.length) return sendError(failedStep(item.value, 'INTERNAL_ERROR').error!);
          const e = item.value.data?.intentEvents;
          if (!e) continue;
          if (opts.frames) {
            opts.frames.event(e).forEach(sendFrame);
            continue;
          }
          send(
            `id: ${e.seq}\nevent: ${e.type}\ndata: ${JSON.stringify({ seq: e.seq, type: e.type, at: e.at, intent_id: Number(e.intentId), ...(e.payload as object) })}\n\n`,
          );
        }
        const finale = open ? await opts.finale?.() : null;
        if (finale) send(`event: ${finale.event}\ndata: ${JSON.stringify(finale.data)}\n\n`);
      } catch (error) {
        if (!open) return;
        // An expected end (the key revoked or expired) carries its code; anything else is logged and masked.
        if (error instanceof GraphQLError && typeof error.extensions.code === 'string') {
          sendError(failedStep({ errors: [error] }, 'INTERNAL_ERROR').error!);
        } else {
          opts.logger.error({ err: error, requestId }, 'event stream failed; ending it');
          sendError(STREAM_FAILED);
        }
      } finally {
        const wasOpen = open;
        finish();
        if (wasOpen) {
          try {
            controller.close();
          } catch {
            /* cancelled meanwhile */
          }
        }
      }
    },
    cancel: finish,
  });
  return new Response(stream, {
    headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-request-id': requestId },
  });
}
