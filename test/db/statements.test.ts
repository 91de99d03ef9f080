import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { binaryArray } from '../../src/db/binary-array.js';
import { openDatabase, type Database } from '../../src/db/orm.js';
import { queryPrepared } from '../../src/db/prepared.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

let target: TestDatabase;
let db: Database;
beforeAll(async () => {
  target = await createTestDatabase();
  db = await openDatabase(loadConfig({ ...target.env, LOG_LEVEL: 'silent' }));
});
afterAll(async () => {
  await db?.close();
  await target?.drop();
});

describe('binary array parameters', () => {
  it('carry every value exactly, nulls included, into unnest', async () => {
    const floats = [0, -0, 0.1 + 0.2, 1 / 3, Number.MAX_VALUE, Number.MIN_VALUE, -1e-300, 397.8, null];
    const ints = [0, 1, -1, 2_147_483_647, -2_147_483_648, null];
    const texts = ['', 'plain', 'émoji 🦊 and ünïcode', 'quote \' and "double" and {braces},\\', null];
    const uuids = ['00000000-0000-0000-0000-000000000000', 'f47ac10b-58cc-4372-a567-0e02b2c3d479', null];
    const bools = [true, false, null];
    const q = async (type: string, values: unknown[]) =>
      (await db.pool.query(`select v from unnest($1::${type}[]) with ordinality as u(v, i) order by i`, [binaryArray(type as never, values)])).rows.map(
        (r) => r.v,
      );
    expect(await q('float8', floats)).toEqual(floats);
    expect(Object.is((await q('float8', [-0]))[0], -0)).toBe(true);
    expect(await q('int4', ints)).toEqual(ints);
    expect(await q('text', texts)).toEqual(texts);
    expect(await q('uuid', uuids)).toEqual(uuids);
    expect(await q('bool', bools)).toEqual(bools);
    expect(await q('float8', [])).toEqual([]);
  });

  it('store text with NUL characters without them (PostgreSQL text cannot hold NUL)', async () => {
    const { rows } = await db.pool.query('select unnest($1::text[]) as v', [binaryArray('text', ['a\0b', '\0'])]);
    expect(rows.map((r) => r.v)).toEqual(['ab', '']);
  });
});

describe('prepared statements', () => {
  it('are prepared once per connection and answer like plain queries', async () => {
    const text = 'select $1::int + $2::int as sum';
    for (let i = 0; i < 5; i++) expect((await queryPrepared(db.pool, text, [i, 10])).rows).toEqual([{ sum: i + 10 }]);
    const { rows } = await db.pool.query<{ n: number }>(`select count(*)::int as n from pg_prepared_statements where statement = $1`, [text]);
    // The one pooled connection that ran it (sequential queries reuse it) holds it once.
    expect(rows[0]!.n).toBe(1);
  });

  it('are prepared again when a migration changed the result type under them', async () => {
    await db.pool.query('create table migrating (id int primary key)');
    await db.pool.query('insert into migrating values (1)');
    const text = 'select * from migrating where id = $1';
    expect((await queryPrepared(db.pool, text, [1])).rows).toEqual([{ id: 1 }]);
    // Another instance's migration adds a column: the cached plan's row type is stale.
    await db.pool.query("alter table migrating add column note text not null default 'new'");
    expect((await queryPrepared(db.pool, text, [1])).rows).toEqual([{ id: 1, note: 'new' }]);
  });
});
