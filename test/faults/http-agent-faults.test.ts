import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSse } from '../../src/lib/sse.js';
import { registerHttpAgent } from '../helpers/agents.js';
import { event, json, sse, startAgentHost, type AgentBehaviour, type AgentHost } from '../helpers/agent-host.js';
import { BOOTSTRAP_KEY } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { createKey, eventually, gql, rest, rosterSize } from '../helpers/http.js';
import { spawnGateway, type GatewayProcess } from '../helpers/process.js';

/*
 * HTTP agents that hang, send garbage or keep failing, on a real endpoint server, against
 * a gateway process: each intent fails over (or fails cleanly) within the configured
 * timeouts, the event log says what happened, the client gets no 5xx, the gateway keeps
 * serving, and no tenant-facing text names the endpoint's address.
 */

const FIRST_BYTE_S = 1;
const IDLE_S = 1;
const MAX_BYTES = 64 * 1024;
const COOL_DOWN_MS = 3_000;

/** Every agent declines an intent that does not name it (`[slug]` in the text), so each misbehaves only on its own. */
const own =
  (slug: string, mine: AgentBehaviour): AgentBehaviour =>
  (call, body, res, req) =>
    body.text.includes(`[${slug}]`) ? mine(call, body, res, req) : json(res, { decline: 'not mine' });

/** Misbehaves on execute only, after a sound bid. */
const onExecute = (slug: string, execute: (res: ServerResponse) => void): AgentBehaviour =>
  own(slug, (call, _body, res) => (call === 'bid' ? json(res, { confidence: 0.95, reasoning: `${slug} fits` }) : execute(res)));

/** Misbehaves on bid; never gets to execute. */
const onBid = (slug: string, bid: (res: ServerResponse) => void): AgentBehaviour => own(slug, (_call, _body, res) => bid(res));

const hang = () => {};
const flood = (res: ServerResponse, write: () => void) => {
  const timer = setInterval(write, 1);
  res.on('close', () => clearInterval(timer));
};

/** What the flaky endpoint (two agents, one breaker) does now. */
let flaky: 'failing' | 'healthy' = 'failing';

const behaviours: Record<string, AgentBehaviour> = {
  // The fallback every intent has, except those marked [alone].
  steady: (call, body, res) => {
    if (call === 'bid') return json(res, body.text.includes('[alone]') ? { decline: 'asked to stay out' } : { confidence: 0.5, reasoning: 'always there' });
    sse(res).end(event('chunk', { text: 'steady answer' }) + event('done', {}));
  },
  stall: onExecute('stall', hang),
  drip: onExecute('drip', (res) => sse(res).write(event('chunk', { text: 'partial from drip' }))),
  mute: onBid('mute', hang),
  // Works for longer than the idle timeout, saying so with comment lines.
  patient: onExecute('patient', (res) => {
    sse(res);
    let beats = 0;
    const timer = setInterval(() => {
      if (++beats <= 5) return res.write(': still working\n\n');
      clearInterval(timer);
      res.end(event('chunk', { text: 'patient answer' }) + event('done', {}));
    }, 300);
  }),
  'bid-text': onBid('bid-text', (res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('sure, I can do that')),
  'bid-shape': onBid('bid-shape', (res) => json(res, { confidence: 'high' })),
  'bid-html': onBid('bid-html', (res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body><h1>Welcome to nginx!</h1></body></html>')),
  'bid-cut': onBid('bid-cut', (res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '200' }).write('{"confidence": 0.9, "reas');
    setTimeout(() => res.destroy(), 50);
  }),
  'bid-huge': onBid('bid-huge', (res) => json(res, { confidence: 0.99, reasoning: 'x'.repeat(MAX_BYTES * 4) })),
  'bid-raw': onBid('bid-raw', (res) => res.socket!.end('this is not HTTP at all\r\n\r\n')),
  'exec-html': onExecute('exec-html', (res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>502 Bad Gateway</html>')),
  'exec-shape': onExecute('exec-shape', (res) => json(res, { result: 'the answer, under the wrong name' })),
  'exec-sse-junk': onExecute('exec-sse-junk', (res) => sse(res).end('event: chunk\ndata: {text: not json}\n\n')),
  'exec-no-done': onExecute('exec-no-done', (res) => sse(res).end(event('chunk', { text: 'half an answer' }))),
  'exec-reset': onExecute('exec-reset', (res) => {
    sse(res).write(event('chunk', { text: 'the start of an answer' }));
    setTimeout(() => res.destroy(), 50);
  }),
  'exec-cut': onExecute('exec-cut', (res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '500' }).write('{"output": "trunc');
    setTimeout(() => res.destroy(), 50);
  }),
  'exec-flood': onExecute('exec-flood', (res) => {
    sse(res);
    flood(res, () => res.write(event('chunk', { text: 'y'.repeat(4000) })));
  }),
  'exec-raw': onExecute('exec-raw', (res) => res.socket!.end('HTTP/9.9 what\r\n\r\n')),
  // Two agents at one endpoint: they share its breaker.
  flaky: (call, body, res) => {
    if (!body.text.includes('[flaky]')) return json(res, { decline: 'not mine' });
    if (flaky === 'failing') return res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"database down"}');
    if (call === 'execute') return json(res, { output: 'flaky answer' });
    setTimeout(() => json(res, { confidence: 0.9, reasoning: 'back' }), 300);
  },
};

let db: TestDatabase;
let host: AgentHost;
let gw: GatewayProcess;
let key: string;

beforeAll(async () => {
  db = await createTestDatabase();
  host = await startAgentHost(behaviours);
  gw = await spawnGateway({
    ...db.env,
    ...(process.env.TEST_REDIS_URL ? { REDIS_URL: process.env.TEST_REDIS_URL } : {}),
    GAVEL_BOOTSTRAP_KEY: BOOTSTRAP_KEY,
    GAVEL_AGENT_FIRST_BYTE_TIMEOUT_MS: String(FIRST_BYTE_S * 1000),
    GAVEL_AGENT_IDLE_TIMEOUT_MS: String(IDLE_S * 1000),
    GAVEL_AGENT_MAX_RESPONSE_BYTES: String(MAX_BYTES),
    // Room for a loaded machine; a hung bid costs this much, by design.
    GAVEL_BID_WINDOW_MS: '2000',
    GAVEL_BREAKER_THRESHOLD: '3',
    GAVEL_BREAKER_COOLDOWN_MS: String(COOL_DOWN_MS),
  });
  key = (await createKey(gw.url, BOOTSTRAP_KEY, { tenant: 'agent-faults', tier: 'enterprise', scopes: ['intent_submit', 'intent_read'] })).key;
  const before = await rosterSize(gw.url);
  const slugs = Object.keys(behaviours).filter((s) => s !== 'flaky');
  for (const slug of slugs) await registerHttpAgent(gw.url, BOOTSTRAP_KEY, { slug, endpoint: host.endpoint(slug) });
  for (const slug of ['flaky-a', 'flaky-b']) await registerHttpAgent(gw.url, BOOTSTRAP_KEY, { slug, endpoint: host.endpoint('flaky') });
  await eventually(
    () => rosterSize(gw.url),
    (n) => n === before + slugs.length + 2,
  );
}, 120_000);

afterAll(async () => {
  gw?.child.kill('SIGTERM');
  await gw?.exited;
  await host?.close();
  await db?.drop();
});

interface Stored {
  event?: string;
  data: Record<string, any>;
}

/** Submits over REST, waiting for the receipt; answers it with the intent's whole event log. */
async function submit(text: string) {
  const started = Date.now();
  const res = await rest(gw.url, 'POST', '/api/intents', { key, body: { text } });
  const ms = Date.now() - started;
  const id = res.body.id ?? res.body.error?.intent_id;
  const log = await fetch(`${gw.url}/api/intents/${id}/events`, { headers: { authorization: `Bearer ${key}` } });
  const events: Stored[] = [];
  for await (const e of readSse(log.body!)) events.push({ event: e.event, data: JSON.parse(e.data) as Record<string, any> });
  const bid = (agent: string) => events.find((e) => e.event === 'bid' && e.data.agent === agent)?.data;
  const failover = events.find((e) => e.event === 'failover')?.data;
  return { res, ms, events, bid, failover };
}

/** Nothing a tenant reads names the endpoints' address. */
function expectNoAddress(...seen: unknown[]): void {
  for (const part of seen) {
    const text = JSON.stringify(part);
    expect(text).not.toContain(`127.0.0.1:${host.port}`);
    expect(text).not.toContain(`:${host.port}/`);
  }
}

describe('an HTTP agent that hangs', () => {
  it('on execute: the runner-up delivers after the first-byte timeout, not the execution timeout, and the gateway keeps serving', async () => {
    const pending = submit('[stall] Summarise the history of sourdough');
    await eventually(
      async () => host.calls('stall'),
      (calls) => calls.includes('execute'),
    );
    // While the call hangs, other requests are served at once.
    for (let i = 0; i < 5; i++) {
      const started = Date.now();
      expect((await fetch(`${gw.url}/health`)).status).toBe(200);
      expect((await gql(gw.url, '{ agents { slug } }')).status).toBe(200);
      expect(Date.now() - started).toBeLessThan(1_000);
    }
    const { res, ms, failover, events } = await pending;
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'completed', result: 'steady answer', winning_agent: { name: 'steady' } });
    expect(failover).toMatchObject({ from: 'stall', to: 'steady', reason: `the agent's endpoint did not answer within ${FIRST_BYTE_S} s` });
    expect(res.body.meta.attempts.map((a: { agent: string; outcome: string }) => [a.agent, a.outcome])).toEqual([
      ['stall', 'failed'],
      ['steady', 'succeeded'],
    ]);
    expect(ms).toBeLessThan(15_000); // the bid window, one second of waiting, the rest: not the 60 s execution timeout
    expect(host.hungUpOn('stall')).toBe(1); // the gateway hung up on it
    expectNoAddress(res.body, events);
  });

  it('mid-stream: the idle timeout fails the attempt, and none of its partial output is in the result', async () => {
    const { res, failover, events } = await submit('[drip] Summarise the history of rye bread');
    expect(res.status).toBe(200);
    expect(res.body.result).toBe('steady answer');
    expect(failover).toMatchObject({ from: 'drip', to: 'steady', reason: `the agent's endpoint sent nothing for ${IDLE_S} s (idle stream)` });
    expectNoAddress(res.body, events);
  });

  it('an agent that works longer than the idle timeout but keeps its stream alive is not cut off', async () => {
    const { res, failover } = await submit('[patient] Summarise the history of focaccia');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ result: 'patient answer', winning_agent: { name: 'patient' } });
    expect(failover).toBeUndefined();
  });

  it('on bid: its bid fails at the first-byte timeout, inside the bid window, and the auction goes on without it', async () => {
    const { res, bid } = await submit('[mute] Summarise the history of flatbread');
    expect(res.status).toBe(200);
    expect(res.body.result).toBe('steady answer');
    expect(bid('mute')).toMatchObject({ outcome: 'failed', reasoning: `the agent's endpoint did not answer within ${FIRST_BYTE_S} s` });
  });

  it('as the only bidder: the intent fails cleanly, within seconds, saying why', async () => {
    const started = Date.now();
    const res = await gql(
      gw.url,
      'mutation { submitIntent(input: { text: "[alone][stall] Summarise the history of pumpernickel" }, waitMs: 30000) { id status error { code message } attempts { agent outcome error } } }',
      {},
      key,
    );
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    const intent = res.body.data.submitIntent;
    expect(intent).toMatchObject({
      status: 'failed',
      error: { code: 'execution_failed' },
      attempts: [{ agent: 'stall', outcome: 'failed', error: `the agent's endpoint did not answer within ${FIRST_BYTE_S} s` }],
    });
    expect(Date.now() - started).toBeLessThan(15_000);
    expectNoAddress(intent);
  });
});

describe('an HTTP agent that sends garbage', () => {
  const bids: Array<[string, RegExp]> = [
    ['bid-text', /^bid answer is not JSON: sure, I can do that$/],
    ['bid-shape', /^bid confidence must be a number in \[0, 1\], got "high"$/],
    ['bid-html', /^bid answer is not JSON: <html>/],
    ['bid-cut', /^the agent's endpoint closed the connection \(ECONNRESET\)$/],
    ['bid-huge', new RegExp(`^bid answer is larger than ${MAX_BYTES} bytes`)],
    ['bid-raw', /^the agent's endpoint answered with something that is not HTTP \(HPE_\w+\)$/],
  ];
  it.each(bids)('%s: a failed bid with the reason, and the intent is served by another', async (slug, reason) => {
    const { res, bid, events } = await submit(`[${slug}] Summarise the history of baguettes`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'completed', result: 'steady answer' });
    expect(bid(slug)).toMatchObject({ outcome: 'failed', reasoning: expect.stringMatching(reason) as string });
    expectNoAddress(res.body, events);
  });

  const executes: Array<[string, RegExp]> = [
    ['exec-html', /^execute answered with unsupported content type "text\/html"$/],
    ['exec-shape', /^execute answer has no "output" string$/],
    ['exec-sse-junk', /^agent sent an event that is not JSON: \{text: not json\}$/],
    ['exec-no-done', /^agent stream ended without a done event$/],
    ['exec-reset', /^the agent's endpoint closed the connection \(ECONNRESET\)$/],
    ['exec-cut', /^the agent's endpoint closed the connection \(ECONNRESET\)$/],
    ['exec-flood', new RegExp(`^execute answer is larger than ${MAX_BYTES} bytes`)],
    ['exec-raw', /^the agent's endpoint answered with something that is not HTTP \(HPE_\w+\)$/],
  ];
  it.each(executes)('%s: a failed attempt with the reason, and the runner-up delivers the whole result', async (slug, reason) => {
    const { res, failover, events } = await submit(`[${slug}] Summarise the history of croissants`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'completed', result: 'steady answer', winning_agent: { name: 'steady' } });
    expect(failover).toMatchObject({ from: slug, to: 'steady', reason: expect.stringMatching(reason) as string });
    expectNoAddress(res.body, events);
  });

  it('an answer over the cap is not read to its end: the connection is dropped', () => {
    expect(host.hungUpOn('exec-flood')).toBe(1);
  });

  it('the gateway lived through all of it', async () => {
    expect(gw.child.exitCode).toBeNull();
    expect((await fetch(`${gw.url}/health`)).status).toBe(200);
  });
});

describe('a breaker per HTTP agent endpoint', () => {
  it('opens after repeated failures of any agent there, refuses calls while open, then lets one trial through', async () => {
    const flakyBids = (r: Awaited<ReturnType<typeof submit>>) => [r.bid('flaky-a'), r.bid('flaky-b')];
    // Calls to the endpoint from here on (the other tests' intents were declined there).
    const earlier = host.calls('flaky').length;
    const calls = () => host.calls('flaky').slice(earlier);
    // Two intents, two failed bids each: the third failure at the endpoint opens its circuit.
    for (let i = 0; i < 2; i++) {
      const r = await submit(`[flaky] Summarise the history of pretzels, ${i}`);
      expect(r.res.body.result).toBe('steady answer');
      for (const b of flakyBids(r)) expect(b).toMatchObject({ outcome: 'failed', reasoning: 'bid answered 500: database down' });
    }
    expect(calls()).toHaveLength(4);

    // Open: neither agent is asked; the other endpoints are not affected.
    const open = await submit('[flaky] Summarise the history of bagels');
    expect(open.res.status).toBe(200);
    expect(open.res.body.result).toBe('steady answer');
    for (const b of flakyBids(open)) {
      expect(b).toMatchObject({
        outcome: 'unavailable',
        reasoning: expect.stringMatching(/^circuit open: the agent's endpoint failed repeatedly; next trial in \d s$/),
      });
    }
    expect(calls()).toHaveLength(4);
    expectNoAddress(open.res.body, open.events);

    // The endpoint recovers; after the cool-down exactly one call is the trial, the other is refused while it runs.
    flaky = 'healthy';
    await new Promise((r) => setTimeout(r, COOL_DOWN_MS + 200));
    const trial = await submit('[flaky] Summarise the history of brioche');
    expect(calls()).toEqual(['bid', 'bid', 'bid', 'bid', 'bid', 'execute']);
    const outcomes = flakyBids(trial).map((b) => b?.outcome);
    expect(outcomes.sort()).toEqual(['bid', 'failed']);
    const refused = flakyBids(trial).find((b) => b?.outcome === 'failed');
    expect(refused!.reasoning).toBe("circuit half-open: a trial call to the agent's endpoint is running");
    expect(trial.res.body.result).toBe('flaky answer');

    // The trial closed the circuit: both agents bid again.
    const closed = await submit('[flaky] Summarise the history of challah');
    expect(flakyBids(closed).map((b) => b?.outcome)).toEqual(['bid', 'bid']);
  });
});
