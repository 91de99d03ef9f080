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
  it('refuses a name that resolves to a private address, after DNS', async () => {
    const guarded = createGuardedFetch({ allowPrivate: false });
    const refused = guarded(`http://localhost:${port}/`, post);
    await expect(refused).rejects.toBeInstanceOf(PrivateTargetError);
    await expect(refused).rejects.toThrow(/localhost resolves to an address that is not public: (127\.0\.0\.1 is loopback|::1 is loopback)/);
  });

  it('refuses literal addresses, which are connected to without a lookup', async () => {
    const guarded = createGuardedFetch({ allowPrivate: false });
    for (const host of ['127.0.0.1', '[::1]', '[::ffff:7f00:1]', '[2002:7f00:1::1]']) {
      await expect(guarded(`http://${host}:${port}/`, post), host).rejects.toBeInstanceOf(PrivateTargetError);
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
