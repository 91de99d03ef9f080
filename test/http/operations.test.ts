import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../src/dialects/index.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { gql, rest } from '../helpers/http.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.stop());

describe('production by default', () => {
  it('a start with no NODE_ENV is production: no GraphiQL, no field suggestions, no open /metrics', async () => {
    const prod = await startTestApp({ NODE_ENV: '' });
    try {
      const page = await fetch(`${prod.url}/graphql`, { headers: { accept: 'text/html' } });
      expect(await page.text()).not.toMatch(/graphiql/i);
      const typo = await gql(prod.url, '{ mee { tenant } }');
      expect(typo.body.errors?.[0]?.message).toMatch(/Cannot query field "mee"/);
      expect(typo.body.errors?.[0]?.message).not.toMatch(/Did you mean/);
      // Metrics only behind GAVEL_METRICS_TOKEN or on GAVEL_METRICS_PORT (test/http/metrics-exposure.test.ts).
      const metrics = await fetch(`${prod.url}/metrics`);
      expect(metrics.status).toBe(404);
      expect(await metrics.text()).not.toContain('gavel_');
      // An unexpected failure (here: a table gone from under the server) says nothing of its cause.
      await prod.app.db.orm.em.fork().getConnection().execute('alter table intents rename to intents_gone');
      try {
        const graphql = await gql(prod.url, 'query { intent(id: "1") { id } }', {}, prod.rootKey);
        expect(graphql.body.errors?.[0]).toMatchObject({ message: 'Unexpected error.', extensions: { code: 'INTERNAL_ERROR' } });
        const restAnswer = await rest(prod.url, 'GET', '/api/intents/1', { key: prod.rootKey });
        expect(restAnswer.status).toBe(500);
        expect(JSON.stringify([graphql.body, restAnswer.body])).not.toMatch(/intents|relation|does not exist|at \w+ \(/);
      } finally {
        await prod.app.db.orm.em.fork().getConnection().execute('alter table intents_gone rename to intents');
      }
    } finally {
      await prod.stop();
    }
  });
});

describe('operations endpoints', () => {
  it('/health answers while the process is alive, on its own path only, with a request id', async () => {
    const res = await fetch(`${t.url}/health`);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toMatch(/^req_/);
    // Yoga's own checks answered any path ending in /health or /ready.
    for (const path of ['/api/health', '/api/ready', '/v1/health']) {
      const other = await rest(t.url, 'GET', path);
      expect(other.status, path).toBe(404);
      expect(other.body.error, path).toBeTruthy();
    }
    expect((await fetch(`${t.url}/anything/health`)).status).toBe(404);
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

  it('labels requests by route template, so 1,000 random paths add no series', async () => {
    await rest(t.url, 'GET', '/api/intents/12345', { key: t.rootKey });
    const series = async () => {
      const text = await (await fetch(`${t.url}/metrics`)).text();
      return new Set(
        text
          .split('\n')
          .filter((l) => l.startsWith('gavel_http_request'))
          .map((l) => l.replace(/ [\d.e+-]+$/, '')),
      );
    };
    const random = () => Math.random().toString(36).slice(2);
    // A first round of each kind creates what series there are to create (unmatched, each status).
    const round = () =>
      Promise.all(
        Array.from({ length: 250 }, (_, i) =>
          fetch(
            `${t.url}${[`/api/${random()}`, `/v1/${random()}/${random()}`, `/${random()}`, `/api/intents/${i + 1}`, `/files/${random()}/${random()}.txt`, '/api/openapi.json'][i % 6]}`,
          ).then((r) => r.text()),
        ),
        // A response is counted as it ends, a moment after its client has it.
      ).then(() => new Promise((resolve) => setTimeout(resolve, 300)));
    await series(); // a scrape is counted too, as it ends
    await round();
    const before = await series();
    for (let i = 0; i < 4; i++) await round();
    const after = await series();
    expect([...after].filter((s) => !before.has(s))).toEqual([]);
    expect([...after].some((s) => s.includes('route="/api/intents/:id"'))).toBe(true);
    expect([...after].some((s) => s.includes('route="unmatched"'))).toBe(true);
    // File downloads and OpenAPI documents are routes of their own, not unmatched.
    expect([...after].some((s) => s.includes('route="/files/:id/:name"'))).toBe(true);
    expect([...after].some((s) => s.includes('route="/api/openapi.json"'))).toBe(true);
    // Every label is a route template, one of the gateway's own endpoints, or unmatched.
    const templates = new Set(dialects.flatMap((d) => d.routes.map((r) => `${d.basePath}${r.path}`)));
    const labels = new Set([...after].map((s) => /route="([^"]*)"/.exec(s)![1]!));
    expect(
      [...labels].filter(
        (l) =>
          !templates.has(l) && !['graphql', 'health', 'ready', 'metrics', 'unmatched', '/files/:id/:name', '/api/openapi.json', '/v1/openapi.json'].includes(l),
      ),
    ).toEqual([]);
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
});
