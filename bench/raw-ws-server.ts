/**
 * Baseline for the fan-out benchmark: a bare `ws` server that broadcasts pre-serialized
 * messages to every client, the least any subscription server could do. Run as its own
 * process by bench/fanout.ts; prints its port when ready.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';

const server = createServer((req, res) => {
  if (req.url === '/cpu') {
    // CPU seconds this process has used, as prom-client reports the gateway's.
    const { user, system } = process.cpuUsage();
    return res.end(String((user + system) / 1e6));
  }
  const n = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('n') ?? 1);
  for (let i = 0; i < n; i++) {
    const message = JSON.stringify({
      id: '1',
      type: 'next',
      payload: {
        data: {
          bidFeed: {
            seq: i + 1,
            at: new Date().toISOString(),
            agent: 'raw-agent',
            outcome: 'bid',
            confidence: 0.5,
            reasoning: 'baseline message of a similar size to a bid event',
            domain: 'finance',
          },
        },
      },
    });
    for (const client of wss.clients) client.send(message);
  }
  res.end('ok');
});
const wss = new WebSocketServer({ server });
server.listen(0, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`));
