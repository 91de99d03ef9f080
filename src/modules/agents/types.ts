/**
 * The contract every agent executor keeps, whatever runs it (in-process tool,
 * OpenAI-compatible LLM, or an external HTTP service). The auction engine and
 * the intent service only ever talk to agents through these types.
 */

export type AgentKind = 'tool' | 'llm' | 'http';

/** Prices are USD per one million tokens, the unit providers publish. */
export interface PriceTable {
  inputPerMTok: number;
  outputPerMTok: number;
}

/** An agent as the catalog and the database describe it. */
export interface AgentProfile {
  /** Stable slug, e.g. `percent-calculator`; unique across the roster. */
  slug: string;
  name: string;
  emoji: string;
  domain: string;
  skills: string[];
  description: string;
  version: string;
  kind: AgentKind;
  price: PriceTable;
  /** Tool agents: the id of the in-process capability they run (see tools/). */
  tool?: string;
  /** LLM agents: system prompt and optional model override. */
  systemPrompt?: string;
  model?: string;
  /** HTTP agents: base URL of the service implementing docs/agent-protocol.md. */
  endpoint?: string;
}

/** One message of a session's conversation before the current turn, oldest first. */
export interface ChatMessage {
  role: 'user' | 'assistant';
  content: string;
}

export interface IntentForAgents {
  intentId: string;
  text: string;
  /** A session's turn: the conversation before `text` (LLM and HTTP agents receive it; tools answer each turn on its own). */
  history?: ChatMessage[];
  domain?: string | null;
  /** Epoch milliseconds by which the call must have answered. */
  deadline: number;
}

export type BidDecision = { type: 'bid'; confidence: number; reasoning: string; estimatedCostUsd: number } | { type: 'decline'; reason: string };

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
}

export interface ExecutionResult {
  output: string;
  /** Usage reported by the provider, when it reports it; otherwise the caller counts tokens. */
  usage?: TokenUsage;
}

/** Why an LLM agent cannot run: the provider it needs is missing or failing (the intent then fails with this code, not `no_bids`). */
export type ProviderCause = 'provider_not_configured' | 'provider_unavailable';

export type Availability =
  | { available: true }
  | {
      available: false;
      reason: string;
      /** Set when the agent is out because of its provider rather than itself. */
      cause?: ProviderCause;
      /** When the target may be tried again (an open circuit's cool-down left). */
      retryAfterSeconds?: number;
    };

export interface AgentExecutor {
  readonly kind: AgentKind;
  /** Whether the agent can take part right now (provider configured, circuit closed, …). */
  availability(): Availability;
  /**
   * Asks the agent for a bid. In-process agents are usually scored in one batch
   * by the auction's relevance index instead; external agents answer over the wire.
   */
  bid(intent: IntentForAgents, signal: AbortSignal): Promise<BidDecision>;
  /** Runs the intent; `onChunk` receives output as it is produced, in order. */
  execute(intent: IntentForAgents, onChunk: (text: string) => void, signal: AbortSignal): Promise<ExecutionResult>;
}
