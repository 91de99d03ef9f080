/**
 * Sessions over GraphQL against a real gateway and database, with a real fake OpenAI
 * server: turns are intents on the session's agent, the provider receives the
 * conversation so far, every turn has its receipt, and the bounds hold.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerHttpAgent, signedWith, startRecordingAgent } from '../helpers/agents.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { startFakeOpenAI, type FakeOpenAI, type FakeOpenAIOptions } from '../helpers/fake-openai.js';
import { createKey, gql, intentKey } from '../helpers/http.js';

const TURN = 'seq intentId input status output error { code message } inputTokens outputTokens costUsd durationMs trimmedTurns contextTokens';
const SESSION = `id agentSlug agentVersion agentKind status turnCount expiresAt input metadata turns { ${TURN} }`;

let t: TestApp;
let llm: FakeOpenAI;
const provider: FakeOpenAIOptions = {};
let key: string;

async function ok<T = any>(query: string, variables: Record<string, unknown> = {}, as = key): Promise<T> {
  const res = await gql(t.url, query, variables, as);
  expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
  return res.body.data as T;
}

const create = (agentId: string, as = key) =>
  ok<{ createSession: { id: string } }>(
    `mutation($a: ID!) { createSession(agentId: $a, input: { lang: "en" }, metadata: { user: 7 }) { ${SESSION} } }`,
    { a: agentId },
    as,
  );
const trigger = (id: string, input: string, waitMs = 20_000, as = key) =>
  gql(t.url, `mutation($id: ID!, $input: String!, $w: Int) { triggerSession(id: $id, input: $input, waitMs: $w) { ${TURN} } }`, { id, input, w: waitMs }, as);

beforeAll(async () => {
  Object.assign(provider, {
    reply: (body) => {
      const last = body.messages?.at(-1)?.content ?? '';
      return last.includes('longest') ? ['The Loire', ' is the longest.'] : ['The Seine,', ' the Loire', ' and the Rhône.'];
    },
    usage: { prompt_tokens: 20, completion_tokens: 8 },
  } satisfies FakeOpenAIOptions);
  llm = await startFakeOpenAI(provider);
  t = await startTestApp({ OPENAI_BASE_URL: llm.baseUrl, OPENAI_API_KEY: 'sk-test', GAVEL_MODEL: 'test-model', GAVEL_SESSION_MAX_TURNS: '3' });
  key = await intentKey(t, 'sessions-gql');
});
afterAll(async () => {
  await t?.stop();
  await llm?.close();
});

describe('sessions over GraphQL', () => {
  it('sends an LLM agent the conversation so far, and costs every turn as an intent', async () => {
    const { createSession: s } = await create('generalist');
    expect(s).toMatchObject({
      agentSlug: 'generalist',
      agentVersion: '1.0.0',
      agentKind: 'llm',
      status: 'active',
      turnCount: 0,
      input: { lang: 'en' },
      metadata: { user: 7 },
    });
    const before = llm.requests.length;

    const first = await trigger(s.id, 'Name three rivers in France');
    expect(first.body.errors).toBeUndefined();
    expect(first.body.data.triggerSession).toMatchObject({
      seq: 1,
      status: 'completed',
      output: 'The Seine, the Loire and the Rhône.',
      inputTokens: 20,
      outputTokens: 8,
      trimmedTurns: 0,
      contextTokens: 0,
    });
    const second = await trigger(s.id, 'Which of them is the longest?');
    expect(second.body.data.triggerSession).toMatchObject({ seq: 2, status: 'completed', output: 'The Loire is the longest.', trimmedTurns: 0 });
    expect(second.body.data.triggerSession.contextTokens).toBeGreaterThan(0);

    // The provider received both turns: the second request carries the first exchange.
    const sent = llm.requests.slice(before).map((r) => r.body.messages!.filter((m) => m.role !== 'system'));
    expect(sent).toEqual([
      [{ role: 'user', content: 'Name three rivers in France' }],
      [
        { role: 'user', content: 'Name three rivers in France' },
        { role: 'assistant', content: 'The Seine, the Loire and the Rhône.' },
        { role: 'user', content: 'Which of them is the longest?' },
      ],
    ]);

    const read = await ok(`query($id: ID!) { session(id: $id) { ${SESSION} } }`, { id: s.id });
    expect(read.session.turnCount).toBe(2);
    expect(read.session.turns.map((x: any) => x.seq)).toEqual([1, 2]);
    for (const turn of read.session.turns) {
      expect(turn.costUsd).toBeGreaterThan(0);
      expect(turn.durationMs).toBeGreaterThanOrEqual(0);
    }
    // Each turn is an intent: its receipt and event log are the intent's, with no auction.
    const intent = await ok(`query($id: ID!) { intent(id: $id) { status bids { agent { slug } } winningAgent { agent { slug } } cost { costUsd } } }`, {
      id: read.session.turns[0].intentId,
    });
    expect(intent.intent).toMatchObject({ status: 'completed', bids: [], winningAgent: { agent: { slug: 'generalist' } } });
    expect(intent.intent.cost.costUsd).toBe(read.session.turns[0].costUsd);

    const list = await ok(`{ sessions(first: 10) { totalCount edges { node { id } } } }`);
    expect(list.sessions.edges.map((e: any) => e.node.id)).toContain(s.id);
  });

  it('gives a tool agent each turn on its own, with a sandbox key', async () => {
    const sandbox = (await createKey(t.url, t.rootKey, { tenant: 'sessions-gql', tier: 'pro', scopes: ['intent_submit', 'intent_read'], sandbox: true })).key;
    const { createSession: s } = await create('unit-converter', sandbox);
    const turn = await trigger(s.id, 'Convert 10 km to miles', 20_000, sandbox);
    expect(turn.body.errors).toBeUndefined();
    expect(turn.body.data.triggerSession.status).toBe('completed');
    expect(turn.body.data.triggerSession.output).toMatch(/6\.21/);
    expect(turn.body.data.triggerSession.costUsd).toBe(0);
    const again = await trigger(s.id, 'Convert 5 kg to pounds', 20_000, sandbox);
    expect(again.body.data.triggerSession.output).toMatch(/11\.0/);
    expect(again.body.data.triggerSession.trimmedTurns).toBeNull(); // tools get no history
  });

  it('refuses a trigger while the previous turn runs, and cancels a running turn', async () => {
    const { createSession: s } = await create('generalist');
    provider.chunkDelayMs = 300;
    try {
      const running = await trigger(s.id, 'Name three rivers in France', 0);
      expect(running.body.data.triggerSession.status).not.toBe('completed');
      const refused = await trigger(s.id, 'And a fourth?', 0);
      expect(refused.body.errors?.[0]?.extensions?.code).toBe('CONFLICT');
      const cancelled = await ok(`mutation($id: ID!) { cancelSessionTurn(id: $id) { seq status } }`, { id: s.id });
      expect(cancelled.cancelSessionTurn).toEqual({ seq: 1, status: 'cancelled' });
    } finally {
      provider.chunkDelayMs = 0;
    }
    const next = await trigger(s.id, 'Name three rivers in France');
    expect(next.body.data.triggerSession).toMatchObject({ seq: 2, status: 'completed', trimmedTurns: 0, contextTokens: 0 });
  });

  it('bounds a session to its turns, closes and keeps closed sessions closed', async () => {
    const { createSession: s } = await create('unit-converter');
    for (const n of [1, 2, 3]) expect((await trigger(s.id, `Convert ${n} km to miles`)).body.errors).toBeUndefined();
    const past = await trigger(s.id, 'Convert 4 km to miles');
    expect(past.body.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(past.body.errors?.[0]?.message).toMatch(/3 turns/);
    const closed = await ok(`mutation($id: ID!) { closeSession(id: $id) { status closedAt } }`, { id: s.id });
    expect(closed.closeSession.status).toBe('closed');
    expect((await gql(t.url, `mutation($id: ID!) { restoreSession(id: $id) { status } }`, { id: s.id }, key)).body.errors?.[0]?.extensions?.code).toBe(
      'CONFLICT',
    );
  });

  it("bounds a session's history in bytes: the trigger that would pass the bound is refused and stores nothing", async () => {
    const MAX_BYTES = 1_000; // the smallest bound the config takes
    const small = await startTestApp({ GAVEL_SESSION_MAX_BYTES: String(MAX_BYTES) });
    try {
      const k = await intentKey(small, 'sessions-bytes');
      const made = await gql(small.url, 'mutation { createSession(agentId: "unit-converter") { id } }', {}, k);
      const id: string = made.body.data.createSession.id;
      const stored = async () =>
        (await gql(small.url, 'query($id: ID!) { session(id: $id) { turnCount turns { input output } } }', { id }, k)).body.data.session as {
          turnCount: number;
          turns: Array<{ input: string; output: string | null }>;
        };
      const bytes = (turns: Array<{ input: string; output: string | null }>) =>
        turns.reduce((n, turn) => n + Buffer.byteLength(turn.input) + Buffer.byteLength(turn.output ?? ''), 0);
      let refused: { message: string; extensions?: Record<string, unknown> } | undefined;
      for (let n = 1; n <= 60 && !refused; n++) {
        const res = await gql(
          small.url,
          `mutation($id: ID!, $i: String!) { triggerSession(id: $id, input: $i, waitMs: 20000) { status } }`,
          { id, i: `Convert ${n} km to miles` },
          k,
        );
        refused = res.body.errors?.[0];
        if (!refused) expect(res.body.data.triggerSession.status).toBe('completed');
      }
      expect(refused).toMatchObject({ extensions: { code: 'CONFLICT' }, message: expect.stringMatching(new RegExp(`more than ${MAX_BYTES} bytes`)) as string });
      const session = await stored();
      // The stored history is within the bound, and the refused input would have taken it past.
      expect(session.turns).toHaveLength(session.turnCount);
      expect(bytes(session.turns)).toBeLessThanOrEqual(MAX_BYTES);
      expect(bytes(session.turns) + Buffer.byteLength(`Convert ${session.turnCount + 1} km to miles`)).toBeGreaterThan(MAX_BYTES);
    } finally {
      await small.stop();
    }
  });

  it('pages through sessions past the first page, newest first, with no session twice', async () => {
    const k = await intentKey(t, 'sessions-pages');
    const made: string[] = [];
    for (let i = 0; i < 5; i++) made.push((await ok('mutation { createSession(agentId: "unit-converter") { id } }', {}, k)).createSession.id);
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 5; page++) {
      const res: any = await ok(
        'query($after: String) { sessions(first: 2, after: $after) { totalCount edges { node { id } } pageInfo { hasNextPage endCursor } } }',
        { after },
        k,
      );
      expect(res.sessions.totalCount).toBe(5);
      seen.push(...res.sessions.edges.map((e: { node: { id: string } }) => e.node.id));
      if (!res.sessions.pageInfo.hasNextPage) break;
      after = res.sessions.pageInfo.endCursor;
    }
    expect(seen).toEqual([...made].reverse());
  });

  it('gives an HTTP protocol agent the conversation so far in its signed execute body, and never asks it to bid', async () => {
    const agent = await startRecordingAgent();
    const secret = await registerHttpAgent(t.url, t.rootKey, { slug: 'session-http', endpoint: agent.url });
    const { createSession: s } = await create('session-http');
    expect((await trigger(s.id, 'First question')).body.data.triggerSession).toMatchObject({ status: 'completed', output: 'recorded' });
    expect((await trigger(s.id, 'Second question')).body.data.triggerSession).toMatchObject({ status: 'completed', seq: 2 });
    const executes = agent.calls().filter((c) => c.path === '/execute');
    expect(executes).toHaveLength(2);
    const [first, second] = executes.map((c) => JSON.parse(c.raw.toString()) as { text: string; history?: unknown });
    expect(first).toMatchObject({ text: 'First question' });
    expect(first!.history).toEqual([]); // a turn, with nothing before it (an intent that is no turn has none)
    expect(second).toMatchObject({
      text: 'Second question',
      history: [
        { role: 'user', content: 'First question' },
        { role: 'assistant', content: 'recorded' },
      ],
    });
    expect(signedWith(secret, executes[1])).toBe(true);
    expect(agent.bids()).toBe(0); // a turn names its agent: no auction
  });

  it("replays and resumes a session's events with sessionEvents", async () => {
    const { createSession: s } = await create('unit-converter');
    await trigger(s.id, 'Convert 1 km to miles');
    await trigger(s.id, 'Convert 2 km to miles');
    const read = async (afterTurn: number, after: number) => {
      const res = await fetch(`${t.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${key}` },
        body: JSON.stringify({
          query:
            'subscription($id: ID!, $t: Int, $a: Int) { sessionEvents(sessionId: $id, afterTurn: $t, after: $a) { turn event { __typename ... on Event { seq type } } } }',
          variables: { id: s.id, t: afterTurn, a: after },
        }),
      });
      const text = await res.text();
      return text
        .split('\n')
        .filter((l) => l.startsWith('data: ') && l.includes('sessionEvents'))
        .map((l) => JSON.parse(l.slice(6)).data.sessionEvents as { turn: number; event: { seq: number; type: string } });
    };
    const all = await read(0, 0);
    expect(all.map((e) => e.turn)).toEqual([...all.filter((e) => e.turn === 1).map(() => 1), ...all.filter((e) => e.turn === 2).map(() => 2)]);
    expect(all.filter((e) => e.event.type === 'completed').map((e) => e.turn)).toEqual([1, 2]);
    const resumed = await read(2, 1);
    expect(resumed.every((e) => e.turn === 2 && e.event.seq > 1)).toBe(true);
    expect(resumed.at(-1)!.event.type).toBe('completed');
  });

  it("hides another tenant's session", async () => {
    const { createSession: s } = await create('unit-converter');
    const other = await intentKey(t, 'sessions-gql-other');
    const res = await gql(t.url, `query($id: ID!) { session(id: $id) { id } }`, { id: s.id }, other);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await trigger(s.id, 'Convert 1 km to miles', 0, other)).body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});
