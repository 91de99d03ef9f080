import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { onTestFinished } from 'vitest';

export interface Received {
  headers: IncomingHttpHeaders;
  /** The exact bytes received, as text. */
  raw: string;
  body: any;
  /** When it arrived (epoch ms). */
  at: number;
}

/** How the receiver answers the n-th request (0-based): a status, or 'hang' to never answer. */
export type Answer = number | 'hang';

/**
 * A real HTTP server standing in for a customer's webhook endpoint: it keeps every
 * request and answers as told (e.g. 500, 500, then 200).
 */
export async function startReceiver(answers: (n: number) => Answer = () => 200) {
  const received: Received[] = [];
  const waiters: Array<() => void> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const n = received.length;
      received.push({ headers: req.headers, raw, body: JSON.parse(raw), at: Date.now() });
      waiters.splice(0).forEach((w) => w());
      const answer = answers(n);
      if (answer === 'hang') return; // the gateway's timeout ends it
      res.writeHead(answer, { 'content-type': 'application/json' }).end(JSON.stringify({ received: answer < 300 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  onTestFinished(close);
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    received,
    /** Resolves once `count` requests arrived (fails the test after `timeoutMs`). */
    async waitFor(count: number, timeoutMs = 30_000): Promise<Received[]> {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > deadline) throw new Error(`receiver got ${received.length} of ${count} requests`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 200);
        });
      }
      return received;
    },
    close,
  };
}
