import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { gql, intentKey, rest } from '../helpers/http.js';
import { registerSilentAgent } from '../helpers/silent-agent.js';

let t: TestApp;
let key: string;
beforeAll(async () => {
  t = await startTestApp({ GAVEL_AGENT_SECRET: 'agent-stats-secret-0123456789' });
  // Sandbox: every agent bids, so the runners-up have bids and no wins.
  key = await intentKey(t, 'stats-co', 'pro', { sandbox: true });
});
afterAll(() => t?.stop());

const AGENTS = '{ agents { slug stats { bids wins winRate } } }';
type Figures = { bids: number; wins: number; winRate: number };
async function figuresBySlug(): Promise<Map<string, Figures>> {
  const res = await gql(t.url, AGENTS);
  expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
  return new Map(res.body.data.agents.map((a: { slug: string; stats: Figures }) => [a.slug, a.stats]));
}

describe('agent win rates', () => {
  it('count every finished intent exactly once, before and after its bids are folded in', async () => {
    const winners: string[] = [];
    for (const n of [10, 20, 30]) {
      const res = await rest(t.url, 'POST', '/api/intents', { key, body: { text: `What is ${n}% of 2,340?` } });
      expect(res.status).toBe(200);
      const g = await gql(t.url, 'query($id: ID!) { intent(id: $id) { winningAgent { agent { slug } } } }', { id: String(res.body.id) }, key);
      winners.push(g.body.data.intent.winningAgent.agent.slug);
    }
    const winner = winners[0]!;
    expect(winners).toEqual([winner, winner, winner]);

    // Not folded yet: read from the backlog.
    const before = await figuresBySlug();
    expect(before.get(winner)).toEqual({ bids: 3, wins: 3, winRate: 1 });
    // Two instances folding at once count each intent once.
    const folded = await Promise.all([t.app.modules.agentStats.rollUp(), t.app.modules.agentStats.rollUp()]);
    expect(folded[0] + folded[1]).toBeLessThanOrEqual(3); // the periodic fold may have taken some
    const { rows } = await t.app.db.pool.query('select count(*)::int as n from agent_stats_backlog');
    expect(rows[0].n).toBe(0);
    const after = await figuresBySlug();
    expect(after).toEqual(before);
    // A runner-up that bid and lost: bids without wins.
    const loser = [...after].find(([slug, f]) => slug !== winner && f.bids === 3);
    expect(loser?.[1]).toEqual({ bids: 3, wins: 0, winRate: 0 });
  });

  it('count a cancelled intent with the bids it had, and agree with the bids table', async () => {
    // A silent HTTP agent keeps the bid window open; the in-process bids are stored meanwhile.
    await registerSilentAgent(t, 'silent-for-stats');
    const live = await intentKey(t, 'stats-live-co', 'pro'); // a sandbox key would simulate the HTTP agent
    const submitted = await gql(t.url, 'mutation { submitIntent(input: { text: "What is 3 + 4?", bidWindowMs: 5000 }) { id } }', {}, live);
    const id = submitted.body.data.submitIntent.id;
    await new Promise((r) => setTimeout(r, 300));
    const cancelled = await gql(t.url, 'mutation($id: ID!) { cancelIntent(id: $id) { status } }', { id }, live);
    expect(cancelled.body.errors, JSON.stringify(cancelled.body.errors)).toBeUndefined();
    expect(cancelled.body.data.cancelIntent.status).toBe('cancelled');
    await t.app.modules.agentStats.rollUp();
    const { rows } = await t.app.db.pool.query<{ slug: string; bids: number; wins: number }>(
      `select a.slug, count(*) filter (where b.outcome = 'bid')::int as bids, count(*) filter (where b.won)::int as wins
         from bids b join intents i on i.id = b.intent_id join agents a on a.id = b.agent_id
        where i.status in ('completed', 'failed', 'cancelled') group by a.slug`,
    );
    expect(rows.find((r) => r.slug === 'calculator')?.bids).toBeGreaterThan(0); // the cancelled intent's bids are in
    const figures = await figuresBySlug();
    for (const r of rows) expect({ slug: r.slug, bids: figures.get(r.slug)?.bids ?? 0, wins: figures.get(r.slug)?.wins ?? 0 }).toEqual(r);
  });

  it('read by id as in the list; an agent that never bid reads zero', async () => {
    const listed = (await figuresBySlug()).get('sql-sculptor');
    const one = await gql(t.url, '{ agent(id: "sql-sculptor") { stats { bids wins winRate } } }');
    expect(one.body.data.agent.stats).toEqual(listed);
    const created = await gql(
      t.url,
      `mutation($input: CreateAgentInput!) { createAgent(input: $input) { agent { stats { bids wins winRate } } } }`,
      {
        input: {
          slug: 'newcomer',
          kind: 'http',
          name: 'Newcomer',
          emoji: '🆕',
          domain: 'research',
          skills: ['new'],
          description: 'Never bid yet',
          version: '1.0.0',
          priceInputPerMTok: 1,
          priceOutputPerMTok: 1,
          endpoint: 'http://127.0.0.1:9/agent',
        },
      },
      t.rootKey,
    );
    expect(created.body.errors, JSON.stringify(created.body.errors)).toBeUndefined();
    expect(created.body.data.createAgent.agent.stats).toEqual({ bids: 0, wins: 0, winRate: 0 });
  });
});
