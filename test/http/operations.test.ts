import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { gql, rest } from '../helpers/http.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.stop());

describe('operations endpoints', () => {
  it('/health answers while the process is alive', async () => {
    const res = await fetch(`${t.url}/health`);
    expect(res.status).toBe(200);
  });

  it('/ready answers 200 when the database is reachable', async () => {
    const res = await fetch(`${t.url}/ready`);
    expect(res.status).toBe(200);
  });

  it('/metrics serves Prometheus text including request counters', async () => {
    await fetch(`${t.url}/health`);
    await gql(t.url, '{ __typename }');
    const res = await fetch(`${t.url}/metrics`);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toContain('# TYPE gavel_http_requests_total counter');
    expect(text).toMatch(/gavel_http_requests_total\{method="POST",route="graphql",status="200"\} \d+/);
  });

  it('echoes X-Request-ID, or generates one, on every response and in error bodies', async () => {
    const echoed = await fetch(`${t.url}/graphql?query=%7B__typename%7D`, { headers: { 'x-request-id': 'trace-123' } });
    expect(echoed.headers.get('x-request-id')).toBe('trace-123');
    const generated = await rest(t.url, 'GET', '/api/me');
    expect(generated.headers.get('x-request-id')).toMatch(/^req_/);
    expect(generated.body.error.request_id).toBe(generated.headers.get('x-request-id'));
  });

  it('answers unknown REST paths with the documented 404 body and wrong methods with 405', async () => {
    const missing = await rest(t.url, 'GET', '/api/nope', { key: t.rootKey });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not_found');
    const wrong = await rest(t.url, 'DELETE', '/api/me', { key: t.rootKey });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET');
  });

  it('rejects abusive queries (too many aliases) with a clear error', async () => {
    const aliases = Array.from({ length: 40 }, (_, i) => `a${i}: me { tenant }`).join(' ');
    const res = await gql(t.url, `{ ${aliases} }`);
    expect(res.body.errors?.[0]?.message).toMatch(/aliases/i);
  });
});

describe('query hardening', () => {
  it('refuses queries with too many aliases or too high a cost with 400 INVALID_REQUEST', async () => {
    const aliases = `{ ${Array.from({ length: 31 }, (_, i) => `a${i}: routingStats { agentsActive }`).join(' ')} }`;
    const costly = `{ ${Array.from({ length: 25 }, (_, i) => `c${i}: intents(first: 100) { edges { node { id text result bids { id } } } }`).join(' ')} }`;
    for (const query of [aliases, costly]) {
      const res = await gql(t.url, query, {}, t.rootKey);
      expect(res.status, query.slice(0, 60)).toBe(400);
      expect(res.body.errors?.[0]?.extensions?.code).toBe('INVALID_REQUEST');
      expect(res.body.errors?.[0]?.message).not.toMatch(/^Syntax Error/);
    }
  });
});
