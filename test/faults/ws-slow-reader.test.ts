import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { BOOTSTRAP_KEY } from '../helpers/app.js';
import { createKey, eventually, rest, rosterSize } from '../helpers/http.js';
import { spawnGateway } from '../helpers/process.js';
import { wsClient } from '../helpers/ws.js';

/**
 * A graphql-ws client that subscribes and then never reads: what the gateway queues for
 * it is bounded (GAVEL_WS_MAX_BUFFERED_BYTES), it is closed with 1013 once past that, and
 * a subscriber that reads still gets every event. The ping is slow here, so the drop can
 * only come from the bound.
 */
describe('a WebSocket client that never reads', () => {
  it('is dropped once its buffer is full; other subscribers still receive every event', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gavel-ws-fault-'));
    const gw = await spawnGateway({ DATA_DIR: dir, GAVEL_BOOTSTRAP_KEY: BOOTSTRAP_KEY, GAVEL_WS_MAX_BUFFERED_BYTES: '65536', GAVEL_WS_PING_MS: '300000' });
    try {
      const { key } = await createKey(gw.url, BOOTSTRAP_KEY, {
        tenant: 'ws-fault',
        tier: 'enterprise',
        scopes: ['intent_submit', 'intent_read'],
        sandbox: true,
      });
      const roster = await rosterSize(gw.url);

      // The slow client: raw graphql-transport-ws, 50 bid-feed subscriptions, then its socket paused.
      const slow = new WebSocket(`${gw.url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
      await new Promise((r, j) => slow.once('open', r).once('error', j));
      const acked = new Promise<void>((r) => slow.once('message', () => r()));
      slow.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${key}` } }));
      await acked;
      for (let i = 0; i < 50; i++)
        slow.send(JSON.stringify({ id: `s${i}`, type: 'subscribe', payload: { query: 'subscription { bidFeed { seq agent outcome reasoning } }' } }));
      let slowMessages = 0;
      slow.on('message', () => slowMessages++);
      const closed = new Promise<number>((r) => slow.once('close', (code) => r(code)));
      (slow as unknown as { _socket: Socket })._socket.pause();

      // The healthy one.
      const healthy = wsClient(gw.url, key);
      let received = 0;
      await new Promise<void>((resolve) => {
        healthy.on('connected', () => setTimeout(resolve, 300));
        healthy.subscribe({ query: 'subscription { bidFeed { seq agent outcome } }' }, { next: () => void received++, error: () => {}, complete: () => {} });
      });
      await new Promise((r) => setTimeout(r, 300));

      const intents = 30;
      for (let i = 0; i < intents; i++) {
        const res = await rest(gw.url, 'POST', '/api/intents', { key, body: { text: `What is ${i}% of 2,340?` } });
        expect(res.status).toBe(200);
      }
      // Every bid of every intent reached the reader.
      await eventually(
        async () => received,
        (n) => n >= intents * roster,
        30_000,
      );
      expect(received).toBe(intents * roster);

      // The slow one, once it reads again, finds it was closed with 1013 after part of the stream.
      (slow as unknown as { _socket: Socket })._socket.resume();
      expect(await closed).toBe(1013);
      expect(slowMessages).toBeLessThan(50 * intents * roster);
      // The gateway is unharmed.
      expect((await rest(gw.url, 'POST', '/api/intents', { key, body: { text: 'What is 1 + 1?' } })).status).toBe(200);
      await healthy.dispose();
    } finally {
      gw.child.kill('SIGTERM');
      await gw.exited;
      await rm(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
