import { countTokens } from '../agents/index.js';
import type { AgentProfile, TokenUsage } from '../agents/index.js';

/** What an LLM agent is assumed to write when estimating a bid's cost. */
const ESTIMATED_LLM_OUTPUT_TOKENS = 400;

export function priceUsd(profile: AgentProfile, usage: TokenUsage): number {
  const usd = (usage.inputTokens * profile.price.inputPerMTok + usage.outputTokens * profile.price.outputPerMTok) / 1_000_000;
  // Receipts show micro-dollars; more digits would be noise from float arithmetic.
  return Math.round(usd * 1e8) / 1e8;
}

/** Tokens the agent reads: the intent, plus its system prompt for LLM agents. */
export function inputTokensFor(profile: AgentProfile, text: string): number {
  return countTokens(profile.kind === 'llm' && profile.systemPrompt ? `${profile.systemPrompt}\n${text}` : text);
}

export function estimateCostUsd(profile: AgentProfile, text: string, inputTokens = inputTokensFor(profile, text)): number {
  const outputTokens = profile.kind === 'tool' ? 16 : ESTIMATED_LLM_OUTPUT_TOKENS;
  return priceUsd(profile, { inputTokens, outputTokens });
}

/** Provider-reported usage wins; otherwise both sides are counted with the tokenizer. */
export function usageFor(profile: AgentProfile, text: string, output: string, reported?: TokenUsage): TokenUsage {
  return reported ?? { inputTokens: inputTokensFor(profile, text), outputTokens: countTokens(output) };
}
