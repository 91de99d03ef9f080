import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/config.js';
import { startTestApp, useTestApp, type TestApp } from '../helpers/app.js';
import { gql, rest } from '../helpers/http.js';
import { scrape, seriesOf, total } from '../helpers/metrics.js';

const TOKEN = 'metrics-token-0123456789abcdef';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.stop());

describe('who may read /metrics', () => {
  it('in production, behind GAVEL_METRICS_TOKEN: 401 without it or with another, 200 with it', async () => {
    const prod = await useTestApp({ NODE_ENV: 'production', GAVEL_METRICS_TOKEN: TOKEN });
    const without = await fetch(`${prod.url}/metrics`);
    expect(without.status).toBe(401);
    expect(without.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await without.text()).not.toContain('gavel_');
    for (const authorization of [`Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(0, -1)}`, TOKEN, `Basic ${TOKEN}`, prod.rootKey]) {
      const wrong = await fetch(`${prod.url}/metrics`, {
        headers: { authorization: authorization.startsWith('gvl_') ? `Bearer ${authorization}` : authorization },
      });
      expect(wrong.status, authorization).toBe(401);
    }
    await gql(prod.url, '{ __typename }');
    const scraped = await scrape(prod.url, TOKEN);
    expect(total(scraped, 'gavel_http_requests_total', { route: 'graphql' })).toBeGreaterThan(0);
  });

  it('with GAVEL_METRICS_PORT, on that port only (its token too, when set), and never on the public port', async () => {
    const prod = await useTestApp({ NODE_ENV: 'production', GAVEL_METRICS_PORT: '0', GAVEL_METRICS_TOKEN: TOKEN });
    const metricsUrl = prod.app.metricsUrl()!;
    expect(new URL(metricsUrl).hostname).toBe('127.0.0.1');
    expect(new URL(metricsUrl).port).not.toBe(new URL(prod.url).port);
    await gql(prod.url, '{ __typename }');
    const scraped = await scrape(metricsUrl, TOKEN);
    expect(total(scraped, 'gavel_http_requests_total', { route: 'graphql' })).toBeGreaterThan(0);
    expect((await fetch(`${metricsUrl}/metrics`)).status).toBe(401);
    expect((await fetch(`${metricsUrl}/graphql?query=%7B__typename%7D`)).status).toBe(404);
    for (const authorization of [`Bearer ${TOKEN}`, '']) {
      const onPublic = await fetch(`${prod.url}/metrics`, { headers: { authorization } });
      expect(onPublic.status).toBe(404);
      expect(await onPublic.text()).not.toContain('gavel_');
    }
  });

  it('refuses a metrics port that is the public port', () => {
    expect(() => loadConfig({ PORT: '9100', GAVEL_METRICS_PORT: '9100' })).toThrow(ConfigError);
    expect(loadConfig({ PORT: '9100', GAVEL_METRICS_PORT: '9101' }).metrics).toEqual({ port: 9101, host: '127.0.0.1', token: undefined });
  });

  it('is open on the public port outside production, when neither is set', async () => {
    await gql(t.url, '{ __typename }');
    expect(total(await scrape(t.url), 'gavel_http_requests_total', { route: 'graphql' })).toBeGreaterThan(0);
  });
});

describe('GraphQL metrics', () => {
  it('count each operation by type and by the name of the document Gavel ships', async () => {
    const before = await scrape(t.url);
    await rest(t.url, 'GET', '/api/me', { key: t.rootKey });
    await gql(t.url, 'query RestMe { me { tenant } }', {}, t.rootKey);
    await gql(t.url, '{ __typename }');
    const after = await scrape(t.url);
    const moved = (labels: Record<string, string>) =>
      total(after, 'gavel_graphql_operations_total', labels) - total(before, 'gavel_graphql_operations_total', labels);
    expect(moved({ operationType: 'query', operationName: 'RestMe' })).toBe(2);
    expect(moved({ operationType: 'query', operationName: 'anonymous' })).toBe(1);
    expect(total(after, 'gavel_graphql_execute_seconds_count', { operationName: 'RestMe' })).toBeGreaterThanOrEqual(2);
    expect(total(after, 'gavel_graphql_context_seconds_count', { operationName: 'RestMe' })).toBeGreaterThanOrEqual(2);
  });

  it('count errors by phase: a parse error, and a key the context refuses', async () => {
    const before = await scrape(t.url);
    await gql(t.url, '{ me { tenant ');
    await gql(t.url, 'query RestMe { me { tenant } }', {}, 'gvl_live_not_a_key_at_all_0123456789');
    const after = await scrape(t.url);
    const moved = (labels: Record<string, string>) => total(after, 'gavel_graphql_errors_total', labels) - total(before, 'gavel_graphql_errors_total', labels);
    expect(moved({ phase: 'parse' })).toBe(1);
    expect(moved({ phase: 'context', operationName: 'RestMe' })).toBe(1);
  });

  it('label 1,000 operations of random names as `other`, so they add no series', async () => {
    const random = () => `Op${Math.random().toString(36).slice(2)}`;
    const run = (n: number) =>
      Promise.all(
        Array.from({ length: n }, (_, i) =>
          // Half valid, half failing validation: both the operation and the error counters see the names.
          gql(t.url, i % 2 ? `query ${random()} { __typename }` : `query ${random()} { nope }`),
        ),
      );
    await run(20); // creates what series there are to create
    const before = await scrape(t.url);
    await run(1_000);
    const after = await scrape(t.url);
    expect([...seriesOf(after, 'gavel_graphql_')].filter((s) => !seriesOf(before, 'gavel_graphql_').has(s))).toEqual([]);
    const other = { operationName: 'other' };
    expect(total(after, 'gavel_graphql_operations_total', other) - total(before, 'gavel_graphql_operations_total', other)).toBe(500);
    expect(
      total(after, 'gavel_graphql_errors_total', { ...other, phase: 'validate' }) -
        total(before, 'gavel_graphql_errors_total', { ...other, phase: 'validate' }),
    ).toBe(500);
    // No label anywhere carries a client's name.
    expect(after.filter((s) => Object.values(s.labels).some((v) => v.startsWith('Op')))).toEqual([]);
  });
});
