import type { AgentExecutor, AgentProfile, BidDecision, ExecutionResult, IntentForAgents } from '../types.js';
import { CircuitBreaker } from './circuit-breaker.js';
import { readSse } from './sse.js';

export interface LlmProvider {
  baseUrl: string;
  apiKey?: string;
  defaultModel?: string;
}

const FALLBACK_MODEL = 'gpt-4o-mini';

/**
 * An agent backed by any OpenAI-compatible chat-completions endpoint (OpenAI, vLLM,
 * Ollama, llama.cpp server). It streams the reply and takes usage from the provider.
 * Its bid is not asked of the model (that would cost a completion per agent per intent):
 * the auction scores in-process agents with its relevance index instead.
 */
export function createLlmExecutor(profile: AgentProfile, provider: LlmProvider | null, breaker = new CircuitBreaker()): AgentExecutor {
  return {
    kind: 'llm',
    availability: () => (provider ? breaker.availability() : { available: false, reason: 'no LLM provider configured (OPENAI_BASE_URL)' }),
    async bid(): Promise<BidDecision> {
      throw new Error('LLM agents are scored by the auction relevance index, not asked to bid');
    },
    execute(intent, onChunk, signal) {
      if (!provider) return Promise.reject(new Error('no LLM provider configured'));
      return breaker.run(() => complete(profile, provider, intent, onChunk, signal));
    },
  };
}

async function complete(
  profile: AgentProfile,
  provider: LlmProvider,
  intent: IntentForAgents,
  onChunk: (text: string) => void,
  signal: AbortSignal,
): Promise<ExecutionResult> {
  const response = await fetch(`${provider.baseUrl.replace(/\/$/, '')}/chat/completions`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'text/event-stream',
      ...(provider.apiKey ? { authorization: `Bearer ${provider.apiKey}` } : {}),
    },
    body: JSON.stringify({
      model: profile.model ?? provider.defaultModel ?? FALLBACK_MODEL,
      stream: true,
      stream_options: { include_usage: true },
      messages: [
        ...(profile.systemPrompt ? [{ role: 'system', content: profile.systemPrompt }] : []),
        { role: 'user', content: intent.text },
      ],
    }),
    signal: AbortSignal.any([signal, AbortSignal.timeout(Math.max(1, intent.deadline - Date.now()))]),
  });
  if (!response.ok || !response.body) {
    const detail = (await response.text().catch(() => '')).slice(0, 300);
    throw new Error(`LLM provider answered ${response.status}${detail ? `: ${detail}` : ''}`);
  }
  let output = '';
  let usage: ExecutionResult['usage'];
  for await (const event of readSse(response.body)) {
    if (event.data === '[DONE]') break;
    const chunk = JSON.parse(event.data) as {
      choices?: Array<{ delta?: { content?: string | null } }>;
      usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
      error?: { message?: string };
    };
    if (chunk.error) throw new Error(`LLM provider error: ${chunk.error.message ?? 'unknown'}`);
    const text = chunk.choices?.[0]?.delta?.content;
    if (text) {
      output += text;
      onChunk(text);
    }
    if (chunk.usage?.prompt_tokens !== undefined) {
      usage = { inputTokens: chunk.usage.prompt_tokens, outputTokens: chunk.usage.completion_tokens ?? 0 };
    }
  }
  return usage ? { output, usage } : { output };
}
