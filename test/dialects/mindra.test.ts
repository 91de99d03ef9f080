import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { readSse } from '../../src/lib/sse.js';
import { eventually, intentKey, rest } from '../helpers/http.js';

/** Mindra's `/v1` against a listening Gavel, as a client written from Mindra's reference calls it. */
describe('Mindra dialect /v1', () => {
  let t: TestApp;
  let key: string;
  beforeAll(async () => {
    t = await startTestApp();
    key = await intentKey(t, 'mindra-co', 'pro', { sandbox: true });
  });
  afterAll(() => t?.stop());

  const err = (code: string) => expect.objectContaining({ error: code, message: expect.any(String), requestId: expect.any(String) });
  /** A Gavel refusal Mindra has no code for: its INVALID_REQUEST, with Gavel's code as the reason. */
  const refused = (reason: string) =>
    expect.objectContaining({ error: 'INVALID_REQUEST', details: expect.stringContaining(`reason: ${reason}`) as string, requestId: expect.any(String) });

  // request → status and body, from the reference's error table and list rules.
  const table: Array<[string, string, unknown, number, unknown]> = [
    ['GET', '/v1/nothing', undefined, 404, err('NOT_FOUND')],
    ['DELETE', '/v1/orchestrate', undefined, 405, err('METHOD_NOT_ALLOWED')],
    ['POST', '/v1/orchestrate', { context: {} }, 400, expect.objectContaining({ error: 'INVALID_REQUEST', details: expect.stringContaining('query') })],
    ['POST', '/v1/orchestrate', { query: 'x', context: 'no' }, 400, err('INVALID_REQUEST')],
    ['GET', '/v1/executions?sort=name', undefined, 400, expect.objectContaining({ error: 'INVALID_REQUEST', details: expect.stringContaining('sort') })],
    ['GET', '/v1/executions?startDate=yesterday', undefined, 400, err('INVALID_REQUEST')],
    ['GET', '/v1/executions?endDate=2025-02-30', undefined, 400, err('INVALID_REQUEST')],
    ['GET', '/v1/executions?endDate=2025-11-10T25:00:00Z', undefined, 400, err('INVALID_REQUEST')],
    ['GET', '/v1/executions?limit=101', undefined, 400, err('INVALID_REQUEST')],
    ['GET', '/v1/executions?status=DONE', undefined, 400, err('INVALID_REQUEST')],
    ['GET', '/v1/executions/999999', undefined, 404, err('NOT_FOUND')],
    ['GET', '/v1/executions/abc', undefined, 400, err('INVALID_REQUEST')],
  ];
  it.each(table)('%s %s → %s', async (method, path, body, status, expected) => {
    const res = await rest(t.url, method, path, { key, body });
    expect(res.status).toBe(status);
    expect(res.body).toEqual(expected);
  });

  it('answers 401 in its own body without a key, and echoes X-Request-ID', async () => {
    const res = await rest(t.url, 'GET', '/v1/executions', { headers: { 'x-request-id': 'req_mine_1' } });
    expect(res.status).toBe(401);
    expect(res.body).toEqual(expect.objectContaining({ error: 'UNAUTHORIZED', requestId: 'req_mine_1' }));
    expect(res.headers.get('x-request-id')).toBe('req_mine_1');
  });

  it('orchestrates, polls to COMPLETED, keeps context, and a repeated idempotency key creates nothing', async () => {
    const headers = { 'x-idempotency-key': 'convert-1', 'x-request-id': 'req_conv' };
    const body = { query: 'Convert 5 km to miles', context: { user: 'u1' } };
    const first = await rest(t.url, 'POST', '/v1/orchestrate', { key, body, headers });
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ executionId: expect.any(String), status: expect.stringMatching(/^(PENDING|RUNNING|COMPLETED)$/) });
    expect(first.headers.get('x-ratelimit-limit')).toMatch(/^\d+$/);
    expect(first.headers.get('x-ratelimit-remaining')).toMatch(/^\d+$/);
    const id = first.body.executionId;
    const done = await eventually(
      () => rest(t.url, 'GET', `/v1/executions/${id}`, { key }),
      (r) => r.body.status === 'COMPLETED' || r.body.status === 'FAILED',
    );
    expect(done.body).toMatchObject({ executionId: id, status: 'COMPLETED', context: { user: 'u1' }, query: body.query, agent: { name: expect.any(String) } });
    expect(done.body.result).toMatch(/3\.1/);
    const again = await rest(t.url, 'POST', '/v1/orchestrate', { key, body, headers: { 'idempotency-key': 'convert-1' } });
    expect(again.status).toBe(202);
    expect(again.body.executionId).toBe(id);
    // The same key with another body: Mindra documents no 422, so its 400, saying why.
    const reused = await rest(t.url, 'POST', '/v1/orchestrate', {
      key,
      body: { query: 'Convert 6 km to miles' },
      headers: { 'x-idempotency-key': 'convert-1' },
    });
    expect(reused).toMatchObject({ status: 400, body: refused('IDEMPOTENCY_KEY_REUSED') });
  });

  it('GET /v1/executions/:id/stream streams the events as SSE, resumes after Last-Event-ID, and is 204 past the end', async () => {
    const started = await rest(t.url, 'POST', '/v1/orchestrate', { key, body: { query: 'What is 17% of 2,340?' } });
    const path = `${t.url}/v1/executions/${started.body.executionId}/stream`;
    const read = async (headers: Record<string, string> = {}) => {
      const res = await fetch(path, { headers: { authorization: `Bearer ${key}`, ...headers } });
      const events: Array<{ id?: string; event?: string; data: any }> = [];
      if (res.status === 200) for await (const e of readSse(res.body!)) events.push({ id: e.id, event: e.event, data: JSON.parse(e.data) });
      return { res, events };
    };
    const whole = await read();
    expect(whole.res.headers.get('content-type')).toContain('text/event-stream');
    expect(whole.events.map((e) => Number(e.id))).toEqual(whole.events.map((_, i) => i + 1));
    expect(whole.events[0]!.event).toBe('created');
    expect(whole.events.filter((e) => e.event === 'bid').length).toBeGreaterThan(0);
    expect(whole.events.at(-1)).toMatchObject({ event: 'completed', data: { result: expect.stringContaining('397.8') } });
    const n = whole.events.length;
    const rest2 = await read({ 'last-event-id': String(n - 2) });
    expect(rest2.events.map((e) => Number(e.id))).toEqual([n - 1, n]);
    expect((await read({ 'last-event-id': String(n) })).res.status).toBe(204);
    // Another tenant's execution is a plain 404, in Mindra's body.
    const other = await intentKey(t, 'mindra-stream-other', 'pro');
    const theirs = await rest(t.url, 'GET', `/v1/executions/${started.body.executionId}/stream`, { key: other });
    expect(theirs).toMatchObject({ status: 404, body: err('NOT_FOUND') });
  });

  it('lists sorted by -createdAt on 1-item pages, filters by status, and cancels', async () => {
    const other = await intentKey(t, 'mindra-list', 'pro', { sandbox: true });
    const ids: string[] = [];
    for (const q of ['Convert 1 km to miles', 'Convert 2 km to miles', 'Convert 3 km to miles']) {
      ids.push((await rest(t.url, 'POST', '/v1/orchestrate', { key: other, body: { query: q } })).body.executionId);
    }
    const page2 = await rest(t.url, 'GET', '/v1/executions?sort=-createdAt&page=2&limit=1', { key: other });
    expect(page2.status).toBe(200);
    expect(page2.body.pagination).toEqual({ page: 2, limit: 1, total: 3, pages: 3, hasNext: true, hasPrev: true });
    expect(page2.body.data.map((e: { executionId: string }) => e.executionId)).toEqual([ids[1]]);
    const asc = await rest(t.url, 'GET', '/v1/executions?sort=createdAt&limit=100', { key: other });
    expect(asc.body.data.map((e: { executionId: string }) => e.executionId)).toEqual(ids);
    const future = await rest(t.url, 'GET', '/v1/executions?startDate=2999-01-01', { key: other });
    expect(future.body.pagination.total).toBe(0);
    // A bare date is its whole day (UTC), from its first instant to its last.
    const days = asc.body.data.map((e: { createdAt: string }) => e.createdAt.slice(0, 10));
    const day = await rest(t.url, 'GET', `/v1/executions?startDate=${days[0]}&endDate=${days[0]}&limit=100`, { key: other });
    expect(day.body.pagination.total).toBe(days.filter((d: string) => d === days[0]).length);
    const dayBefore = new Date(Date.parse(days[0]) - 86_400_000).toISOString().slice(0, 10);
    expect((await rest(t.url, 'GET', `/v1/executions?endDate=${dayBefore}`, { key: other })).body.pagination.total).toBe(0);
    const cancel = await rest(t.url, 'POST', `/v1/executions/${ids[2]}/cancel`, { key: other });
    // Cancelled while running, or already finished (a sandbox answer is quick): Mindra has no 409,
    // so that is its 400 INVALID_REQUEST, with Gavel's reason in the details.
    if (cancel.status === 200) expect(cancel.body.status).toBe('CANCELLED');
    else expect(cancel).toMatchObject({ status: 400, body: refused('CONFLICT') });
    await eventually(
      () => rest(t.url, 'GET', `/v1/executions/${ids[0]}`, { key: other }),
      (r) => r.body.status === 'COMPLETED',
    );
    const finished = await rest(t.url, 'POST', `/v1/executions/${ids[0]}/cancel`, { key: other });
    expect(finished).toMatchObject({ status: 400, body: refused('CONFLICT') });
    await eventually(
      () => rest(t.url, 'GET', '/v1/executions?status=completed&limit=100', { key: other }),
      (r) => r.body.pagination.total >= 2,
    );
  });
});
