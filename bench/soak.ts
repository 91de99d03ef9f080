/**
 * `npm run soak [-- minutes]`: a gateway process under a mixed load for a while (default
 * 10 minutes, or SOAK_MINUTES): REST and GraphQL submits with real and sandbox keys,
 * reads, graphql-ws and SSE subscribers, webhooks to a local receiver. It prints the
 * requests served, the 5xx count, the dropped connections (no answer, with the cause),
 * p50/p99 latency, the gateway's heap after a full GC at the start and at the end, and
 * its open handles at the end. The gateway is the build (`npm run build` first), as
 * `npm start` runs it.
 *
 * DATABASE_URL runs the gateway on that PostgreSQL (in a scratch database, dropped
 * after); otherwise on the embedded database in a temporary directory. The heap is read
 * through the gateway's inspector (loopback only), not an endpoint. Where `taskset`
 * exists and there are two cores or more, the gateway and this load generator are
 * pinned to different cores.
 */
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { spawnGateway } from '../test/helpers/process.js';
import { heapAfterGc, inspectorUrl, openHandles } from './inspector.js';
import { createScratchDatabase } from '../test/helpers/database.js';
import { percentile } from './stats.js';

const KEY = 'gvl_live_soak_bootstrap_key_0123456789abcdef';
const minutes = Number(process.argv[2] ?? process.env.SOAK_MINUTES ?? 10);
if (!(minutes > 0)) throw new Error(`soak: minutes must be a positive number, got ${process.argv[2] ?? process.env.SOAK_MINUTES}`);
const WORKERS = Number(process.env.SOAK_WORKERS ?? 6);
const WS_SUBSCRIBERS = 20;

const latencies: number[] = [];
const statuses = new Map<number, number>();
const fiveXx: string[] = [];
/** Requests that got no HTTP answer at all, with the client's reason: counted apart from 5xx. */
const dropped: string[] = [];
let served = 0;

const other4xx = new Map<string, string>();
function record(status: number, ms: number, what: string, body: string): void {
  if (status === 0) {
    dropped.push(`${what} after ${Math.round(ms)} ms: ${body.slice(0, 200)}`);
    return;
  }
  served++;
  if (status >= 400 && status < 500) other4xx.set(`${what} ${status}`, body.slice(0, 200));
  latencies.push(ms);
  statuses.set(status, (statuses.get(status) ?? 0) + 1);
  if (status >= 500) fiveXx.push(`${what} → ${status} ${body.slice(0, 200)}`);
}

/** fetch's TypeError says only "fetch failed"; the cause (ECONNRESET, a timeout…) is what tells a drop's origin. */
function reason(error: unknown): string {
  const e = error as Error & { cause?: Error & { code?: string } };
  return [e.name, e.message, e.cause && `cause: ${e.cause.code ?? ''} ${e.cause.message}`].filter(Boolean).join(' ');
}

async function call(url: string, what: string, init: RequestInit): Promise<{ status: number; body: any }> {
  const started = performance.now();
  try {
    const res = await fetch(url, init);
    const text = await res.text();
    record(res.status, performance.now() - started, what, text);
    try {
      return { status: res.status, body: JSON.parse(text) };
    } catch {
      return { status: res.status, body: text };
    }
  } catch (error) {
    record(0, performance.now() - started, what, reason(error));
    return { status: 0, body: null };
  }
}

const auth = (key: string) => ({ authorization: `Bearer ${key}`, 'content-type': 'application/json' });
const gqlCall = (base: string, key: string, what: string, query: string, variables: Record<string, unknown> = {}) =>
  call(`${base}/graphql`, what, {
    method: 'POST',
    headers: { ...auth(key), accept: 'application/graphql-response+json' },
    body: JSON.stringify({ query, variables }),
  });

function pinTo(core: number, pid: number): boolean {
  try {
    execFileSync('taskset', ['-p', '-c', String(core), String(pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'gavel-soak-'));
  const server = process.env.DATABASE_URL;
  const env: Record<string, string> = {
    DATA_DIR: dir,
    GAVEL_BOOTSTRAP_KEY: KEY,
    LOG_LEVEL: 'error',
    GAVEL_WEBHOOK_ALLOW_PRIVATE: 'true',
    GAVEL_WEBHOOK_SECRET: 'soak-webhook-secret-0123456789',
    NODE_OPTIONS: '--inspect=127.0.0.1:0',
  };
  const scratch = server ? await createScratchDatabase(server, 'gavel_soak') : null;
  if (scratch) env.DATABASE_URL = scratch.url;
  let webhooks = 0;
  const receiver = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      webhooks++;
      res.writeHead(200).end('{}');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
  const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  const gateway = await spawnGateway(env, 120_000);
  const pinned = availableParallelism() >= 2 && pinTo(0, gateway.child.pid!) && pinTo(1, process.pid);
  const base = gateway.url;
  const inspector = inspectorUrl(gateway.output());
  const clients: Client[] = [];
  try {
    console.log(
      `soak: ${minutes} min on ${server ? 'PostgreSQL' : 'the embedded database'}, ${WORKERS} workers, ${pinned ? 'gateway on core 0, load on core 1' : 'not pinned'}`,
    );
    const real = await createKey(base, 'soak-real', false);
    const sandbox = await createKey(base, 'soak-sandbox', true);
    const keys = [real, sandbox];
    await call(`${base}/api/admin/wallet/top-up`, 'top-up', {
      method: 'POST',
      headers: auth(KEY),
      body: JSON.stringify({ tenant: 'soak-real', amount_usd: 1_000_000 }),
    });

    // Long-lived graphql-ws subscribers to the live bid feed.
    let feedEvents = 0;
    for (let i = 0; i < WS_SUBSCRIBERS; i++) {
      const client = wsClient(base, keys[i % 2]!);
      clients.push(client);
      client.subscribe({ query: 'subscription { bidFeed { seq agent outcome } }' }, { next: () => void feedEvents++, error: () => {}, complete: () => {} });
    }

    const ids: Array<[number, string]> = [];
    let n = 0;
    const ops: Array<() => Promise<unknown>> = [
      // REST submit, waiting for the receipt, with a webhook now and then.
      async () => {
        const i = n++;
        const res = await call(`${base}/api/intents`, 'POST /api/intents', {
          method: 'POST',
          headers: auth(keys[i % 2]!),
          body: JSON.stringify({ text: `What is ${i % 97}% of 2,340?`, ...(i % 3 === 0 ? { webhook_url: hook } : {}) }),
        });
        if (typeof res.body?.id === 'number') ids.push([res.body.id, keys[i % 2]!]);
      },
      // GraphQL submit that returns at once, then followed over graphql-ws to its completion.
      async () => {
        const key = keys[n++ % 2]!;
        const res = await gqlCall(base, key, 'submitIntent', 'mutation($text: String!) { submitIntent(input: { text: $text }) { id } }', {
          text: `Convert "soak test ${n}" to upper case`,
        });
        const id = res.body?.data?.submitIntent?.id;
        if (!id) return;
        const client = wsClient(base, key);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 30_000);
          client.subscribe(
            { query: 'subscription($id: ID!) { intentEvents(intentId: $id) { seq type } }', variables: { id } },
            { next: () => {}, error: () => (clearTimeout(timer), resolve()), complete: () => (clearTimeout(timer), resolve()) },
          );
        });
        await client.dispose();
      },
      // SSE: submit without waiting, read its event stream to the end.
      async () => {
        const key = keys[n++ % 2]!;
        const res = await call(`${base}/api/intents?wait=false`, 'POST /api/intents?wait=false', {
          method: 'POST',
          headers: auth(key),
          body: JSON.stringify({ text: `What is ${n % 50} + ${n % 13}?` }),
        });
        if (typeof res.body?.id !== 'number') return;
        const started = performance.now();
        try {
          const stream = await fetch(`${base}/api/intents/${res.body.id}/events`, {
            headers: { ...auth(key), accept: 'text/event-stream' },
            signal: AbortSignal.timeout(30_000),
          });
          const text = await stream.text();
          record(stream.status, performance.now() - started, 'GET /api/intents/:id/events', text);
        } catch (error) {
          record(0, performance.now() - started, 'GET /api/intents/:id/events', reason(error));
        }
      },
      // Reads.
      async () => {
        const read = ids[Math.floor(Math.random() * ids.length)];
        if (read) await call(`${base}/api/intents/${read[0]}`, 'GET /api/intents/:id', { headers: auth(read[1]) });
      },
      () => call(`${base}/api/intents?limit=20`, 'GET /api/intents', { headers: auth(keys[n++ % 2]!) }),
      () => call(`${base}/api/usage`, 'GET /api/usage', { headers: auth(real) }),
      () => gqlCall(base, sandbox, 'intents', '{ intents(first: 10) { edges { node { id status } } } }'),
      () => gqlCall(base, real, 'me', '{ me { keyId sandbox } }'),
    ];

    const endAt = Date.now() + minutes * 60_000;
    const warmUntil = Date.now() + Math.min(30_000, minutes * 6_000);
    let heapStart = 0;
    const load = Array.from({ length: WORKERS }, async (_, w) => {
      for (let i = w; Date.now() < endAt; i++) await ops[i % ops.length]!();
    });
    // The start figure is taken after a warm-up under load: first requests fill caches once.
    await sleep(warmUntil - Date.now());
    heapStart = await heapAfterGc(inspector);
    console.log(`heap after GC at start (after ${Math.round(Math.min(30, minutes * 6))} s of warm-up load): ${mb(heapStart)}`);
    const progress = setInterval(
      () =>
        console.log(
          `  ${new Date().toISOString()}  served ${served}, 5xx ${fiveXx.length}, dropped ${dropped.length}, webhooks ${webhooks}, feed events ${feedEvents}`,
        ),
      60_000,
    );
    await Promise.all(load);
    clearInterval(progress);
    await Promise.all(clients.splice(0).map((c) => c.dispose()));
    await sleep(3_000); // deliveries and sockets settle
    const heapEnd = await heapAfterGc(inspector);
    const handles = await openHandles(inspector);
    const sorted = [...latencies].sort((a, b) => a - b);
    console.log(
      `\nrequests served: ${served} (${[...statuses]
        .sort()
        .map(([s, c]) => `${s}: ${c}`)
        .join(', ')})`,
    );
    console.log(`5xx: ${fiveXx.length}`);
    for (const line of fiveXx.slice(0, 10)) console.log(`  ${line}`);
    console.log(`dropped (no HTTP answer): ${dropped.length}`);
    for (const line of dropped.slice(0, 10)) console.log(`  ${line}`);
    for (const [what, body] of other4xx) console.log(`  4xx: ${what}: ${body}`);
    console.log(`latency p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${percentile(sorted, 99).toFixed(1)} ms`);
    console.log(`webhooks received: ${webhooks}; bid feed events received: ${feedEvents}`);
    const growth = ((heapEnd - heapStart) / heapStart) * 100;
    console.log(`heap after GC: start ${mb(heapStart)}, end ${mb(heapEnd)} (${growth >= 0 ? '+' : ''}${growth.toFixed(1)} %)`);
    console.log(`open handles at the end: ${JSON.stringify(handles)}`);
    process.exitCode = fiveXx.length === 0 && dropped.length === 0 && growth < 10 ? 0 : 1;
  } finally {
    await Promise.all(clients.map((c) => c.dispose()));
    gateway.child.kill('SIGTERM');
    await gateway.exited;
    receiver.closeAllConnections();
    receiver.close();
    await rm(dir, { recursive: true, force: true });
    await scratch?.drop();
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

function wsClient(base: string, key: string): Client {
  return createClient({
    url: `${base.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${key}` },
    retryAttempts: 0,
  });
}

async function createKey(base: string, tenant: string, sandbox: boolean): Promise<string> {
  const res = await gqlCall(base, KEY, 'createApiKey', 'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { key } }', {
    input: { tenant, tier: 'enterprise', scopes: ['intent_submit', 'intent_read'], sandbox },
  });
  if (!res.body?.data) throw new Error(`creating a key: ${JSON.stringify(res.body)}`);
  return res.body.data.createApiKey.key as string;
}

await main();
