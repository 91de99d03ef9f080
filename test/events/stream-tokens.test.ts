import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { readSse } from '../../src/lib/sse.js';
import { readStreamToken, signStreamToken } from '../../src/modules/keys/stream-token.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { createKey, gql, intentKey, rest } from '../helpers/http.js';

let t: TestApp;
let key: string;
let other: string;
beforeAll(async () => {
  // Tokens of a few seconds, so that expiry can be seen.
  t = await startTestApp({ GAVEL_STREAM_TOKEN_TTL_S: '3' });
  key = await intentKey(t, 'token-co', 'pro');
  other = await intentKey(t, 'token-other', 'pro');
});
afterAll(() => t?.stop());

const completed = async (k: string, text = 'What is 2 + 2?') => (await rest(t.url, 'POST', '/api/intents', { key: k, body: { text } })).body.id as number;
const mint = (k: string, id: number) => rest(t.url, 'POST', `/api/intents/${id}/stream-token`, { key: k });
const errorCode = (res: { body: { error: { code: string } } }) => res.body.error.code;

describe('stream tokens', () => {
  it('are minted over REST and open the stream with no Authorization header, through to the end', async () => {
    const id = await completed(key);
    const minted = await mint(key, id);
    expect(minted.status).toBe(201);
    expect(minted.body.token).toMatch(/^gst_/);
    expect(minted.body.events_url).toBe(`/api/intents/${id}/events?stream_token=${encodeURIComponent(minted.body.token)}`);
    const res = await fetch(`${t.url}${minted.body.events_url}`);
    expect(res.status).toBe(200);
    const types: string[] = [];
    for await (const e of readSse(res.body!)) types.push(e.event!);
    expect(types[0]).toBe('created');
    expect(types.at(-1)).toBe('completed');
  });

  it('are minted over GraphQL with createStreamToken', async () => {
    const id = await completed(key);
    const res = await gql(t.url, 'mutation($id: ID!) { createStreamToken(intentId: $id) { token intentId expiresAt } }', { id: String(id) }, key);
    const token = res.body.data.createStreamToken;
    expect(token).toMatchObject({ intentId: String(id), token: expect.stringMatching(/^gst_/) });
    expect(new Date(token.expiresAt).getTime()).toBeGreaterThan(Date.now() - 1_000);
    const events = await rest(t.url, 'GET', `/api/intents/${id}/events?stream_token=${token.token}&after=1000`);
    expect(events.status).toBe(204);
  });

  it("are not minted for another tenant's intent: 404", async () => {
    const theirs = await completed(other);
    const res = await mint(key, theirs);
    expect(res.status).toBe(404);
    expect(errorCode(res)).toBe('not_found');
    const viaGraphql = await gql(t.url, 'mutation($id: ID!) { createStreamToken(intentId: $id) { token } }', { id: String(theirs) }, key);
    expect(viaGraphql.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});

describe('stream token refusals', () => {
  it('refuses a forged or altered token with 401', async () => {
    const id = await completed(key);
    const { token } = (await mint(key, id)).body;
    const altered = token.slice(0, -2) + (token.endsWith('AA') ? 'BB' : 'AA');
    for (const bad of [altered, 'gst_bm90LmEudG9rZW4.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'nonsense']) {
      const res = await rest(t.url, 'GET', `/api/intents/${id}/events?stream_token=${encodeURIComponent(bad)}`);
      expect(res.status).toBe(401);
      expect(res.body.error).toMatchObject({ code: 'unauthorized', message: 'The stream token is not valid' });
    }
  });

  it('refuses an expired token with 401, naming the expiry', async () => {
    const id = await completed(key);
    const minted = (await mint(key, id)).body;
    // Wait until the token's own expiry has passed (the app's tokens live three seconds).
    while (Date.now() <= new Date(minted.expires_at).getTime()) await new Promise((r) => setTimeout(r, 100));
    const res = await rest(t.url, 'GET', `/api/intents/${id}/events?stream_token=${minted.token}`);
    expect(res.status).toBe(401);
    expect(res.body.error.message).toMatch(/expired/);
  });

  it("refuses a token on another intent's stream with 403, even the same tenant's", async () => {
    const [a, b] = [await completed(key), await completed(key)];
    const { token } = (await mint(key, a)).body;
    const res = await rest(t.url, 'GET', `/api/intents/${b}/events?stream_token=${token}`);
    expect(res.status).toBe(403);
    expect(errorCode(res)).toBe('forbidden');
  });

  it('refuses a token anywhere but an event stream, even with a key', async () => {
    const id = await completed(key);
    const { token } = (await mint(key, id)).body;
    for (const path of [`/api/intents/${id}?stream_token=${token}`, `/api/intents/${id}/stream-token?stream_token=${token}`]) {
      const res = await rest(t.url, path.includes('stream-token?') ? 'POST' : 'GET', path);
      expect(res.status).toBe(401);
      expect(res.body.error.message).toMatch(/opens only the event stream/);
    }
    const withKey = await rest(t.url, 'GET', `/api/me?stream_token=${token}`, { key });
    expect(withKey.status).toBe(401);
    const graphql = await fetch(`${t.url}/graphql?stream_token=${token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ me { tenant } }' }),
    });
    expect(graphql.status).toBe(401);
    expect((await graphql.json()).errors[0].extensions.code).toBe('UNAUTHORIZED');
    // GraphQL over SSE with EventSource's GET: no stream token there either.
    const subscription = `subscription { intentEvents(intentId: "${id}") { ... on Event { seq } } }`;
    const sse = await fetch(`${t.url}/graphql?query=${encodeURIComponent(subscription)}&stream_token=${token}`, { headers: { accept: 'text/event-stream' } });
    expect(sse.status).toBe(401);
  });

  it('refuses a token together with an Authorization header: one credential per request', async () => {
    const id = await completed(key);
    const { token } = (await mint(key, id)).body;
    const res = await rest(t.url, 'GET', `/api/intents/${id}/events?stream_token=${token}`, { key });
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe('stream_token');
  });

  it('refuses an API key put in a URL, never using it', async () => {
    const id = await completed(key);
    // A fresh key: what its rate counter says before and after shows whether a refused request used it.
    const watched = await intentKey(t, 'token-watched', 'pro');
    const remaining = async () => Number((await rest(t.url, 'GET', '/api/me', { key: watched })).headers.get('x-ratelimit-remaining'));
    const before = await remaining();
    const paths = [
      `/api/intents/${id}/events?stream_token=${watched}`,
      `/api/me?api_key=${watched}`,
      `/api/intents/${id}?access_token=whatever`,
      `/api/intents/${watched}`, // a path segment shaped like a key
      // Routes that take no key at all refuse one too, rather than answer as if nothing were wrong.
      `/health?api_key=${watched}`,
      `/ready?key=${watched}`,
      `/metrics?token=${watched}`,
      `/api/openapi.json?apikey=${watched}`,
      `/files/f_1/report.txt?expires=1&sig=x&api_key=${watched}`,
    ];
    for (const path of paths) {
      const res = await rest(t.url, 'GET', path);
      expect(res.status, path).toBe(401);
      expect(res.headers.get('www-authenticate'), path).toBe('Bearer');
      expect(res.body.error.message, path).toMatch(/never accepted in a URL/);
    }
    const graphql = await fetch(`${t.url}/graphql?query=${encodeURIComponent('{ me { tenant } }')}&key=${watched}`);
    expect(graphql.status).toBe(401);
    expect((await graphql.json()).errors[0].extensions.code).toBe('UNAUTHORIZED');
    // graphql-ws: the upgrade itself is refused.
    const upgrade = await new Promise<number>((resolve, reject) => {
      const socket = new WebSocket(`${t.url.replace(/^http/, 'ws')}/graphql?api_key=${watched}`, 'graphql-transport-ws');
      socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      socket.on('open', () => reject(new Error('the upgrade was accepted')));
      socket.on('error', () => {});
    });
    expect(upgrade).toBe(401);
    // Only the two reads of the counter counted (a new minute may even have refilled it).
    expect(await remaining()).toBeGreaterThanOrEqual(before - 1);
  });

  it("dies with its key: a revoked key's tokens are refused", async () => {
    const doomed = await createKey(t.url, t.rootKey, { tenant: 'token-revoked', tier: 'enterprise', scopes: ['full_access'] });
    const id = await completed(doomed.key);
    const { token } = (await mint(doomed.key, id)).body;
    await gql(t.url, 'mutation($id: ID!) { revokeApiKey(id: $id) { id } }', { id: doomed.id }, doomed.key);
    const res = await rest(t.url, 'GET', `/api/intents/${id}/events?stream_token=${token}`);
    expect(res.status).toBe(401);
    expect(res.body.error.message).toMatch(/revoked/);
  });
});

describe('stream token format', () => {
  const claims = { keyId: '0b0e4c1e-8f4e-4d3c-9a65-1c2d3e4f5a6b', intentId: '42', expires: 2_000_000_000 };
  it('reads back what it signed, and nothing signed with another secret', () => {
    const token = signStreamToken('secret-one-0123456789', claims);
    expect(readStreamToken('secret-one-0123456789', token, 0)).toEqual(claims);
    expect(readStreamToken('secret-two-0123456789', token, 0)).toBe('forged');
    expect(readStreamToken('secret-one-0123456789', token, claims.expires * 1000)).toBe('expired');
  });
});
