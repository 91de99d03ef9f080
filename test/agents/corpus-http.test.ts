import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { intentKey, rest } from '../helpers/http.js';
import { judge, type Verdict } from './corpus/auction.js';
import { handWritten } from './corpus/index.js';

let t: TestApp;
let key: string;

beforeAll(async () => {
  // The embedded default with no LLM provider: only tool agents can answer.
  t = await startTestApp();
  key = await intentKey(t, 'corpus-co', 'enterprise');
}, 120_000);
afterAll(() => t?.stop());

/** Every fourth hand-written request: a sample of each kind, asked over HTTP as a client would. */
const sample = handWritten.filter((_, i) => i % 4 === 0);

describe('the offline corpus through a real gateway over HTTP', () => {
  it(`answers a sample of ${sample.length} requests right or refuses them, none wrong`, async () => {
    const counts: Record<Verdict, number> = { right: 0, refused: 0, wrong: 0 };
    const wrong: string[] = [];
    for (const c of sample) {
      const res = await rest(t.url, 'POST', '/api/intents', { key, body: { text: c.text } });
      // No tool could compute it: the gateway says it needs a provider, never a wrong answer.
      if (res.status !== 200) expect(res.body.error.reason, `${c.text}: ${JSON.stringify(res.body)}`).toBe('provider_not_configured');
      // The receipt names the winning agent, not its capability: the tool is checked by the corpus test, the answer here.
      const answer = res.status === 200 ? { tool: '', output: String(res.body.result) } : null;
      const verdict = judge({ ...c, tool: undefined }, answer);
      counts[verdict]++;
      if (verdict === 'wrong') wrong.push(`${JSON.stringify(c.text)} → ${res.status} ${JSON.stringify(res.body.result ?? res.body.error)}`);
    }
    console.log(`offline corpus over HTTP: ${sample.length} requests: right ${counts.right}, refused ${counts.refused}, wrong ${counts.wrong}`);
    expect(wrong).toEqual([]);
    expect(counts.refused).toBe(0);
  }, 120_000);

  it('answers what needs an LLM with the "needs a provider" error, naming the agents that would have bid', async () => {
    const res = await rest(t.url, 'POST', '/api/intents', { key, body: { text: 'Help me name my bakery' } });
    expect(res.status).toBe(503);
    expect(res.body.error.reason).toBe('provider_not_configured');
    expect(res.body.error.message).toMatch(/needs a provider.*such as [a-z-]+(?:, [a-z-]+)*.*OPENAI_BASE_URL/);
    expect(res.body.error.message).toContain('generalist');
  });
});
