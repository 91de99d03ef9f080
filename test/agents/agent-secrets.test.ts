import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { registerHttpAgent, signedWith, startRecordingAgent } from '../helpers/agents.js';
import { startTestApp, useTestApp, type TestApp } from '../helpers/app.js';
import { gql, intentKey, rest } from '../helpers/http.js';
import { runCli } from '../helpers/process.js';

const verifies = signedWith;

async function runIntent(
  t: TestApp,
  key: string,
  text: string,
): Promise<{ status: string; bids: Array<{ agent: { slug: string }; outcome: string; reasoning: string | null }> }> {
  const submitted = await gql(
    t.url,
    'mutation($input: SubmitIntentInput!) { submitIntent(input: $input) { id } }',
    { input: { text, bidWindowMs: 3000 } },
    key,
  );
  expect(submitted.body.errors, JSON.stringify(submitted.body.errors)).toBeUndefined();
  const read = await gql(
    t.url,
    'query($id: ID!) { intent(id: $id, waitMs: 20000) { status bids { agent { slug } outcome reasoning } } }',
    { id: submitted.body.data.submitIntent.id },
    key,
  );
  return read.body.data.intent;
}

const ROTATE = 'mutation($id: ID!, $grace: Int) { rotateAgentSecret(id: $id, graceSeconds: $grace) { agent { slug } signingSecret previousSecretValidUntil } }';

let t: TestApp;
let key: string;
beforeAll(async () => {
  t = await startTestApp();
  key = await intentKey(t, 'secrets-co', 'pro');
});
afterAll(() => t?.stop());

describe('per-agent signing secrets', () => {
  it('are shown once, when an HTTP agent is registered, and never in a read of it', async () => {
    const body = {
      slug: 'shown-once',
      kind: 'http',
      name: 'Shown Once',
      emoji: '🔑',
      domain: 'research',
      skills: ['secrets'],
      description: 'Registered over REST',
      version: '1.0.0',
      price_input_per_mtok: 1,
      price_output_per_mtok: 1,
      endpoint: 'http://127.0.0.1:9',
      active: false,
    };
    const created = await rest(t.url, 'POST', '/api/agents', { key: t.rootKey, body });
    expect(created.status).toBe(201);
    expect(created.body.signing_secret).toMatch(/^gvl_agent_[A-Za-z0-9]{43}$/);
    const read = await rest(t.url, 'GET', '/api/agents/shown-once');
    expect(read.status).toBe(200);
    expect(JSON.stringify(read.body)).not.toContain(created.body.signing_secret);
    expect(read.body).not.toHaveProperty('signing_secret');
    const asField = await gql(t.url, '{ agent(id: "shown-once") { signingSecret } }');
    expect(asField.body.errors?.[0]?.message).toMatch(/Cannot query field "signingSecret" on type "Agent"/);

    const llm = await rest(t.url, 'POST', '/api/agents', {
      key: t.rootKey,
      body: { ...body, slug: 'no-secret-llm', kind: 'llm', endpoint: null, systemPrompt: 'Be brief.' },
    });
    expect(llm.status).toBe(201);
    expect(llm.body.signing_secret).toBeNull();
  });

  it("sign each agent's calls with its own secret, which does not verify another agent's calls", async () => {
    const first = await startRecordingAgent();
    const second = await startRecordingAgent();
    const firstSecret = await registerHttpAgent(t.url, t.rootKey, { slug: 'secret-first', endpoint: first.url });
    const secondSecret = await registerHttpAgent(t.url, t.rootKey, { slug: 'secret-second', endpoint: second.url });
    onTestFinished(() => retire(['secret-first', 'secret-second']));
    expect(firstSecret).not.toBe(secondSecret);

    const intent = await runIntent(t, key, 'Record the signatures of this call');
    expect(intent.status).toBe('completed');
    expect(verifies(firstSecret, first.lastBid())).toBe(true);
    expect(verifies(secondSecret, second.lastBid())).toBe(true);
    expect(verifies(secondSecret, first.lastBid())).toBe(false);
    expect(verifies(firstSecret, second.lastBid())).toBe(false);
  });

  it('rotate without downtime: both secrets sign during the grace window; with no grace, only the new one', async () => {
    const agent = await startRecordingAgent();
    const original = await registerHttpAgent(t.url, t.rootKey, { slug: 'secret-rotated', endpoint: agent.url });
    onTestFinished(() => retire(['secret-rotated']));

    const graced = await gql(t.url, ROTATE, { id: 'secret-rotated', grace: 3600 }, t.rootKey);
    expect(graced.body.errors, JSON.stringify(graced.body.errors)).toBeUndefined();
    const { signingSecret: second, previousSecretValidUntil } = graced.body.data.rotateAgentSecret;
    expect(second).toMatch(/^gvl_agent_/);
    expect(second).not.toBe(original);
    expect(Date.parse(previousSecretValidUntil) - Date.now()).toBeGreaterThan(3_500_000);
    await runIntent(t, key, 'A call during the grace window');
    expect(verifies(second, agent.lastBid())).toBe(true);
    expect(verifies(original, agent.lastBid())).toBe(true);

    const abrupt = await gql(t.url, ROTATE, { id: 'secret-rotated', grace: 0 }, t.rootKey);
    const third = abrupt.body.data.rotateAgentSecret.signingSecret as string;
    expect(abrupt.body.data.rotateAgentSecret.previousSecretValidUntil).toBeNull();
    await runIntent(t, key, 'A call after a rotation with no grace');
    expect(verifies(third, agent.lastBid())).toBe(true);
    expect(verifies(second, agent.lastBid())).toBe(false);
    expect(verifies(original, agent.lastBid())).toBe(false);
  });

  it('refuse a rotation of an agent that signs nothing, a bad grace window, a missing agent and a non-operator', async () => {
    const llmSlug = (await gql(t.url, '{ agents(kind: llm) { slug } }')).body.data.agents[0].slug as string;
    const codeOf = async (id: string, grace: number, as = t.rootKey) => (await gql(t.url, ROTATE, { id, grace }, as)).body.errors?.[0]?.extensions;
    expect(await codeOf(llmSlug, 60)).toMatchObject({ code: 'INVALID_REQUEST', field: 'id' });
    await registerHttpAgent(t.url, t.rootKey, { slug: 'secret-grace', endpoint: 'http://127.0.0.1:9', active: false });
    expect(await codeOf('secret-grace', -1)).toMatchObject({ code: 'INVALID_REQUEST', field: 'graceSeconds' });
    expect(await codeOf('secret-grace', 8 * 86_400)).toMatchObject({ code: 'INVALID_REQUEST', field: 'graceSeconds' });
    expect(await codeOf('no-such-agent', 60)).toMatchObject({ code: 'NOT_FOUND' });
    expect(await codeOf('secret-grace', 60, key)).toMatchObject({ code: 'FORBIDDEN' });
  });
});

describe('HTTP agents registered before per-agent secrets', () => {
  it('sign with GAVEL_AGENT_SECRET until rotated, and with it and the new secret during the grace window', async () => {
    const LEGACY = 'the-legacy-shared-secret-0123';
    const app = await useTestApp({ GAVEL_AGENT_SECRET: LEGACY });
    const legacyKey = await intentKey(app, 'legacy-co', 'pro');
    const agent = await startRecordingAgent();
    await registerHttpAgent(app.url, app.rootKey, { slug: 'secret-legacy', endpoint: agent.url });
    // What the migration leaves on an agent registered before it: no secret of its own.
    await app.app.db.pool.query(`update agents set signing_secret = null where slug = 'secret-legacy'`);
    await app.restart();

    await runIntent(app, legacyKey, 'A call signed the old way');
    expect(verifies(LEGACY, agent.lastBid())).toBe(true);
    const rotated = await gql(app.url, ROTATE, { id: 'secret-legacy', grace: 600 }, app.rootKey);
    const own = rotated.body.data.rotateAgentSecret.signingSecret as string;
    await runIntent(app, legacyKey, 'A call during the move to its own secret');
    expect(verifies(own, agent.lastBid())).toBe(true);
    expect(verifies(LEGACY, agent.lastBid())).toBe(true);
  });
});

describe('the operator CLI', () => {
  it("rotates an HTTP agent's secret and prints the new one alone on the last line", async () => {
    const agent = await startRecordingAgent();
    const original = await registerHttpAgent(t.url, t.rootKey, { slug: 'secret-cli', endpoint: agent.url });
    onTestFinished(() => retire(['secret-cli']));
    const cli = await runCli(['agents', 'secret', 'rotate', 'secret-cli', '--grace-seconds', '600'], t.db.env);
    expect(cli.code, cli.stderr).toBe(0);
    const printed = cli.stdout.trim().split('\n').at(-1)!;
    expect(printed).toMatch(/^gvl_agent_[A-Za-z0-9]{43}$/);
    expect(printed).not.toBe(original);
    expect(cli.stdout).toMatch(/the old one also signs until/);
    const missing = await runCli(['agents', 'secret', 'rotate', 'no-such-agent'], t.db.env);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/Agent not found/);
  });

  it('rotates a secret that the running gateway signs with from its next call, without a restart', async () => {
    const agent = await startRecordingAgent();
    const original = await registerHttpAgent(t.url, t.rootKey, { slug: 'secret-cli-live', endpoint: agent.url });
    onTestFinished(() => retire(['secret-cli-live']));
    const cli = await runCli(['agents', 'secret', 'rotate', 'secret-cli-live', '--grace-seconds', '0'], t.db.env);
    expect(cli.code, cli.stderr).toBe(0);
    const rotated = cli.stdout.trim().split('\n').at(-1)!;
    // The gateway heard the change through the database (LISTEN/NOTIFY) when the CLI's write committed.
    expect((await runIntent(t, key, 'Record the signatures of this call')).status).toBe('completed');
    expect(verifies(rotated, agent.lastBid())).toBe(true);
    expect(verifies(original, agent.lastBid())).toBe(false);
  });
});

async function retire(slugs: string[]): Promise<void> {
  for (const slug of slugs) await gql(t.url, `mutation { updateAgent(id: "${slug}", input: { active: false }) { active } }`, {}, t.rootKey);
}
