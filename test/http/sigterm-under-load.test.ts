import { existsSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { spawnGateway } from '../helpers/process.js';

const GRACE_MS = 1_000;
const RUNS = 10;
const CONNECTIONS = 50;

/** One keep-alive request; any answer or failure counts as done (the server is going away). */
function hit(agent: Agent, url: URL, body?: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request(url, { agent, method: body ? 'POST' : 'GET', headers: body ? { 'content-type': 'application/json' } : {} }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', () => resolve(0));
    });
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

/**
 * Fifty keep-alive connections, each sending the next request as soon as the last is
 * answered: liveness, readiness (a database round trip) and a GraphQL POST in turn.
 */
function keepAliveLoad(base: string) {
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  let running = true;
  let ok = 0;
  const targets: Array<[URL, string?]> = [
    [new URL('/health', base)],
    [new URL('/ready', base)],
    [new URL('/graphql', base), JSON.stringify({ query: '{ __typename }' })],
  ];
  const loops = Array.from({ length: CONNECTIONS }, async (_, i) => {
    for (let n = i; running; n++) {
      const [url, body] = targets[n % targets.length]!;
      if ((await hit(agent, url, body)) === 200) ok++;
      else await new Promise((r) => setTimeout(r, 20)); // refused: do not spin
    }
  });
  return {
    served: () => ok,
    async stop() {
      running = false;
      await Promise.all(loops);
      agent.destroy();
    },
  };
}

describe.skipIf(!existsSync('/proc/self'))('SIGTERM under keep-alive load', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db?.drop());

  it(`exits 0 within the grace period + 2 s, ${RUNS} times in a row`, async () => {
    const timings: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const g = await spawnGateway({ ...db.env, GAVEL_SHUTDOWN_GRACE_MS: String(GRACE_MS) }, 120_000);
      const pid = g.child.pid!;
      const load = keepAliveLoad(g.url);
      try {
        // Load long enough that every connection is busy and kept alive.
        while (load.served() < 300) await new Promise((r) => setTimeout(r, 50));
        const sent = performance.now();
        g.child.kill('SIGTERM');
        const code = await Promise.race([g.exited, new Promise<string>((r) => setTimeout(() => r('still running'), GRACE_MS + 10_000))]);
        const took = performance.now() - sent;
        timings.push(Math.round(took));
        expect(code, g.output()).toBe(0);
        expect(took).toBeLessThan(GRACE_MS + 2_000);
        expect(existsSync(`/proc/${pid}`)).toBe(false);
      } finally {
        g.child.kill('SIGKILL');
        await load.stop();
      }
    }
    console.log(`SIGTERM → exit (ms, ${db.kind}): ${timings.join(', ')}`);
  }, 600_000);
});
