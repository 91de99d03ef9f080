import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { eventually, gql, intentKey, rest } from '../helpers/http.js';
import { startReceiver } from '../helpers/webhook-receiver.js';

const SECRET = 'whsec-test-secret-0123456789';
const ENV = { GAVEL_WEBHOOK_SECRET: SECRET, GAVEL_WEBHOOK_RETRY_DELAY_S: '1', GAVEL_WEBHOOK_TIMEOUT_MS: '1000' };
const DELIVERIES = `query($id: ID!) { intent(id: $id) { webhookDeliveries { id event url status attempts { attempt statusCode error } } } }`;

let t: TestApp;
let key: string;
beforeAll(async () => {
  t = await startTestApp(ENV);
  key = await intentKey(t, 'hooks-co', 'enterprise');
});
afterAll(() => t?.stop());

const deliveriesOf = async (id: number, k = key) => (await gql(t.url, DELIVERIES, { id: String(id) }, k)).body.data.intent.webhookDeliveries;

describe('webhook delivery', () => {
  it('POSTs the receipt, signed so that OctoMind’s verifier and a Standard Webhooks verifier accept it', async () => {
    const receiver = await startReceiver();
    const submitted = await rest(t.url, 'POST', '/api/intents', {
      key,
      body: { text: 'What is 17% of 2,340?', webhook_url: receiver.url, metadata: { n: 'ü→' } },
    });
    expect(submitted.status).toBe(200);
    const [hit] = await receiver.waitFor(1);
    // OctoMind, as written: HMAC of JSON.stringify(req.body) with the secret.
    const expected = createHmac('sha256', SECRET).update(JSON.stringify(hit!.body)).digest('hex');
    expect(hit!.headers['x-octomind-signature']).toBe(expected);
    // Standard Webhooks, with its reference library (a non-whsec secret is taken raw).
    expect(() => new Webhook(SECRET, { format: 'raw' }).verify(hit!.raw, hit!.headers as Record<string, string>)).not.toThrow();
    expect(hit!.headers['webhook-id']).toMatch(/^[0-9a-f-]{36}$/);
    // The body is the receipt, exactly as GET /api/intents/:id answers it.
    const stored = await rest(t.url, 'GET', `/api/intents/${submitted.body.id}`, { key });
    expect(hit!.body).toEqual(stored.body);
    expect(hit!.body.result).toContain('397.8');
    const [delivery] = await eventually(
      () => deliveriesOf(submitted.body.id),
      (d) => d[0]?.status === 'delivered',
    );
    expect(delivery).toMatchObject({ event: 'receipt', url: receiver.url, attempts: [{ attempt: 1, statusCode: 200, error: null }] });
  });

  it('retries with backoff after failures and timeouts, keeping each attempt, then succeeds', async () => {
    const receiver = await startReceiver((n) => (n === 0 ? 500 : n === 1 ? 'hang' : 200));
    const submitted = await rest(t.url, 'POST', '/api/intents', { key, body: { text: 'What is 2 + 2?', webhook_url: receiver.url } });
    await receiver.waitFor(1);
    // While retries are scheduled, a manual redelivery is refused rather than doubled.
    const [pending] = await deliveriesOf(submitted.body.id);
    const early = await rest(t.url, 'POST', `/api/webhooks/deliveries/${pending.id}/redeliver`, { key });
    expect(early.status).toBe(409);
    const hits = await receiver.waitFor(3);
    // Every retry is the same message: same id, same bytes.
    expect(new Set(hits.map((h) => h.headers['webhook-id'])).size).toBe(1);
    expect(new Set(hits.map((h) => h.raw)).size).toBe(1);
    const [delivery] = await eventually(
      () => deliveriesOf(submitted.body.id),
      (d) => d[0]?.status === 'delivered',
    );
    expect(delivery.attempts.map((a: { statusCode: number | null }) => a.statusCode)).toEqual([500, null, 200]);
    expect(delivery.attempts[0].error).toContain('HTTP 500');
    expect(delivery.attempts[1].error).toMatch(/within 1000 ms/);
  });

  it('gives up after the configured retries and records the delivery as failed; redelivery sends it again', async () => {
    const app = await startTestApp({ ...ENV, GAVEL_WEBHOOK_RETRIES: '1' });
    try {
      const k = await intentKey(app, 'hooks-fail', 'enterprise');
      let up = false;
      const receiver = await startReceiver(() => (up ? 200 : 503));
      const submitted = await rest(app.url, 'POST', '/api/intents', { key: k, body: { text: 'What is 3 + 3?', webhook_url: receiver.url } });
      const read = async () => (await gql(app.url, DELIVERIES, { id: String(submitted.body.id) }, k)).body.data.intent.webhookDeliveries;
      const [failed] = await eventually(read, (d) => d[0]?.status === 'failed');
      expect(failed.attempts).toHaveLength(2);
      up = true;
      const again = await gql(app.url, 'mutation($id: ID!) { redeliverWebhook(id: $id) { id status } }', { id: failed.id }, k);
      expect(again.body.data.redeliverWebhook).toEqual({ id: failed.id, status: 'pending' });
      const [delivered] = await eventually(read, (d) => d[0]?.status === 'delivered');
      expect(delivered.attempts.map((a: { attempt: number; statusCode: number }) => [a.attempt, a.statusCode])).toEqual([
        [1, 503],
        [2, 503],
        [3, 200],
      ]);
      expect(receiver.received[2]!.headers['webhook-id']).toBe(failed.id);
      // REST shows the same deliveries.
      const viaRest = await rest(app.url, 'GET', `/api/intents/${submitted.body.id}/webhooks`, { key: k });
      expect(viaRest.body.deliveries[0]).toMatchObject({
        id: failed.id,
        status: 'delivered',
        attempts: [{ status_code: 503 }, { status_code: 503 }, { status_code: 200 }],
      });
      // Another tenant can neither see nor redeliver it.
      const stranger = await intentKey(app, 'hooks-stranger', 'enterprise');
      const theirs = await rest(app.url, 'POST', `/api/webhooks/deliveries/${failed.id}/redeliver`, { key: stranger });
      expect(theirs.status).toBe(404);
      expect((await rest(app.url, 'GET', `/api/intents/${submitted.body.id}/webhooks`, { key: stranger })).status).toBe(404);
    } finally {
      await app.stop();
    }
  });

  it('a delivery pending a retry survives a restart and is delivered by the new process', async () => {
    // Retries wait at least 3 s here, so the first retry comes after the restart.
    const app = await startTestApp({ ...ENV, GAVEL_WEBHOOK_RETRY_DELAY_S: '3' });
    let restarted = false;
    try {
      const k = await intentKey(app, 'hooks-restart', 'enterprise');
      const receiver = await startReceiver(() => (restarted ? 200 : 500));
      const submitted = await rest(app.url, 'POST', '/api/intents', { key: k, body: { text: 'What is 5 * 5?', webhook_url: receiver.url } });
      await receiver.waitFor(1);
      restarted = true;
      await app.restart();
      const restartedAt = Date.now();
      const hits = await receiver.waitFor(2);
      expect(hits[1]!.at).toBeGreaterThanOrEqual(restartedAt);
      const read = async () => (await gql(app.url, DELIVERIES, { id: String(submitted.body.id) }, k)).body.data.intent.webhookDeliveries;
      const [delivery] = await eventually(read, (d) => d[0]?.status === 'delivered');
      expect(delivery.attempts.map((a: { statusCode: number }) => a.statusCode)).toEqual([500, 200]);
    } finally {
      await app.stop();
    }
  });

  it('the sweep announces a final intent whose delivery was never created (a crash between receipt and announcement)', async () => {
    const receiver = await startReceiver();
    const submitted = await rest(t.url, 'POST', '/api/intents', { key, body: { text: 'What is 9 * 9?', webhook_url: receiver.url } });
    await receiver.waitFor(1);
    // The first delivery must be over (recorded) before it is forgotten: a sender still
    // running would otherwise mark the re-created delivery (same id) delivered, unsent.
    await eventually(
      () => deliveriesOf(submitted.body.id),
      (d) => d[0]?.status === 'delivered',
    );
    // Forget the delivery, as if the process had died right after writing the receipt.
    await t.app.db.pool.query('delete from webhook_deliveries where intent_id = $1', [submitted.body.id]);
    expect(await t.app.modules.webhooks.sweepUnannounced()).toBe(1);
    const hits = await receiver.waitFor(2);
    expect(hits[1]!.body).toEqual(hits[0]!.body);
    expect(await t.app.modules.webhooks.sweepUnannounced()).toBe(0);
  });

  it('sends Mindra execution events, signed with the webhook’s own secret', async () => {
    const receiver = await startReceiver();
    const own = 'receiver-own-secret-abcdef';
    const submitted = await rest(t.url, 'POST', '/api/intents', {
      key,
      body: { text: 'Convert 5 km to miles', webhook: { url: receiver.url, events: ['execution.started', 'execution.completed'], secret: own } },
    });
    expect(submitted.status).toBe(200);
    const hits = await receiver.waitFor(2);
    const events = hits.map((h) => h.body.event).sort();
    expect(events).toEqual(['execution.completed', 'execution.started']);
    for (const h of hits) {
      expect(h.headers['x-mindra-signature']).toBe(`sha256=${createHmac('sha256', own).update(h.raw).digest('hex')}`);
      expect(h.body.executionId).toBe(String(submitted.body.id));
      expect(h.body.signature).toBe(`sha256=${createHmac('sha256', own).update(JSON.stringify(h.body.data)).digest('hex')}`);
    }
    const completed = hits.find((h) => h.body.event === 'execution.completed')!;
    expect(completed.body.data.status).toBe('completed');
  });

  it('Mindra over /v1: all five events, each agent attempt numbered, verified by Mindra’s own Python snippet', async () => {
    const receiver = await startReceiver();
    const own = 'receiver-own-secret-python';
    const events = ['execution.started', 'execution.completed', 'execution.failed', 'agent.started', 'agent.completed'];
    const submitted = await rest(t.url, 'POST', '/v1/orchestrate', {
      key,
      body: { query: 'Convert 5 km to miles', webhook: { url: receiver.url, events, secret: own } },
    });
    expect(submitted.status).toBe(202);
    const hits = await receiver.waitFor(4);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(hits.map((h) => h.body.event).sort()).toEqual(['agent.completed', 'agent.started', 'execution.completed', 'execution.started']);
    const started = hits.find((h) => h.body.event === 'agent.started')!.body;
    const completed = hits.find((h) => h.body.event === 'agent.completed')!.body;
    expect(started).toMatchObject({ executionId: submitted.body.executionId, data: { executionId: submitted.body.executionId, phase: 'started', attempt: 1 } });
    expect(completed.data).toMatchObject({ phase: 'completed', attempt: 1, outcome: 'succeeded', agent: { slug: started.data.agent.slug } });
    const winner = hits.find((h) => h.body.event === 'execution.completed')!.body.data;
    expect(started.data.agent.name).toBe(winner.winning_agent.name);
    // The snippet from Mindra's reference, as written, over the raw body and the header.
    const python = [
      'import hmac, hashlib, json, sys',
      'def verify_webhook(payload, signature, secret):',
      '    expected = hmac.new(secret.encode(), payload.encode(), hashlib.sha256).hexdigest()',
      '    return hmac.compare_digest(f"sha256={expected}", signature)',
      'cases = json.load(sys.stdin)',
      'print(json.dumps([verify_webhook(c["payload"], c["signature"], c["secret"]) for c in cases]))',
    ].join('\n');
    const cases = hits.map((h) => ({ payload: h.raw, signature: h.headers['x-mindra-signature'], secret: own }));
    cases.push({ ...cases[0]!, secret: 'not-the-secret-at-all' });
    const { execFileSync } = await import('node:child_process');
    const verdicts = JSON.parse(execFileSync('python3', ['-c', python], { input: JSON.stringify(cases) }).toString()) as boolean[];
    expect(verdicts).toEqual([true, true, true, true, false]);
  });

  it('refuses webhooks below Enterprise, malformed targets, and unknown events', async () => {
    const pro = await intentKey(t, 'hooks-pro', 'pro');
    const receiver = await startReceiver();
    const asPro = await rest(t.url, 'POST', '/api/intents', { key: pro, body: { text: 'What is 1 + 1?', webhook_url: receiver.url } });
    expect(asPro.status).toBe(403);
    for (const body of [
      { text: 'x', webhook_url: 'not a url' },
      { text: 'x', webhook_url: 'ftp://example.com/hook' },
      { text: 'x', webhook_url: 'https://user:pw@example.com/hook' },
      { text: 'x', webhook: { url: receiver.url, events: ['execution.exploded'] } },
      { text: 'x', webhook: { url: receiver.url, secret: 'short' } },
    ]) {
      const res = await rest(t.url, 'POST', '/api/intents', { key, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
    }
    expect(receiver.received).toHaveLength(0);
  });
});

describe('webhook targets in production settings', () => {
  it('refuses plain HTTP and private addresses when private targets are not allowed, and needs a secret', async () => {
    const app = await startTestApp({ GAVEL_WEBHOOK_SECRET: SECRET, GAVEL_WEBHOOK_ALLOW_PRIVATE: 'false' });
    const noSecret = await startTestApp({});
    try {
      const k = await intentKey(app, 'hooks-prod', 'enterprise');
      for (const url of [
        'http://example.com/hook',
        'https://127.0.0.1/hook',
        'https://10.1.2.3/hook',
        'https://169.254.169.254/latest',
        'https://[::1]/hook',
        'https://localhost/hook',
        'https://[::ffff:192.168.0.1]/x',
        'https://[::ffff:7f00:1]/x',
        'https://[::127.0.0.1]/x',
        'https://[2002:a00:1::]/x',
        'https://[2001:0:4136:e378:8000:63bf:f5ff:fffe]/x',
        'https://[64:ff9b::a9fe:a9fe]/latest',
        'https://[64:ff9b:1::1]/x',
        'https://[100::1]/x',
        'https://192.0.2.1/x',
        'https://[2001:db8::1]/x',
        'https://localhost./hook',
      ]) {
        const res = await rest(app.url, 'POST', '/api/intents?wait=false', { key: k, body: { text: 'What is 1 + 1?', webhook_url: url } });
        expect(res.status, url).toBe(400);
        expect(res.body.error, url).toMatchObject({ code: 'invalid_request', message: expect.stringMatching(/HTTPS|public address/) as string });
      }
      const ok = await rest(app.url, 'POST', '/api/intents?wait=false', {
        key: k,
        body: { text: 'What is 1 + 1?', webhook_url: 'https://hooks.example.com/gavel' },
      });
      expect(ok.status).toBe(202);
      const k2 = await intentKey(noSecret, 'hooks-nosecret', 'enterprise');
      const refused = await rest(noSecret.url, 'POST', '/api/intents?wait=false', {
        key: k2,
        body: { text: 'What is 1 + 1?', webhook_url: 'http://127.0.0.1:9/x' },
      });
      expect(refused.status).toBe(400);
      expect(refused.body.error.message).toMatch(/GAVEL_WEBHOOK_SECRET/);
    } finally {
      await app.stop();
      await noSecret.stop();
    }
  });
});
