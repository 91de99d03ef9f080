/**
 * The latency bench's client, in a worker thread of its own: a client is not inside the
 * gateway, and sharing the gateway's event loop would bill the gateway for the client's
 * own HTTP and JSON work. Runs `n` sequential REST submits; answers their latencies (ms).
 * Plain JavaScript: worker threads do not inherit tsx's loader.
 */
import { parentPort, workerData } from 'node:worker_threads';

const { baseUrl, key, text } = workerData;

parentPort.on('message', async (n) => {
  const latencies = [];
  try {
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      const res = await fetch(`${baseUrl}/api/intents`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ text }),
      });
      const body = await res.json();
      if (body.status !== 'completed') throw new Error(`intent ended ${body.status} ${JSON.stringify(body).slice(0, 800)}`);
      latencies.push(performance.now() - t0);
    }
    parentPort.postMessage({ latencies });
  } catch (error) {
    parentPort.postMessage({ error: String(error) });
  }
});
