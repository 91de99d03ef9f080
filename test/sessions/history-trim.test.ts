/** The conversation a turn's agent receives: whole turns, the newest kept, measured with the real tokenizer. */
import { describe, expect, it } from 'vitest';
import { countTokens } from '../../src/modules/agents/index.js';
import { trimToContext } from '../../src/modules/sessions/history.js';

const turns = [
  { input: 'Name three rivers in France', result: 'The Seine, the Loire and the Rhône.' },
  { input: 'Which of them is the longest?', result: 'The Loire is the longest.' },
  { input: 'How long is it?', result: 'About 1,006 km.' },
];
const cost = (t: { input: string; result: string }) => countTokens(t.input) + countTokens(t.result) + 8;

describe('trimToContext', () => {
  it('keeps every turn that fits, oldest first', () => {
    const all = trimToContext(turns, 10_000);
    expect(all.trimmedTurns).toBe(0);
    expect(all.messages).toHaveLength(6);
    expect(all.messages[0]).toEqual({ role: 'user', content: 'Name three rivers in France' });
    expect(all.tokens).toBe(turns.map(cost).reduce((a, b) => a + b));
  });

  it('drops whole turns from the oldest, and records how many', () => {
    const budget = cost(turns[1]!) + cost(turns[2]!);
    const trimmed = trimToContext(turns, budget);
    expect(trimmed.trimmedTurns).toBe(1);
    expect(trimmed.messages.map((m) => m.content)).toEqual([
      'Which of them is the longest?',
      'The Loire is the longest.',
      'How long is it?',
      'About 1,006 km.',
    ]);
    expect(trimToContext(turns, budget - 1).trimmedTurns).toBe(2);
    expect(trimToContext(turns, 0)).toEqual({ messages: [], trimmedTurns: 3, tokens: 0 });
  });
});
