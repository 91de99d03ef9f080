import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobIdFor, jobIdSql } from '../../src/jobs/job-queue.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
let client: pg.Client;
beforeAll(async () => {
  t = await startTestApp();
  client = new pg.Client({ connectionString: t.app.services.db.connectionString });
  await client.connect();
});
afterAll(async () => {
  await client?.end();
  await t?.stop();
});

describe('deterministic job ids', () => {
  it('are the same whether made in JavaScript or, for a row being inserted, in SQL', async () => {
    for (const [kind, id] of [[1, 1], [1, 12847], [2, 2 ** 31 - 1], [15, 0xabcdef]] as const) {
      const { rows } = await client.query(`select ${jobIdSql(kind, '$1::int')}::text as id`, [id]);
      expect(rows[0].id).toBe(jobIdFor(kind, id));
    }
  });
});
