import { countTokens, type ChatMessage } from '../agents/index.js';

/** Tokens a chat message costs beyond its text (role and separators), as OpenAI counts them. */
const MESSAGE_OVERHEAD = 4;

export interface Trimmed {
  messages: ChatMessage[];
  /** Earlier turns left out, oldest first. */
  trimmedTurns: number;
  tokens: number;
}

/**
 * The earlier turns that fit `budget` tokens (measured with the tokenizer receipts use),
 * newest kept: whole turns are dropped from the oldest, so the agent never sees a question
 * without its answer.
 */
export function trimToContext(earlier: Array<{ input: string; result: string }>, budget: number): Trimmed {
  const costs = earlier.map((t) => countTokens(t.input) + countTokens(t.result) + 2 * MESSAGE_OVERHEAD);
  let tokens = 0;
  let first = earlier.length;
  while (first > 0 && tokens + costs[first - 1]! <= budget) tokens += costs[--first]!;
  const messages = earlier.slice(first).flatMap((t): ChatMessage[] => [
    { role: 'user', content: t.input },
    { role: 'assistant', content: t.result },
  ]);
  return { messages, trimmedTurns: first, tokens };
}
