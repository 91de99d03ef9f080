import type { EventSourceMessage } from 'eventsource-parser/stream';
export { readSse } from '../../../lib/sse.js';
import type { TokenUsage } from '../types.js';

/* Reading the HTTP answers of providers and agents: SSE streams, JSON events, errors. */

/** The JSON in an event's `data`, or an error that names who sent something else. */
export function eventJson(event: EventSourceMessage, sender: string): unknown {
  if (event.data.trim() === '') return {};
  try {
    return JSON.parse(event.data) as unknown;
  } catch {
    throw new Error(`${sender} sent an event that is not JSON: ${truncate(event.data, 120)}`);
  }
}

/** The reason a non-2xx answer gives: `error.message` of an OpenAI-style body, else its text. */
export async function failureDetail(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown } | string; message?: unknown };
    const message = typeof body.error === 'string' ? body.error : (body.error?.message ?? body.message);
    if (typeof message === 'string') return truncate(message, 300);
  } catch {
    // Not JSON: the text itself is the best detail there is.
  }
  return truncate(text.trim(), 300);
}

export function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** Usage only when both counts are whole, non-negative numbers; otherwise the caller counts tokens. */
export function tokenUsage(input: unknown, output: unknown): TokenUsage | undefined {
  const count = (n: unknown) => (typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : undefined);
  const inputTokens = count(input);
  const outputTokens = count(output);
  return inputTokens !== undefined && outputTokens !== undefined ? { inputTokens, outputTokens } : undefined;
}

/**
 * `response` with a body that calls `alive` on every piece that arrives (so an idle watch
 * sees a slow answer that still sends) and fails with `tooLarge` once more than `maxBytes`
 * came; the rest is not read and the connection is dropped, so an endless answer costs
 * the gateway `maxBytes` of memory, not all it has.
 */
export function watchedBody(response: Response, maxBytes: number, alive: () => void, tooLarge: () => Error): Response {
  if (!response.body) return response;
  let seen = 0;
  const body = response.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > maxBytes) return controller.error(tooLarge());
        alive();
        controller.enqueue(chunk);
      },
    }),
  );
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}
