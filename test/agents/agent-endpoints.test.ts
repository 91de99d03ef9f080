import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { registerHttpAgent } from '../helpers/agents.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/database.js';
import { gql, intentKey, rest } from '../helpers/http.js';

const NOT_PUBLIC = [
  'http://127.0.0.1:8787',
  'http://10.0.0.5/agent',
  'http://169.254.169.254/latest',
  'http://[::1]:8787',
  'http://[::ffff:7f00:1]/',
  'http://[::127.0.0.1]/',
  'http://[2002:a00:1::1]/',
  'http://[2001:0:4136:e378:8000:63bf:f5ff:fffe]/',
  'http://[64:ff9b::a9fe:a9fe]/',
  'http://[64:ff9b:1::1]/',
  'http://[100::1]/',
  'http://[fd00::1]/',
  'http://203.0.113.7/',
  'http://localhost:8787',
  'http://poet.internal/',
  'http://poet/',
];

const agentBody = (slug: string, endpoint: string) => ({
  slug,
  kind: 'http',
  name: slug,
  emoji: '🛰',
  domain: 'research',
  skills: ['endpoints'],
  description: 'An agent somewhere',
  version: '1.0.0',
  priceInputPerMTok: 1,
  priceOutputPerMTok: 1,
  endpoint,
});

describe('HTTP agent endpoints, when private targets are not allowed', () => {
  // Started in a hook: a fresh embedded database takes seconds on a busy machine, and that is not what is tested.
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ GAVEL_AGENT_ALLOW_PRIVATE: 'false' });
  });
  afterAll(() => t?.stop());

  it('are refused at registration and on edit when they name a non-public address or a local name', async () => {
    for (const [i, endpoint] of NOT_PUBLIC.entries()) {
      const created = await gql(
        t.url,
        'mutation($input: CreateAgentInput!) { createAgent(input: $input) { signingSecret } }',
        { input: agentBody(`private-${i}`, endpoint) },
        t.rootKey,
      );
      expect(created.body.errors?.[0]?.extensions, endpoint).toMatchObject({ code: 'INVALID_REQUEST', field: 'endpoint' });
      expect(created.body.errors?.[0]?.message, endpoint).toMatch(/endpoint must point at a public address/);
      const overRest = await rest(t.url, 'POST', '/api/agents', { key: t.rootKey, body: agentBody(`private-rest-${i}`, endpoint) });
      expect(overRest.status, endpoint).toBe(400);
      expect(overRest.body.error.code, endpoint).toBe('invalid_request');
    }
    const listed = (await rest(t.url, 'GET', '/api/agents?kind=http')).body as Array<{ slug: string }>;
    expect(listed.filter((a) => a.slug.startsWith('private-'))).toEqual([]); // nothing half-stored

    const publicAgent = await rest(t.url, 'POST', '/api/agents', {
      key: t.rootKey,
      body: { ...agentBody('far-away', 'https://agent.example.com/gavel'), active: false },
    });
    expect(publicAgent.status).toBe(201);
    // A public agent is reached over HTTPS only: its calls carry tenants' intents.
    const plain = await rest(t.url, 'PATCH', '/api/agents/far-away', { key: t.rootKey, body: { endpoint: 'http://agent.example.com/gavel' } });
    expect(plain.status).toBe(400);
    expect(plain.body.error.message).toMatch(/HTTPS/);
    const moved = await rest(t.url, 'PATCH', '/api/agents/far-away', { key: t.rootKey, body: { endpoint: 'http://192.168.1.20/gavel' } });
    expect(moved.status).toBe(400);
    expect(moved.body.error.code).toBe('invalid_request');
    const unchanged = await gql(t.url, '{ agent(id: "far-away") { slug } }');
    expect(unchanged.body.data.agent.slug).toBe('far-away');
  });

  it('are checked again after DNS: a stored agent whose name resolves to a private address fails its bid, saying why', async () => {
    let calls = 0;
    const server = createServer((_req, res) => (calls++, res.end('{"confidence":1}')));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    onTestFinished(() => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))));
    const db = await createTestDatabase();
    onTestFinished(() => db.drop());

    // Registered while private agents were allowed; then the operator turned that off.
    const before = await startTestApp({}, db);
    await registerHttpAgent(before.url, before.rootKey, { slug: 'resolves-home', endpoint: `http://localhost:${(server.address() as AddressInfo).port}` });
    await before.stop();
    // A bid window long enough for the lookup on a loaded machine: the refusal, not the clock, must end the bid.
    const after = await startTestApp({ GAVEL_AGENT_ALLOW_PRIVATE: 'false', GAVEL_BID_WINDOW_MS: '10000' }, db);
    onTestFinished(() => after.stop());

    const key = await intentKey(after, 'dns-co', 'pro');
    const submitted = await gql(after.url, 'mutation { submitIntent(input: { text: "Who answers from home?" }) { id } }', {}, key);
    const intent = await gql(
      after.url,
      'query($id: ID!) { intent(id: $id, waitMs: 20000) { status bids { agent { slug } outcome reasoning } } }',
      { id: submitted.body.data.submitIntent.id },
      key,
    );
    const bid = (intent.body.data.intent.bids as Array<{ agent: { slug: string }; outcome: string; reasoning: string }>).find(
      (b) => b.agent.slug === 'resolves-home',
    );
    expect(bid).toMatchObject({ outcome: 'failed', reasoning: expect.stringMatching(/the target is not a public address/) as string });
    // What the name resolved to is the operator's business: the tenant's answer names no address.
    expect(bid!.reasoning).not.toMatch(/127\.0\.0\.1|::1|loopback/);
    expect(intent.body.data.intent.status).not.toBe('pending');
    expect(calls).toBe(0);
  });
});
