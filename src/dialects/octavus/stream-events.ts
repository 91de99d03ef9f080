import { z } from 'zod/v4';
import type { IntentEvent, StreamFrame, StreamFrames } from '../kit/index.js';

/**
 * Octavus's trigger stream: typed events, one JSON object per `data:` line, from the
 * turn's intent events. Every stream ends with exactly one `finish` or one `error`: the
 * intent's final event gives one, and a stream that cannot go on (a revoked key) gives
 * an `error`.
 */
export const StreamEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('start'), messageId: z.string(), turn: z.number().int() }),
  z.object({ type: z.literal('text-start'), id: z.string() }),
  z.object({ type: z.literal('text-delta'), id: z.string(), delta: z.string() }),
  z.object({ type: z.literal('text-end'), id: z.string() }),
  z.object({ type: z.literal('tool-input-start'), toolCallId: z.string(), toolName: z.string() }),
  z.object({ type: z.literal('tool-input-available'), toolCallId: z.string(), toolName: z.string(), input: z.object({ text: z.string() }) }),
  z.object({ type: z.literal('tool-output-available'), toolCallId: z.string(), output: z.string() }),
  z.object({
    type: z.literal('finish'),
    finishReason: z.enum(['stop', 'length', 'content-filter', 'error', 'other']),
    usage: z.object({ inputTokens: z.number().int(), outputTokens: z.number().int() }),
    costUsd: z.number(),
  }),
  z.object({ type: z.literal('error'), errorType: z.string(), retryable: z.boolean(), message: z.string() }),
]);
type StreamEvent = z.output<typeof StreamEventSchema>;

/** Failures worth trying again: the agent could not answer now, not a request it can never serve. */
const RETRYABLE_FAILURES = new Set(['execution_failed', 'agent_unavailable', 'internal_error', 'provider_unavailable']);

const num = (payload: Record<string, unknown>, key: string) => (typeof payload[key] === 'number' ? (payload[key] as number) : 0);

/** The frames of one trigger's stream; state (whether text began) is the stream's own. */
export function typedEvents(turn: { sessionId: string; seq: number; agent: string; kind: string }): StreamFrames {
  const id = `${turn.sessionId}:${turn.seq}`;
  const tool = turn.kind === 'tool';
  let textOpen = false;
  // The turn's message, from its `created` event: what a tool agent computes from.
  let inputText = '';
  const frame = (data: StreamEvent): StreamFrame => ({ data });
  const closeText = (): StreamFrame[] => (textOpen ? ((textOpen = false), [frame({ type: 'text-end', id })]) : []);
  return {
    event(e: IntentEvent): StreamFrame[] {
      const payload = (e.payload ?? {}) as Record<string, unknown>;
      switch (e.type) {
        case 'created':
          inputText = typeof payload.text === 'string' ? payload.text : '';
          return [frame({ type: 'start', messageId: id, turn: turn.seq })];
        case 'execution_started':
          if (tool)
            return [
              frame({ type: 'tool-input-start', toolCallId: id, toolName: turn.agent }),
              frame({ type: 'tool-input-available', toolCallId: id, toolName: turn.agent, input: { text: inputText } }),
            ];
          if (textOpen) return [];
          textOpen = true;
          return [frame({ type: 'text-start', id })];
        case 'chunk':
          // A tool's output is its result, sent whole when it completes.
          return tool || typeof payload.text !== 'string' ? [] : [frame({ type: 'text-delta', id, delta: payload.text })];
        case 'completed': {
          const result = typeof payload.result === 'string' ? payload.result : '';
          const usage = { inputTokens: num(payload, 'inputTokens'), outputTokens: num(payload, 'outputTokens') };
          const toolFrames = tool
            ? [
                frame({ type: 'tool-output-available', toolCallId: id, output: result }),
                frame({ type: 'text-start', id }),
                frame({ type: 'text-delta', id, delta: result }),
                frame({ type: 'text-end', id }),
              ]
            : [];
          return [...toolFrames, ...closeText(), frame({ type: 'finish', finishReason: 'stop', usage, costUsd: num(payload, 'costUsd') })];
        }
        case 'failed': {
          const code = typeof payload.errorCode === 'string' ? payload.errorCode : 'failed';
          const message = typeof payload.errorMessage === 'string' ? payload.errorMessage : 'The turn failed';
          return [...closeText(), frame({ type: 'error', errorType: code, retryable: RETRYABLE_FAILURES.has(code), message })];
        }
        case 'cancelled':
          return [...closeText(), frame({ type: 'finish', finishReason: 'other', usage: { inputTokens: 0, outputTokens: 0 }, costUsd: 0 })];
        default:
          return [];
      }
    },
    error: (error) => [
      ...closeText(),
      frame({ type: 'error', errorType: error.code.toLowerCase(), retryable: error.status >= 500 || error.status === 429, message: error.message }),
    ],
  };
}
