import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BOOTSTRAP_KEY } from '../helpers/app.js';
import { createKey, eventually, rest } from '../helpers/http.js';
import { spawnGateway } from '../helpers/process.js';
import { startReceiver } from '../helpers/webhook-receiver.js';

/**
 * A webhook receiver that accepts the connection and never answers, next to a healthy
 * one, on a gateway process: each hung attempt times out, is retried per policy and ends
 * failed with the timeout as its reason; the healthy receiver's deliveries go out at
 * once meanwhile.
 */
describe('a webhook receiver that hangs', () => {
  it('times out, is retried per policy, and holds up no other delivery', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gavel-hook-fault-'));
    const gw = await spawnGateway(
      {
        DATA_DIR: dir,
        GAVEL_BOOTSTRAP_KEY: BOOTSTRAP_KEY,
        GAVEL_WEBHOOK_SECRET: 'fault-webhook-secret-0123456789',
        GAVEL_WEBHOOK_ALLOW_PRIVATE: 'true',
        GAVEL_WEBHOOK_TIMEOUT_MS: '500',
        GAVEL_WEBHOOK_RETRIES: '2',
        GAVEL_WEBHOOK_RETRY_DELAY_S: '1',
      },
      150_000,
    );
    try {
      const { key } = await createKey(gw.url, BOOTSTRAP_KEY, { tenant: 'hook-fault', tier: 'enterprise', scopes: ['intent_submit', 'intent_read'] });
      const hung = await startReceiver(() => 'hang');
      const healthy = await startReceiver(() => 200);
      const stuck = await rest(gw.url, 'POST', '/api/intents', { key, body: { text: 'What is 5 + 5?', webhook_url: hung.url } });
      expect(stuck.status).toBe(200);
      await hung.waitFor(1);
      // While the hung receiver holds its attempt, others are delivered.
      for (let i = 0; i < 5; i++) {
        const ok = await rest(gw.url, 'POST', '/api/intents', { key, body: { text: `What is ${i} + 1?`, webhook_url: healthy.url } });
        expect(ok.status).toBe(200);
      }
      await healthy.waitFor(5, 20_000);
      expect(healthy.received).toHaveLength(5);

      // One attempt and two retries, each cut off by the timeout, then given up.
      const hits = await hung.waitFor(3, 30_000);
      expect(new Set(hits.map((h) => h.headers['webhook-id'])).size).toBe(1);
      const [delivery] = await eventually(
        async () => (await rest(gw.url, 'GET', `/api/intents/${stuck.body.id}/webhooks`, { key })).body.deliveries,
        (d: Array<{ status: string; attempts: Array<{ error: string | null }> }>) => d[0]?.status === 'failed',
        30_000,
      );
      expect(delivery!.attempts).toHaveLength(3);
      for (const attempt of delivery!.attempts) expect(attempt.error).toMatch(/within 500 ms/);
      expect(hung.received).toHaveLength(3);
    } finally {
      gw.child.kill('SIGTERM');
      await gw.exited;
      await rm(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
