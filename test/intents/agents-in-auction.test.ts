import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toolCapabilities } from '../../src/modules/agents/tools/index.js';
import { registerHttpAgent, replyJson, startProtocolAgent } from '../helpers/agents.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { startFakeOpenAI, type FakeOpenAI, type FakeOpenAIOptions, type RecordedRequest } from '../helpers/fake-openai.js';
import { gql, intentKey, rest } from '../helpers/http.js';
import { spawnExampleAgent } from '../helpers/process.js';

const RECEIPT = `query($id: ID!) { intent(id: $id, waitMs: 20000) {
  id status result promotions attempts { agent outcome error }
  winningAgent { name confidence agent { slug kind } }
  cost { inputTokens outputTokens costUsd }
} }`;

/** An external agent answering the protocol with canned behaviour. */
function startScriptedAgent(bid: number, execute: (res: ServerResponse) => void) {
  return startProtocolAgent({ bid: (res) => replyJson(res, { confidence: bid, reasoning: 'scripted', estimated_cost_usd: 0.0001 }), execute });
}

let t: TestApp;
let llm: FakeOpenAI;
/** The fake provider's options, read at each request: tests slow it down or script the verifier. */
const provider: FakeOpenAIOptions = {};
/** What the shield's verifier model answers next, one per verification; then ACCEPT. */
const verdicts: string[] = [];
let pro: string;
const cleanups: Array<() => unknown> = [];

async function register(slug: string, endpoint: string, domain = 'research'): Promise<void> {
  await registerHttpAgent(t.url, t.rootKey, { slug, endpoint, domain, price: [2, 4] });
  cleanups.push(() => gql(t.url, `mutation { updateAgent(id: "${slug}", input: { active: false }) { active } }`, {}, t.rootKey));
}

/** Starts and registers a scripted agent; the returned function retires it (before the next test asks). Its server closes at the end. */
async function scriptedAgent(slug: string, domain: string, bid: number, execute: (res: ServerResponse) => void): Promise<() => unknown> {
  const agent = await startScriptedAgent(bid, execute);
  cleanups.push(() => agent.close());
  await register(slug, agent.url, domain);
  return cleanups.pop()!;
}

/** An execute endpoint that answers `output` at once. */
const answering = (output: string) => (res: ServerResponse) => replyJson(res, { output });
const failing = (res: ServerResponse) => res.writeHead(500).end('boom');

async function submit(input: Record<string, unknown>, key = pro) {
  const res = await gql(t.url, 'mutation($input: SubmitIntentInput!) { submitIntent(input: $input) { id } }', { input }, key);
  expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
  return (await gql(t.url, RECEIPT, { id: res.body.data.submitIntent.id }, key)).body.data.intent;
}

beforeAll(async () => {
  Object.assign(provider, {
    chunks: ['def validate(email):', '\n    return bool(re.match(PATTERN, email))'],
    usage: { prompt_tokens: 120, completion_tokens: 30 },
    reply: (body) => (isVerification(body) ? [verdicts.shift() ?? 'ACCEPT'] : undefined),
  } satisfies FakeOpenAIOptions);
  llm = await startFakeOpenAI(provider);
  t = await startTestApp({ OPENAI_BASE_URL: llm.baseUrl, OPENAI_API_KEY: 'sk-test', GAVEL_MODEL: 'test-model' });
  pro = await intentKey(t, 'agents-co', 'pro');
});
afterAll(async () => {
  await t?.stop();
  await llm?.close();
});

describe('agents of every kind in the auction', () => {
  it('an LLM agent wins a coding intent, streams through the provider and is charged from its usage', async () => {
    const intent = await submit({ text: 'Write a Python function that validates email addresses using regex', domain: 'engineering' });
    expect(intent.status).toBe('completed');
    expect(intent.winningAgent.agent.kind).toBe('llm');
    expect(intent.result).toBe('def validate(email):\n    return bool(re.match(PATTERN, email))');
    expect(intent.cost).toMatchObject({ inputTokens: 120, outputTokens: 30 });
    const request = llm.requests.at(-1)!;
    expect(request.headers.authorization).toBe('Bearer sk-test');
    expect(request.body.model).toBe('test-model');
    expect(request.body.messages?.[0]?.role).toBe('system');
    const agent = (await gql(t.url, 'query($id: ID!) { agent(id: $id) { price { inputPerMTok outputPerMTok } } }', { id: intent.winningAgent.agent.slug })).body
      .data.agent;
    expect(intent.cost.costUsd).toBeCloseTo((120 * agent.price.inputPerMTok + 30 * agent.price.outputPerMTok) / 1e6, 10);
  });

  it('an intent no specialist covers goes to the generalist instead of failing with no_bids; a fitting specialist outbids it', async () => {
    const open = await submit({ text: 'Help me name my new bakery' });
    expect(open.status, JSON.stringify(open.attempts)).toBe('completed');
    expect(open.winningAgent).toMatchObject({ confidence: 0.4, agent: { slug: 'generalist', kind: 'llm' } });
    const specific = await submit({ text: 'Write a Python function that validates email addresses using regex', domain: 'engineering' });
    expect(specific.winningAgent.agent.slug).not.toBe('generalist');
  });

  it('fails over to the runner-up when the winner errors, and records the chain', async () => {
    const retire = await scriptedAgent('broken-genius', 'finance', 0.99, failing);
    const intent = await submit({ text: 'What is 17% of 2,340?' });
    await retire(); // deactivate before the next test
    expect(intent.status).toBe('completed');
    expect(intent.result).toContain('397.8');
    expect(intent.attempts.map((a: { agent: string; outcome: string }) => [a.agent, a.outcome])).toEqual([
      ['broken-genius', 'failed'],
      [intent.winningAgent.agent.slug, 'succeeded'],
    ]);
    expect(intent.attempts[0].error).toContain('500');
  });

  it('a winner that fails in-process is not run again: failover goes on from the runner-up', async () => {
    const encoding = toolCapabilities.get('encoding')!;
    const run = encoding.run;
    let runs = 0;
    // The tool bids on a request it reads whole (valid hex), then fails as it runs.
    encoding.run = () => {
      runs++;
      throw new Error('the input is not valid hex (a fault injected by the test)');
    };
    try {
      const retire = await scriptedAgent('hex-explainer', 'utilities', 0.6, answering('48656c6c6f is "Hello" in ASCII'));
      const intent = await submit({ text: 'hex decode: 48656c6c6f' });
      await retire();
      expect(intent.status, JSON.stringify(intent)).toBe('completed');
      expect(intent.attempts.map((a: { agent: string; outcome: string }) => [a.agent, a.outcome])).toEqual([
        ['base64-codec', 'failed'],
        ['hex-explainer', 'succeeded'],
      ]);
      expect(intent.attempts[0].error).toContain('not valid hex');
      expect(runs).toBe(1);
      // The hand-over is stored with the auction, once: a crash after it cannot run the failed winner again.
      const { rows } = await t.app.db.pool.query(
        `select type, payload from intent_events where intent_id = $1 and type in ('execution_started', 'failover') order by seq`,
        [intent.id],
      );
      expect(
        rows.map((r: { type: string; payload: { agent?: string; from?: string; to?: string } }) => [
          r.type,
          r.payload.agent ?? `${r.payload.from}→${r.payload.to}`,
        ]),
      ).toEqual([
        ['execution_started', 'base64-codec'],
        ['failover', 'base64-codec→hex-explainer'],
        ['execution_started', 'hex-explainer'],
      ]);
    } finally {
      encoding.run = run;
    }
  });

  it('over REST, an intent whose every candidate failed answers 500 internal_error (OctoMind), naming the stored intent', async () => {
    const retire = await scriptedAgent('only-one-who-bids', 'research', 0.99, failing);
    provider.errorStatus = 503; // the generalist, the runner-up, fails too
    const res = await rest(t.url, 'POST', '/api/intents', { key: pro, body: { text: 'Frobnicate the zyxqwv quux' } }).finally(() => {
      provider.errorStatus = undefined;
    });
    await retire();
    expect(res.status).toBe(500);
    expect(res.body.error).toMatchObject({ code: 'internal_error', reason: 'execution_failed', intent_id: expect.any(Number) });
    expect(res.body.error.message).toContain('only-one-who-bids');
    const stored = await rest(t.url, 'GET', `/api/intents/${res.body.error.intent_id}`, { key: pro });
    expect(stored.body).toMatchObject({ status: 'failed', meta: { error: { code: 'execution_failed' } } });
    expect(stored.body.meta.attempts.map((a: { agent: string; outcome: string }) => [a.agent, a.outcome])).toEqual([
      ['only-one-who-bids', 'failed'],
      ['generalist', 'failed'],
    ]);
  });

  it('shield tier: a verifier rejects a non-answer and promotes the next bidder; promotions are counted', async () => {
    const retire = await scriptedAgent('refuser', 'finance', 0.99, answering("I can't help with that."));
    const intent = await submit({ text: 'What is 17% of 2,340?', auctionTier: 'shield' });
    await retire();
    expect(intent.status).toBe('completed');
    expect(intent.promotions).toBe(1);
    expect(intent.attempts.map((a: { outcome: string }) => a.outcome)).toEqual(['rejected', 'succeeded']);
    expect(intent.result).toContain('397.8');
    const stats = await rest(t.url, 'GET', '/api/routing/stats');
    expect(stats.body.quality.shield_promotion_rate).toBeGreaterThan(0);
  });

  it('shield tier: random tool results (UUIDs, passwords) are checked against what was asked, not recomputed', async () => {
    for (const text of ['Generate 3 UUIDs', 'Generate a 24 character password']) {
      const intent = await submit({ text, auctionTier: 'shield' });
      expect(intent.status, JSON.stringify(intent.attempts)).toBe('completed');
      expect(intent.promotions).toBe(0);
      expect(intent.winningAgent.agent.kind).toBe('tool');
    }
  });

  it('among tools that can all compute the answer, the one whose profile fits the intent wins', async () => {
    const intent = await submit({ text: 'convert 5 km to miles' });
    expect(intent.result).toMatch(/3\.10685596/);
    expect(intent.winningAgent.agent.slug).toBe('metric-imperial-bridge');
    const bids = (await gql(t.url, 'query($id: ID!) { intent(id: $id) { bids { agent { slug } confidence } } }', { id: intent.id }, pro)).body.data.intent.bids;
    const confidence = (slug: string) => bids.find((b: { agent: { slug: string } }) => b.agent.slug === slug).confidence;
    expect(confidence('metric-imperial-bridge')).toBeGreaterThan(confidence('cooking-converter'));
  });

  it('shield tier: the verifier model judges an LLM winner with time of its own, after the bid window closed', async () => {
    // Every reply, the verdict too, outlasts the bid window; the window is still long enough
    // for the scripted agent's bid on a loaded machine (at 100 ms it sometimes missed it).
    provider.chunkDelayMs = 700;
    try {
      const asked = llm.requests.filter((r) => isVerification(r.body)).length;
      const accepted = await submit({
        text: 'Write a Python function that validates email addresses using regex',
        domain: 'engineering',
        auctionTier: 'shield',
        bidWindowMs: 600,
      });
      expect(accepted.status, JSON.stringify(accepted.attempts)).toBe('completed');
      expect(accepted.promotions).toBe(0);
      expect(llm.requests.filter((r) => isVerification(r.body))).toHaveLength(asked + 1);

      // A runner-up for the rejected winner.
      const retire = await scriptedAgent('second-opinion', 'engineering', 0.6, answering("def validate(email):\n    return '@' in email"));
      verdicts.push('REJECT: the pattern is never defined');
      const promoted = await submit({
        text: 'Write a Python function that validates email addresses using regex',
        domain: 'engineering',
        auctionTier: 'shield',
        bidWindowMs: 600,
      });
      await retire();
      expect(promoted.status, JSON.stringify(promoted.attempts)).toBe('completed');
      expect(promoted.promotions).toBe(1);
      expect(promoted.attempts.map((a: { agent: string; outcome: string }) => [a.agent, a.outcome])).toEqual([
        [accepted.winningAgent.agent.slug, 'rejected'],
        ['second-opinion', 'succeeded'],
      ]);
      expect(promoted.attempts[0].error).toContain('the pattern is never defined');
      expect(promoted.result).toContain("'@' in email");
    } finally {
      provider.chunkDelayMs = 0;
    }
  });

  it('a receipt keeps the winner as it was when it delivered, whatever the agent is renamed to later', async () => {
    const retire = await scriptedAgent('renamed-later', 'research', 0.99, answering('done'));
    const intent = await submit({ text: 'Frobnicate the zyxqwv quux for the record' });
    await retire();
    expect(intent.winningAgent).toMatchObject({ name: 'renamed-later', agent: { slug: 'renamed-later' } });
    const renamed = await gql(t.url, 'mutation { updateAgent(id: "renamed-later", input: { name: "A New Name", emoji: "🆕" }) { name } }', {}, t.rootKey);
    expect(renamed.body.errors, JSON.stringify(renamed.body.errors)).toBeUndefined();
    const receipt = await rest(t.url, 'GET', `/api/intents/${intent.id}`, { key: pro });
    expect(receipt.body.winning_agent).toMatchObject({ name: 'renamed-later', emoji: '🧪', domain: 'research' });
  });

  it('the example HTTP agent, run as its own process with its own secret, bids, wins and streams its poem', async () => {
    // As an operator would: register it (inactive, its address not known yet), start it with the secret shown, then point at it.
    const secret = await registerHttpAgent(t.url, t.rootKey, { slug: 'example-poet', endpoint: 'http://127.0.0.1:9', domain: 'writing', active: false });
    const agent = await spawnExampleAgent(secret);
    cleanups.push(() => agent.child.kill('SIGTERM'));
    const live = await gql(
      t.url,
      'mutation($url: String!) { updateAgent(id: "example-poet", input: { endpoint: $url, active: true }) { active } }',
      { url: agent.url },
      t.rootKey,
    );
    expect(live.body.errors, JSON.stringify(live.body.errors)).toBeUndefined();
    cleanups.push(() => gql(t.url, `mutation { updateAgent(id: "example-poet", input: { active: false }) { active } }`, {}, t.rootKey));
    const intent = await submit({ text: 'Write a haiku about autumn rain', bidWindowMs: 2000 });
    expect(intent.status).toBe('completed');
    expect(intent.winningAgent).toMatchObject({ confidence: 0.9, agent: { slug: 'example-poet', kind: 'http' } });
    expect(intent.result.split('\n')).toHaveLength(3);
    expect(intent.cost.outputTokens).toBeGreaterThan(0);
  });
});

afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

function isVerification(body: RecordedRequest['body']): boolean {
  return body.messages?.[0]?.content.startsWith('You verify answers') ?? false;
}
