import type { AgentExecutor, AgentProfile, ExecutionResult, IntentForAgents, TokenUsage } from '../types.js';
import { CircuitBreaker } from './circuit-breaker.js';
import { abandonedByCaller, withDeadline } from './deadline.js';
import { eventJson, failureDetail, readSse, tokenUsage } from './wire.js';

export interface LlmProvider {
  /** OpenAI-compatible base URL, e.g. `https://api.openai.com/v1` or `http://localhost:11434/v1`. */
  baseUrl: string;
  apiKey?: string;
  defaultModel?: string;
}

export interface LlmExecutorOptions {
  /** Default: the global `fetch`. */
  fetch?: typeof fetch;
  /** Default: a breaker of its own (5 failures, 30 s cool-down). */
  breaker?: CircuitBreaker;
}

export const FALLBACK_MODEL = 'gpt-4o-mini';

/**
 * An agent backed by any OpenAI-compatible chat-completions endpoint (OpenAI, vLLM,
 * Ollama, llama.cpp server). It streams the reply and takes usage from the provider;
 * when the provider reports none, the result has no usage and the caller counts tokens.
 */
export function createLlmExecutor(profile: AgentProfile, provider: LlmProvider | null, options: LlmExecutorOptions = {}): AgentExecutor {
  const breaker = options.breaker ?? new CircuitBreaker();
  const doFetch = options.fetch ?? fetch;
  return {
    kind: 'llm',
    availability: () => (provider ? breaker.availability() : { available: false, reason: 'no LLM provider configured' }),
    /**
     * Throws rather than declining. Asking the model for a bid would cost one completion
     * per agent per intent, so the auction scores LLM agents with its relevance index
     * (auctions/bidders.ts) and never calls this. A decline here would be a lie that
     * silently keeps the agent out of every auction if the wiring ever changed; an error
     * is recorded as a failed bid with this message, which points at the mistake.
     */
    bid() {
      return Promise.reject(new Error(`LLM agent ${profile.slug} does not bid itself: the auction scores it with the relevance index`));
    },
    execute(intent, onChunk, signal) {
      if (!provider) return Promise.reject(new Error('no LLM provider configured'));
      return breaker.run(
        () => withDeadline(signal, intent.deadline, 'LLM provider', (s) => complete(doFetch, profile, provider, intent, onChunk, s)),
        () => abandonedByCaller(signal, intent.deadline),
      );
    },
  };
}

interface CompletionChunk {
  choices?: Array<{ delta?: { content?: string | null }; finish_reason?: string | null }>;
  usage?: { prompt_tokens?: unknown; completion_tokens?: unknown } | null;
  error?: { message?: string };
}

async function complete(
  doFetch: typeof fetch,
  profile: AgentProfile,
  provider: LlmProvider,
  intent: IntentForAgents,
  onChunk: (text: string) => void,
  signal: AbortSignal,
): Promise<ExecutionResult> {
  const response = await doFetch(`${provider.baseUrl.replace(/\/+$/, '')}/chat/completions`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'text/event-stream',
      ...(provider.apiKey ? { authorization: `Bearer ${provider.apiKey}` } : {}),
    },
    body: JSON.stringify({
      model: profile.model ?? provider.defaultModel ?? FALLBACK_MODEL,
      stream: true,
      // Without this, OpenAI-style servers leave usage out of streamed replies.
      stream_options: { include_usage: true },
      messages: [
        // Some servers reject a system message with no content, so an agent without a prompt sends none.
        ...(profile.systemPrompt ? [{ role: 'system', content: profile.systemPrompt }] : []),
        // A session's turn: the conversation so far, already trimmed to the model's context.
        ...(intent.history ?? []),
        { role: 'user', content: intent.text },
      ],
    }),
    signal,
  });
  if (!response.ok || !response.body) {
    const detail = await failureDetail(response);
    throw new Error(`LLM provider answered ${response.status}${detail ? `: ${detail}` : ''}`);
  }

  let output = '';
  let usage: TokenUsage | undefined;
  let finished = false;
  for await (const event of readSse(response.body)) {
    if (event.data === '[DONE]') {
      finished = true;
      break;
    }
    const chunk = eventJson(event, 'LLM provider') as CompletionChunk;
    if (chunk.error) throw new Error(`LLM provider error: ${chunk.error.message ?? 'unknown'}`);
    const choice = chunk.choices?.[0];
    const text = choice?.delta?.content;
    if (text) {
      output += text;
      onChunk(text);
    }
    if (choice?.finish_reason) finished = true;
    // The usage chunk comes last with `choices: []`; earlier chunks may carry `usage: null`.
    const reported = tokenUsage(chunk.usage?.prompt_tokens, chunk.usage?.completion_tokens);
    if (reported) usage = reported;
  }
  // A stream cut before [DONE] or a finish reason is a partial answer, not a result.
  if (!finished) throw new Error('LLM provider stream ended before the completion finished');
  return usage ? { output, usage } : { output };
}
