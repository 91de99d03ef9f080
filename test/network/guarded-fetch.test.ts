import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGuardedFetch, PrivateTargetError } from '../../src/lib/guarded-http.js';
import { readSse } from '../../src/lib/sse.js';

let port: number;
const server = createServer((req, res) => {
  if (req.url === '/redirect') return res.writeHead(302, { location: 'http://127.0.0.1:1/elsewhere' }).end();
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  res.write('event: chunk\ndata: {"text":"a"}\n\n');
  setTimeout(() => res.end('event: done\ndata: {}\n\n'), 20);
});
beforeAll(() => new Promise<void>((r) => server.listen(0, '127.0.0.1', () => ((port = (server.address() as AddressInfo).port), r()))));
afterAll(() => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))));

const post = { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' } as const;

describe('the guarded HTTP client', () => {
  it('refuses a name that resolves to a private address, after DNS, telling the address only to the operator', async () => {
    const told: PrivateTargetError[] = [];
    const guarded = createGuardedFetch({ allowPrivate: false, onRefused: (e) => told.push(e) });
    const error = (await guarded(`http://localhost:${port}/`, post).catch((e: unknown) => e)) as PrivateTargetError;
    expect(error).toBeInstanceOf(PrivateTargetError);
    // The message may reach a tenant (a bid's reasoning, a delivery's error): no address in it.
    expect(error.message).toBe('the target is not a public address');
    expect(error.detail).toMatch(/localhost resolves to an address that is not public: (127\.0\.0\.1 is loopback|::1 is loopback)/);
    expect(told).toEqual([error]);
  });

  it('refuses literal addresses, which are connected to without a lookup', async () => {
    const guarded = createGuardedFetch({ allowPrivate: false });
    for (const host of ['127.0.0.1', '[::1]', '[::ffff:7f00:1]', '[2002:7f00:1::1]']) {
      const error = (await guarded(`http://${host}:${port}/`, post).catch((e: unknown) => e)) as PrivateTargetError;
      expect(error, host).toBeInstanceOf(PrivateTargetError);
      expect(error.message, host).not.toContain(host.replace(/^\[|\]$/g, ''));
    }
  });

  it('streams the answer as a Response when private targets are allowed, and follows no redirect', async () => {
    const guarded = createGuardedFetch({ allowPrivate: true, keepAlive: true });
    for (const host of ['localhost', '127.0.0.1']) {
      const response = await guarded(`http://${host}:${port}/`, post);
      expect(response.headers.get('content-type')).toBe('text/event-stream');
      const events = [];
      for await (const event of readSse(response.body!)) events.push(event.event);
      expect(events).toEqual(['chunk', 'done']);
    }
    const redirect = await guarded(`http://127.0.0.1:${port}/redirect`, post);
    expect(redirect.status).toBe(302);
  });
});
