import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { intentKey, rest, rosterSize } from '../helpers/http.js';

/** Mindra's `/v1/agents`: the roster by vertical, paginated; registration and update for operator keys. */
describe('Mindra agents /v1/agents', () => {
  let t: TestApp;
  let key: string;
  beforeAll(async () => {
    t = await startTestApp();
    key = await intentKey(t, 'mindra-agents', 'pro');
  });
  afterAll(() => t?.stop());

  it('lists the roster paginated, filters by vertical, and reads one agent by id or slug', async () => {
    const total = await rosterSize(t.url);
    const page = await rest(t.url, 'GET', '/v1/agents?limit=5&page=2', { key });
    expect(page.status).toBe(200);
    expect(page.body.pagination).toEqual({ page: 2, limit: 5, total, pages: Math.ceil(total / 5), hasNext: true, hasPrev: true });
    expect(page.body.data).toHaveLength(5);
    const utilities = await rest(t.url, 'GET', '/v1/agents?vertical=utilities&limit=100', { key });
    expect(utilities.body.data.length).toBeGreaterThan(0);
    expect(utilities.body.data.every((a: { vertical: string }) => a.vertical === 'utilities')).toBe(true);
    const first = utilities.body.data[0] as { id: string; slug: string };
    expect((await rest(t.url, 'GET', `/v1/agents/${first.id}`, { key })).body).toMatchObject({
      id: first.id,
      slug: first.slug,
      pricing: { model: 'per_token' },
    });
    expect((await rest(t.url, 'GET', `/v1/agents/${first.slug}`, { key })).body.id).toBe(first.id);
    expect(await rest(t.url, 'GET', '/v1/agents/no-such-agent', { key })).toMatchObject({ status: 404, body: { error: 'NOT_FOUND' } });
    expect(await rest(t.url, 'GET', '/v1/agents')).toMatchObject({ status: 401, body: { error: 'UNAUTHORIZED' } });
  });

  it('registers and updates an agent with per-token pricing (operator keys only)', async () => {
    const body = {
      slug: 'mindra-copywriter',
      type: 'llm',
      name: 'Copywriter',
      description: 'Writes marketing copy',
      vertical: 'marketing',
      capabilities: ['copywriting', 'email campaigns'],
      version: '1.0.0',
      systemPrompt: 'You write marketing copy.',
      pricing: { model: 'per_token', basePrice: 2.5 },
    };
    expect(await rest(t.url, 'POST', '/v1/agents', { key, body })).toMatchObject({ status: 403, body: { error: 'FORBIDDEN' } });
    const created = await rest(t.url, 'POST', '/v1/agents', { key: t.rootKey, body });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      slug: 'mindra-copywriter',
      vertical: 'marketing',
      capabilities: ['copywriting', 'email campaigns'],
      type: 'llm',
      pricing: { model: 'per_token', basePrice: 2.5, inputPerMTok: 2.5, outputPerMTok: 2.5 },
      signingSecret: null,
    });
    const id = created.body.id as string;
    const updated = await rest(t.url, 'PATCH', `/v1/agents/${id}`, {
      key: t.rootKey,
      body: { pricing: { inputPerMTok: 1, outputPerMTok: 4 }, status: 'inactive' },
    });
    expect(updated).toMatchObject({ status: 200, body: { status: 'inactive', pricing: { inputPerMTok: 1, outputPerMTok: 4, basePrice: 4 } } });
    expect(await rest(t.url, 'PATCH', `/v1/agents/${id}`, { key, body: { name: 'x' } })).toMatchObject({ status: 403 });
  });

  it('refuses what it cannot honour: other pricing models, per-agent config, bad bodies', async () => {
    const base = {
      slug: 'mindra-bad',
      type: 'llm',
      name: 'Bad',
      description: 'x',
      vertical: 'marketing',
      capabilities: ['x'],
      version: '1',
      systemPrompt: 'x',
    };
    const cases: unknown[] = [
      { ...base, pricing: { model: 'per_request', basePrice: 0.01 } },
      { ...base, pricing: { basePrice: 1 }, config: { timeout: 30, retries: 3 } },
      { ...base },
      { ...base, type: 'tool', pricing: { basePrice: 1 } },
      { ...base, capabilities: 'x', pricing: { basePrice: 1 } },
    ];
    for (const body of cases) {
      const res = await rest(t.url, 'POST', '/v1/agents', { key: t.rootKey, body });
      expect({ status: res.status, error: res.body.error }, JSON.stringify(body)).toEqual({ status: 400, error: 'INVALID_REQUEST' });
    }
  });
});
