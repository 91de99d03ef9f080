import { serverAudits } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.stop());

describe('GraphQL over HTTP conformance (graphql-http serverAudits)', () => {
  for (const audit of serverAudits({ url: () => `${t.url}/graphql`, fetchFn: fetch })) {
    const must = audit.name.startsWith('MUST');
    it(audit.name, async () => {
      const result = await audit.fn();
      if (must) expect(result.status, 'reason' in result ? result.reason : '').toBe('ok');
      else expect(['ok', 'warn', 'notice']).toContain(result.status);
    });
  }
});
