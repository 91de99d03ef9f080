import type { AgentExecutor, AgentProfile, Availability, ExecutionResult, IntentForAgents, TokenUsage } from '../types.js';
import { CircuitBreaker, CircuitOpenError } from './circuit-breaker.js';
import { abandonedByCaller, withDeadline } from './deadline.js';
import { asProviderError, ProviderError, withIdleWatch } from './failures.js';
import { eventJson, failureDetail, readSse, tokenUsage } from './wire.js';

export interface LlmProvider {
  /** OpenAI-compatible base URL, e.g. `https://api.openai.com/v1` or `http://localhost:11434/v1`. */
  baseUrl: string;
  apiKey?: string;
  defaultModel?: string;
  /** A call fails when the provider sends no answer (headers) within `firstByteMs`, or nothing for `idleMs` after. Default 10 s, 15 s. */
  timeouts?: { firstByteMs: number; idleMs: number };
}

export interface LlmExecutorOptions {
  /** Default: the global `fetch`. */
  fetch?: typeof fetch;
  /** The provider's breaker, shared by every agent that uses it. Default: a breaker of its own (5 failures, 30 s cool-down). */
  breaker?: CircuitBreaker;
}

export const FALLBACK_MODEL = 'gpt-4o-mini';

/** What an operator sets to give LLM agents a provider (README, "Configuration"). */
export const NO_PROVIDER_REASON =
  'no LLM provider is configured: set OPENAI_BASE_URL to an OpenAI-compatible endpoint (and OPENAI_API_KEY if it needs a key, GAVEL_MODEL for the default model)';

const DEFAULT_TIMEOUTS = { firstByteMs: 10_000, idleMs: 15_000 };

/** How messages name the provider: its configured address, without any credentials in it. */
export function providerName(baseUrl: string): string {
  const url = URL.canParse(baseUrl) ? new URL(baseUrl) : null;
  return `the LLM provider at ${url ? `${url.origin}${url.pathname.replace(/\/+$/, '')}` : 'its configured address'}`;
}

/**
 * An agent backed by any OpenAI-compatible chat-completions endpoint (OpenAI, vLLM,
 * Ollama, llama.cpp server). It streams the reply and takes usage from the provider;
 * when the provider reports none, the result has no usage and the caller counts tokens.
 * Every failure is a `ProviderError` that says what happened (timeout, refused, the
 * provider's status and message, an open circuit).
 */
export function createLlmExecutor(profile: AgentProfile, provider: LlmProvider | null, options: LlmExecutorOptions = {}): AgentExecutor {
  const who = provider ? providerName(provider.baseUrl) : '';
  const breaker = options.breaker ?? new CircuitBreaker({ target: who });
  const doFetch = options.fetch ?? fetch;
  const availability = (): Availability => {
    if (!provider) return { available: false, reason: NO_PROVIDER_REASON, cause: 'provider_not_configured' };
    const state = breaker.availability();
    return state.available ? state : { ...state, reason: `${who}: ${state.reason}`, cause: 'provider_unavailable' };
  };
  return {
    kind: 'llm',
    availability,
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
    async execute(intent, onChunk, signal) {
      if (!provider) throw new ProviderError(NO_PROVIDER_REASON, 'unreachable');
      try {
        return await breaker.run(
          () => withDeadline(signal, intent.deadline, 'LLM provider', (s) => complete(doFetch, profile, provider, who, intent, onChunk, s)),
          () => abandonedByCaller(signal, intent.deadline),
        );
      } catch (error) {
        if (error instanceof CircuitOpenError) throw new ProviderError(`${who}: ${error.message}`, 'circuit_open', error.retryAfterSeconds);
        throw error;
      }
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
  who: string,
  intent: IntentForAgents,
  onChunk: (text: string) => void,
  signal: AbortSignal,
): Promise<ExecutionResult> {
  const timeouts = provider.timeouts ?? DEFAULT_TIMEOUTS;
  const timedOut = (phase: 'first byte' | 'idle', ms: number) =>
    new ProviderError(phase === 'idle' ? `${who} sent nothing for ${ms / 1000} s (idle stream)` : `${who} did not answer within ${ms / 1000} s`, 'timeout');
  return withIdleWatch(signal, timeouts, timedOut, async (s, alive) => {
    try {
      return await stream(doFetch, profile, provider, who, intent, onChunk, s, alive);
    } catch (error) {
      // The caller's abort (the deadline, a cancel) is theirs to name; everything else is the provider's failure.
      if (s.aborted) throw error;
      throw asProviderError(who, error);
    }
  });
}

async function stream(
  doFetch: typeof fetch,
  profile: AgentProfile,
  provider: LlmProvider,
  who: string,
  intent: IntentForAgents,
  onChunk: (text: string) => void,
  signal: AbortSignal,
  alive: () => void,
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
  alive();
  if (!response.ok || !response.body) {
    const detail = await failureDetail(response);
    throw new ProviderError(`${who} answered ${response.status}${detail ? `: ${detail}` : ''}`, 'status');
  }

  let output = '';
  let usage: TokenUsage | undefined;
  let finished = false;
  for await (const event of readSse(response.body)) {
    alive();
    if (event.data === '[DONE]') {
      finished = true;
      break;
    }
    const chunk = eventJson(event, 'LLM provider') as CompletionChunk;
    if (chunk.error) throw new ProviderError(`${who} sent an error: ${chunk.error.message ?? 'no message'}`, 'stream');
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
  if (!finished) throw new ProviderError(`${who}: stream ended before the completion finished`, 'stream');
  return usage ? { output, usage } : { output };
}
