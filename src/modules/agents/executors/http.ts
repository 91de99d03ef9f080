import type { AgentExecutor, AgentProfile, BidDecision, ExecutionResult, IntentForAgents } from '../types.js';
import { CircuitBreaker } from './circuit-breaker.js';
import { signAgentRequest } from './signing.js';
import { readSse } from './sse.js';

export interface HttpAgentOptions {
  /** Shared secret that signs every call (GAVEL_AGENT_SECRET). */
  secret: string;
  fetch?: typeof fetch;
  breaker?: CircuitBreaker;
}

/**
 * An external agent speaking docs/agent-protocol.md: `POST {endpoint}/bid`, then, if it
 * wins, `POST {endpoint}/execute` answered as a stream of SSE `chunk` events ending in
 * `done` (or one JSON object). Every call is signed and carries its deadline.
 */
export function createHttpExecutor(profile: AgentProfile & { endpoint: string }, options: HttpAgentOptions): AgentExecutor {
  const doFetch = options.fetch ?? fetch;
  const breaker = options.breaker ?? new CircuitBreaker();
  const base = profile.endpoint.replace(/\/$/, '');

  const call = (path: string, intent: IntentForAgents, signal: AbortSignal) => {
    const body = JSON.stringify({ intent_id: intent.intentId, text: intent.text, domain: intent.domain ?? null, deadline_ms: intent.deadline });
    const timestamp = Math.floor(Date.now() / 1000);
    return doFetch(`${base}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-gavel-timestamp': String(timestamp),
        'x-gavel-signature': signAgentRequest(options.secret, body, timestamp),
        'x-gavel-deadline-ms': String(intent.deadline),
        'x-gavel-agent': profile.slug,
      },
      body,
      signal: AbortSignal.any([signal, AbortSignal.timeout(Math.max(1, intent.deadline - Date.now()))]),
    });
  };

  return {
    kind: 'http',
    availability: () =>
      !options.secret ? { available: false, reason: 'GAVEL_AGENT_SECRET is not set, so calls cannot be signed' } : breaker.availability(),
    bid: (intent, signal) =>
      breaker.run(async (): Promise<BidDecision> => {
        const response = await call('/bid', intent, signal);
        if (!response.ok) throw new Error(`bid answered ${response.status}`);
        const body = (await response.json()) as { confidence?: unknown; reasoning?: unknown; estimated_cost_usd?: unknown; decline?: unknown };
        if (typeof body.decline === 'string') return { type: 'decline', reason: body.decline.slice(0, 300) };
        if (typeof body.confidence !== 'number') throw new Error('bid answer has no numeric confidence');
        return {
          type: 'bid',
          confidence: body.confidence,
          reasoning: typeof body.reasoning === 'string' ? body.reasoning.slice(0, 500) : '',
          estimatedCostUsd: typeof body.estimated_cost_usd === 'number' ? body.estimated_cost_usd : 0,
        };
      }),
    execute: (intent, onChunk, signal) =>
      breaker.run(async (): Promise<ExecutionResult> => {
        const response = await call('/execute', intent, signal);
        if (!response.ok || !response.body) throw new Error(`execute answered ${response.status}`);
        if (!(response.headers.get('content-type') ?? '').includes('text/event-stream')) {
          const body = (await response.json()) as { output?: unknown; usage?: { input_tokens?: number; output_tokens?: number } };
          if (typeof body.output !== 'string') throw new Error('execute answer has no output');
          onChunk(body.output);
          return withUsage(body.output, body.usage);
        }
        let output = '';
        for await (const event of readSse(response.body)) {
          const data = JSON.parse(event.data) as { text?: string; message?: string; usage?: { input_tokens?: number; output_tokens?: number } };
          if (event.event === 'chunk' && typeof data.text === 'string') {
            output += data.text;
            onChunk(data.text);
          } else if (event.event === 'error') {
            throw new Error(`agent error: ${data.message ?? 'unknown'}`);
          } else if (event.event === 'done') {
            return withUsage(output, data.usage);
          }
        }
        throw new Error('execute stream ended without a done event');
      }),
  };
}

function withUsage(output: string, usage: { input_tokens?: number; output_tokens?: number } | undefined): ExecutionResult {
  return usage && typeof usage.input_tokens === 'number' && typeof usage.output_tokens === 'number'
    ? { output, usage: { inputTokens: usage.input_tokens, outputTokens: usage.output_tokens } }
    : { output };
}
