/**
 * `AuctionRunner.runAgent`: an intent run on the agent its caller names, with no
 * auction, against a real gateway and database. Auctions are switched off
 * (GAVEL_AUCTION_CONCURRENCY=0) so that a submitted intent stays pending until the test
 * runs it; its stored receipt and events are then read back through the public API.
 */
import { NO_PROVIDER_REASON } from '../../src/modules/agents/executors/llm.js';
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPLETED_WITH_WORK } from '../../src/jobs/job-queue.js';
import { registerHttpAgent, startProtocolAgent, type ProtocolAgent } from '../helpers/agents.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { gql, rest } from '../helpers/http.js';

const RECEIPT = `query($id: ID!) { intent(id: $id) {
  status result error { code message } cost { costUsd } winningAgent { agent { slug } } attempts { agent outcome error } bids { agent { slug } }
} }`;

/** An HTTP agent that declines every bid (it could never win an auction) and streams its answer in two slices. */
async function startStreamingAgent(answer: [string, string]) {
  let bids = 0;
  let executions = 0;
  const send = (res: ServerResponse, event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  const agent = await startProtocolAgent({
    bid: (res) => {
      bids++;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ decline: true, reason: 'I never bid' }));
    },
    execute: (res) => {
      executions++;
      res.setHeader('content-type', 'text/event-stream');
      send(res, 'chunk', { text: answer[0] });
      // Ten times the runner's chunk flush (50 ms), so even a loaded machine stores the first slice on its own.
      setTimeout(() => {
        send(res, 'chunk', { text: answer[1] });
        send(res, 'done', { usage: { input_tokens: 10, output_tokens: 3 } });
        res.end();
      }, 500);
    },
  });
  return { ...agent, bids: () => bids, executions: () => executions };
}

let t: TestApp;
let streaming: ProtocolAgent & { bids(): number; executions(): number };
let refusing: ProtocolAgent & { bids(): number; executions(): number };

beforeAll(async () => {
  t = await startTestApp({ GAVEL_AUCTION_CONCURRENCY: '0', GAVEL_AGENT_SECRET: 'run-agent-test-secret-123' });
  streaming = await startStreamingAgent(['Direct ', 'answer']);
  refusing = await startStreamingAgent(['I cannot help ', 'with that']);
  await registerHttpAgent(t.url, t.rootKey, { slug: 'direct-streamer', endpoint: streaming.url, price: [1000, 1000] });
  await registerHttpAgent(t.url, t.rootKey, { slug: 'direct-refuser', endpoint: refusing.url, price: [1000, 1000] });
});
afterAll(async () => {
  streaming?.close();
  refusing?.close();
  await t?.stop();
});

async function submit(body: Record<string, unknown>): Promise<number> {
  const res = await rest(t.url, 'POST', '/api/intents?wait=false', { key: t.rootKey, body });
  expect(res.status).toBe(202);
  return Number(res.body.id);
}

async function receipt(id: number) {
  const res = await gql(t.url, RECEIPT, { id: String(id) }, t.rootKey);
  expect(res.body.errors).toBeUndefined();
  return res.body.data.intent;
}

/** The intent's stored events, as the event log replays them: [type, payload]. */
async function storedEvents(id: number) {
  return (await t.app.parts.eventLog.replay(id, 0)).map((e) => [e.type, e.payload] as const);
}

async function intentRow(id: number) {
  const { rows } = await t.app.db.pool.query(
    'select status, result, auction_closed_at, execution_started_at, completed_at, winning_agent_id, input_tokens, output_tokens from intents where id = $1',
    [id],
  );
  return rows[0];
}

describe('runAgent', () => {
  it('runs the named agent with no auction: streamed output, receipt, cost and events in the log', async () => {
    const id = await submit({ text: 'Summarise the quarterly report for me' });
    expect((await receipt(id)).status).toBe('pending');

    expect(await t.app.parts.auctions.runAgent(id, 'direct-streamer')).toBe(COMPLETED_WITH_WORK);

    const intent = await receipt(id);
    expect(intent).toMatchObject({
      status: 'completed',
      result: 'Direct answer',
      error: null,
      winningAgent: { agent: { slug: 'direct-streamer' } },
      // 10 input and 3 output tokens at $1000 per million each.
      cost: { costUsd: 0.013 },
      bids: [],
    });
    expect(intent.attempts).toEqual([{ agent: 'direct-streamer', outcome: 'succeeded', error: null }]);
    // No agent was asked for a bid, the named one included.
    expect(streaming.bids()).toBe(0);
    expect(streaming.executions()).toBe(1);

    const events = await storedEvents(id);
    expect(events.map(([type]) => type)).toEqual(['created', 'execution_started', 'chunk', 'chunk', 'completed']);
    expect(events[1]![1]).toEqual({ agent: 'direct-streamer', name: 'direct-streamer' });
    expect(events.filter(([type]) => type === 'chunk').map(([, p]) => p)).toEqual([
      { agent: 'direct-streamer', text: 'Direct ' },
      { agent: 'direct-streamer', text: 'answer' },
    ]);
    expect(events[4]![1]).toMatchObject({ winner: 'direct-streamer', result: 'Direct answer', costUsd: 0.013, inputTokens: 10, outputTokens: 3 });

    const row = await intentRow(id);
    expect(row.auction_closed_at).toBeNull(); // nothing was auctioned
    expect(row.execution_started_at).toBeInstanceOf(Date);
    expect(row.completed_at).toBeInstanceOf(Date);
    expect([row.input_tokens, row.output_tokens]).toEqual([10, 3]);
  });

  it('takes the agent by id, and runs an in-process tool in the one final statement', async () => {
    const id = await submit({ text: 'Convert 5 km to miles' });
    const converter = t.app.modules.agents.entry('unit-converter')!;

    expect(await t.app.parts.auctions.runAgent(id, converter.agent.id)).toBe(COMPLETED_WITH_WORK);

    const intent = await receipt(id);
    expect(intent.status).toBe('completed');
    expect(intent.winningAgent.agent.slug).toBe('unit-converter');
    expect(intent.result).toMatch(/3\.10\d* mi/);
    expect(intent.bids).toEqual([]);
    const events = await storedEvents(id);
    expect(events.map(([type]) => type)).toEqual(['created', 'execution_started', 'chunk', 'completed']);
    expect(events[3]![1]).toMatchObject({ winner: 'unit-converter', result: intent.result });
  });

  it('verifies on the Shield tier: a refusal from the named agent is rejected and the intent fails', async () => {
    const id = await submit({ text: 'Draft a polite reminder email', auctionTier: 'shield' });

    expect(await t.app.parts.auctions.runAgent(id, 'direct-refuser')).toBe(COMPLETED_WITH_WORK);

    const intent = await receipt(id);
    expect(intent.status).toBe('failed');
    expect(intent.error.code).toBe('execution_failed');
    expect(intent.attempts).toEqual([{ agent: 'direct-refuser', outcome: 'rejected', error: 'result is empty or a refusal' }]);
    const types = (await storedEvents(id)).map(([type]) => type);
    expect(types).toEqual(['created', 'execution_started', 'chunk', 'chunk', 'verification', 'failed']);
  });

  it.each([
    ['an agent that does not exist', async () => 'no-such-agent', 'it is not an active agent', 'agent_unavailable'],
    [
      'an agent that was deactivated',
      async () => {
        await registerHttpAgent(t.url, t.rootKey, { slug: 'direct-retired', endpoint: streaming.url });
        const id = t.app.modules.agents.entry('direct-retired')!.agent.id;
        const res = await gql(t.url, 'mutation($id: ID!) { updateAgent(id: $id, input: { active: false }) { slug } }', { id }, t.rootKey);
        expect(res.body.errors).toBeUndefined();
        return 'direct-retired';
      },
      'it is not an active agent',
      'agent_unavailable',
    ],
    // Its own code, which names what to configure.
    ['an LLM agent with no provider configured', async () => 'generalist', NO_PROVIDER_REASON, 'provider_not_configured'],
  ])('fails the intent cleanly when the named agent is %s', async (_, name, reason, code) => {
    const agent = await name();
    const id = await submit({ text: 'Summarise the quarterly report for me' });
    const executions = streaming.executions();

    expect(await t.app.parts.auctions.runAgent(id, agent)).toBe(COMPLETED_WITH_WORK);

    const intent = await receipt(id);
    expect(intent).toMatchObject({ status: 'failed', result: null, winningAgent: null, cost: { costUsd: 0 }, attempts: [], bids: [] });
    expect(intent.error).toEqual({ code, message: `Agent ${agent} cannot run this intent: ${reason}` });
    const events = await storedEvents(id);
    expect(events.map(([type]) => type)).toEqual(['created', 'failed']);
    expect(events[1]![1]).toMatchObject({ errorCode: code, winner: null });
    // Nothing half-written: no start, no tokens, no winner, and nothing ran.
    const row = await intentRow(id);
    expect(row).toMatchObject({ status: 'failed', auction_closed_at: null, execution_started_at: null, winning_agent_id: null, result: null });
    expect(row.completed_at).toBeInstanceOf(Date);
    expect(streaming.executions()).toBe(executions);
  });
});
