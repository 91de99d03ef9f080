import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/config.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { intentKey } from '../helpers/http.js';

const APP = 'https://app.example.com';
const OTHER = 'https://evil.example.net';

let open: TestApp;
let listed: TestApp;
let key: string;
beforeAll(async () => {
  [open, listed] = await Promise.all([startTestApp(), startTestApp({ GAVEL_CORS_ORIGINS: `${APP}, http://localhost:5173` })]);
  key = await intentKey(listed, 'cors-co');
});
afterAll(() => Promise.all([open?.stop(), listed?.stop()]));

const preflight = (url: string, origin: string, method = 'POST', headers = 'authorization, content-type, idempotency-key') =>
  fetch(url, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': headers } });

describe('CORS by default (GAVEL_CORS_ORIGINS=*)', () => {
  it('lets any origin read answers, never with credentials, and exposes the headers clients read', async () => {
    const res = await fetch(`${open.url}/api/routing/stats`, { headers: { origin: OTHER } });
    expect(res.headers.get('access-control-allow-origin')).toBe(OTHER);
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    expect(res.headers.get('vary')).toMatch(/Origin/);
    const exposed = res.headers.get('access-control-expose-headers')!.split(', ');
    expect(exposed).toEqual(
      expect.arrayContaining(['Location', 'X-Request-ID', 'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset', 'Retry-After']),
    );
  });

  it('answers a REST preflight with the methods and request headers the dialects read', async () => {
    const res = await preflight(`${open.url}/api/intents`, OTHER);
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(OTHER);
    expect(res.headers.get('access-control-allow-methods')).toMatch(/POST/);
    const allowed = res.headers.get('access-control-allow-headers')!.toLowerCase();
    for (const name of ['authorization', 'content-type', 'idempotency-key', 'last-event-id', 'prefer']) expect(allowed).toContain(name);
  });
});

describe('CORS with an allow-list', () => {
  it('names a listed origin back, on REST and GraphQL alike', async () => {
    const restRes = await fetch(`${listed.url}/api/me`, { headers: { origin: APP, authorization: `Bearer ${key}` } });
    expect(restRes.status).toBe(200);
    expect(restRes.headers.get('access-control-allow-origin')).toBe(APP);
    const gqlRes = await fetch(`${listed.url}/graphql`, {
      method: 'POST',
      headers: { origin: 'http://localhost:5173', 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(gqlRes.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
  });

  it('gives an unlisted origin no CORS header at all, preflight or not', async () => {
    const res = await fetch(`${listed.url}/api/me`, { headers: { origin: OTHER, authorization: `Bearer ${key}` } });
    expect([...res.headers.keys()].filter((h) => h.startsWith('access-control-'))).toEqual([]);
    expect(res.headers.get('vary')).toMatch(/Origin/);
    const pre = await preflight(`${listed.url}/api/intents`, OTHER);
    expect([...pre.headers.keys()].filter((h) => h.startsWith('access-control-'))).toEqual([]);
    // `null` is what sandboxed iframes and file: pages send: never admitted by a list.
    const sandboxed = await preflight(`${listed.url}/graphql`, 'null');
    expect(sandboxed.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('GAVEL_CORS_ORIGINS', () => {
  it('refuses anything but * or exact origins, naming the variable', () => {
    for (const bad of ['app.example.com', 'https://app.example.com/', 'https://app.example.com/path', '*, https://app.example.com']) {
      expect(() => loadConfig({ GAVEL_CORS_ORIGINS: bad })).toThrow(ConfigError);
      expect(() => loadConfig({ GAVEL_CORS_ORIGINS: bad })).toThrow(/GAVEL_CORS_ORIGINS/);
    }
    expect(loadConfig({}).corsOrigins).toBe('*');
    expect(loadConfig({ GAVEL_CORS_ORIGINS: 'https://a.example, http://localhost:3000' }).corsOrigins).toEqual(['https://a.example', 'http://localhost:3000']);
  });
});
