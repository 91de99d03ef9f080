import { describe, expect, it } from 'vitest';
import { toolCapabilities } from '../../src/modules/agents/tools/index.js';

/**
 * Tools run on the event loop: on the longest text a tool reads (8,000 characters),
 * built to make a grammar rescan (runs of digits, thousands of terms, repeated phrases),
 * every tool matches and runs in well under the time such texts once took (480 ms for
 * "1+1+…" through mathjs, 80 ms for a run of digits). The bound is loose: the machine is shared.
 */
describe('tool grammars on adversarial texts', () => {
  const texts: Record<string, string> = {
    digits: '1'.repeat(8000),
    terms: `${'1+'.repeat(3999)}1`,
    'repeated verbs': 'encode '.repeat(1140),
    'repeated questions': 'how many '.repeat(888),
    'repeated units': '1 km to '.repeat(1000),
    'repeated times': '9:00 in '.repeat(1000),
    'repeated powers': '2 squared '.repeat(800),
    brackets: `${'{'.repeat(4000)}${'}'.repeat(4000)}`,
    'a long pasted text': `what language is this: ${'word '.repeat(1500)}`,
  };
  for (const c of toolCapabilities.values()) c.match('What is 1 + 1?'); // libraries loaded before timing

  for (const [name, text] of Object.entries(texts)) {
    it(`${name}: each tool within 150 ms`, () => {
      for (const c of toolCapabilities.values()) {
        const started = performance.now();
        try {
          const m = c.match(text);
          if (m && 'plan' in m) c.run(m.plan, text);
        } catch {
          // A refusal at run time is an answer too; only the time matters here.
        }
        expect(performance.now() - started, `${c.id} on ${name}`).toBeLessThan(150);
      }
    });
  }
});
