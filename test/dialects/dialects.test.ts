import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod/v4';
import { dialects } from '../../src/dialects/index.js';
import type { Dialect } from '../../src/dialects/kit/index.js';
import { createRouter, RouteConflictError } from '../../src/dialects/kit/router.js';
import { RestMeDocument } from '../../src/generated/graphql.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { rest } from '../helpers/http.js';

const fakeDialect = (name: string, basePath: string, paths: Array<[string, string]>): Dialect => ({
  name,
  title: name,
  description: name,
  basePath,
  routes: paths.map(([method, path]) => ({ method: method as 'GET', path, summary: path, document: RestMeDocument, result: () => ({}), responses: {} })),
  errorBody: (f) => ({ dialect: name, code: f.code }),
  errorSchema: z.object({ dialect: z.string(), code: z.string() }),
});

describe('the dialect router', () => {
  it('refuses two dialects that claim the same method and path, whatever their parameter names', () => {
    const a = fakeDialect('a', '/api', [['GET', '/things/:id']]);
    const b = fakeDialect('b', '/api', [['GET', '/things/:thingId']]);
    expect(() => createRouter([a, b])).toThrow(RouteConflictError);
    expect(() => createRouter([a, fakeDialect('c', '/api', [['POST', '/things/:id']])])).not.toThrow();
  });

  it("builds Gavel's own dialects without a conflict", () => {
    expect(() => createRouter(dialects)).not.toThrow();
  });

  it('gives a path to the longest base path, prefers static segments, and answers unknown paths and methods by their dialect', () => {
    const router = createRouter([
      fakeDialect('short', '/api', [
        ['GET', '/intents/:id'],
        ['GET', '/intents/batch'],
      ]),
      fakeDialect('long', '/api/v1', [['GET', '/tasks']]),
    ]);
    const hit = router.match('GET', '/api/intents/batch');
    expect(hit?.kind === 'route' && hit.mounted.path).toBe('/api/intents/batch');
    const param = router.match('GET', '/api/intents/42');
    expect(param?.kind === 'route' && param.params).toEqual({ id: '42' });
    expect(router.match('GET', '/api/v1/tasks')).toMatchObject({ kind: 'route', mounted: { dialect: { name: 'long' } } });
    expect(router.match('GET', '/api/v1/nothing')).toMatchObject({ kind: 'not-found', dialect: { name: 'long' } });
    expect(router.match('DELETE', '/api/intents/42')).toMatchObject({ kind: 'method-not-allowed', allowed: ['GET'], dialect: { name: 'short' } });
    expect(router.match('GET', '/apiary')).toBeNull();
    expect(router.match('GET', '/graphql')).toBeNull();
  });
});

describe('dialects over HTTP', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('serves an OpenAPI 3.1 document per base path whose every schema compiles, covering every route', async () => {
    const ajv = new Ajv2020({ strict: false });
    for (const basePath of ['/api', '/v1']) {
      const res = await fetch(`${t.url}${basePath}/openapi.json`);
      expect(res.status).toBe(200);
      const doc = (await res.json()) as { openapi: string; servers: Array<{ url: string }>; paths: Record<string, Record<string, { responses: object }>> };
      expect(doc.openapi).toBe('3.1.0');
      expect(doc.servers[0]!.url).toBe(basePath);
      const expected = dialects.filter((d) => d.basePath === basePath).flatMap((d) => d.routes.map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`));
      const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
      expect(documented.sort()).toEqual(expected.sort());
      const text = JSON.stringify(doc).replaceAll('"#/components/schemas/', '"#/$defs/');
      const withDefs = JSON.parse(text) as typeof doc & { components: { schemas: object } };
      for (const ops of Object.values(withDefs.paths)) {
        for (const op of Object.values(ops)) {
          for (const response of Object.values(op.responses) as Array<{ content?: Record<string, { schema: object }> }>) {
            const schema = response.content?.['application/json']?.schema;
            if (schema) expect(() => ajv.compile({ ...schema, $defs: withDefs.components.schemas })).not.toThrow();
          }
        }
      }
    }
    expect((await rest(t.url, 'GET', '/api/openapi.json')).body.paths['/intents'].post.summary).toMatch(/Submits an intent/);
  });

  it("answers an unknown path and a wrong method in the dialect's own error body", async () => {
    const octomind = await rest(t.url, 'GET', '/api/nothing-here');
    expect(octomind.status).toBe(404);
    expect(octomind.body.error).toMatchObject({ code: 'not_found', request_id: expect.stringMatching(/^req_/) });

    const mindra = await rest(t.url, 'POST', '/v1/nothing-here', { body: {} });
    expect(mindra.status).toBe(404);
    expect(mindra.body).toEqual({ error: 'NOT_FOUND', message: 'No route for POST /v1/nothing-here', requestId: expect.stringMatching(/^req_/) });

    const wrongMethod = await rest(t.url, 'DELETE', '/api/agents');
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('GET, POST');
    expect(wrongMethod.body.error.code).toBe('method_not_allowed');
  });

  it('validates requests with the route schemas: a bad query or body is a 400 naming the field', async () => {
    const badLimit = await rest(t.url, 'GET', '/api/intents?limit=500', { key: t.rootKey });
    expect(badLimit.status).toBe(400);
    expect(badLimit.body.error).toMatchObject({ code: 'invalid_request', field: 'limit', message: 'limit must be an integer from 1 to 100' });
    const badBatch = await rest(t.url, 'POST', '/api/intents/batch', { key: t.rootKey, body: { intents: [{ text: 'x' }, { text: 3 }] } });
    expect(badBatch.status).toBe(400);
    expect(badBatch.body.error.field).toBe('intents[1].text');
    const notObject = await rest(t.url, 'POST', '/api/intents', { key: t.rootKey, body: [] });
    expect(notObject.body.error).toMatchObject({ code: 'invalid_request', message: 'Request body must be a JSON object' });
  });
});
