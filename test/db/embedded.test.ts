import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { InProcessSocket } from '../../src/db/pglite/in-process-socket.js';
import { openEmbeddedDatabase, type EmbeddedDatabase } from '../../src/db/pglite/open.js';

const open: EmbeddedDatabase[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const db of open.splice(0).reverse()) await db.close();
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function fresh(): Promise<{ db: EmbeddedDatabase; dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'gavel-embedded-'));
  dirs.push(dir);
  const db = await openEmbeddedDatabase({ dataDir: dir });
  open.push(db);
  return { db, dir };
}

/** The two ways in: the socket (other processes, the CLI) and the in-process transport (the owner's own clients). */
const transports: Record<string, (db: EmbeddedDatabase) => pg.ClientConfig> = {
  socket: (db) => ({ connectionString: db.connectionString }),
  'in-process': (db) => ({ connectionString: db.connectionString, stream: db.connectInProcess! }),
};

describe.each(Object.keys(transports))('embedded database (PGlite served over the wire protocol, %s)', (transport) => {
  const config = (db: EmbeddedDatabase) => transports[transport]!(db);
  /** A pool of `max` clients on a fresh database, ended after `work`. */
  const withPool = async (max: number, work: (pool: pg.Pool) => Promise<void>) => {
    const { db } = await fresh();
    const pool = new pg.Pool({ ...config(db), max });
    try {
      await work(pool);
    } finally {
      await pool.end();
    }
  };

  it('never interleaves concurrent transactions: 200 concurrent writers, every row right', async () => {
    await withPool(20, async (pool) => {
      await pool.query('create table t (id serial primary key, n int not null, v text not null)');
      await Promise.all(
        Array.from({ length: 200 }, async (_, i) => {
          const c = await pool.connect();
          try {
            await c.query('begin');
            const { rows } = await c.query('insert into t (n, v) values ($1, $2) returning id', [i, `v${i}`]);
            const back = await c.query('select n, v from t where id = $1', [rows[0].id]);
            expect(back.rows[0]).toEqual({ n: i, v: `v${i}` });
            await c.query('update t set v = $1 where id = $2', [`done${i}`, rows[0].id]);
            await c.query('commit');
          } finally {
            c.release();
          }
        }),
      );
      const { rows } = await pool.query('select n, v from t order by n');
      expect(rows).toHaveLength(200);
      rows.forEach((r, i) => expect(r).toEqual({ n: i, v: `done${i}` }));
    });
  });

  it('keeps parameterised (extended protocol) queries of different shapes apart', async () => {
    await withPool(16, async (pool) => {
      const results = await Promise.all(
        Array.from({ length: 300 }, (_, i) =>
          i % 3 === 0
            ? pool.query('select $1::int * 2 as x', [i]).then((r) => r.rows[0].x === i * 2)
            : i % 3 === 1
              ? pool.query("select $1::text || '-' || $2::text as x", [`a${i}`, `b${i}`]).then((r) => r.rows[0].x === `a${i}-b${i}`)
              : pool.query('select $1::jsonb ->> $2 as x', [JSON.stringify({ k: i }), 'k']).then((r) => r.rows[0].x === String(i)),
        ),
      );
      expect(results.every(Boolean)).toBe(true);
    });
  });

  it('rolls back and releases the session when a client dies mid-transaction', async () => {
    const { db } = await fresh();
    const setup = new pg.Client({ connectionString: db.connectionString });
    await setup.connect();
    await setup.query('create table t (v text)');
    await setup.end();
    const dying = new pg.Client(config(db));
    dying.on('error', () => {});
    await dying.connect();
    await dying.query('begin');
    await dying.query("insert into t values ('lost')");
    // The other client waits for the session (even to connect) while the first holds it.
    const other = new pg.Client(config(db));
    const waiting = other.connect().then(() => other.query('select count(*)::int as n from t'));
    await new Promise((r) => setTimeout(r, 50));
    (dying as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    expect((await waiting).rows[0].n).toBe(0);
    await other.end();
  });

  it('delivers large replies intact to concurrent clients (replies are held and sent in one write)', async () => {
    await withPool(4, async (pool) => {
      // Each reply is hundreds of KB in many pieces, and the pieces are views into PGlite's
      // memory that its next reply overwrites: a held write must keep a copy.
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          pool.query<{ n: number; v: string }>('select g as n, repeat(md5((g + $1::int)::text), 8) as v from generate_series(1, 2000) g', [i]),
        ),
      );
      for (const [i, { rows }] of results.entries()) {
        expect(rows).toHaveLength(2000);
        for (const row of [rows[0]!, rows[999]!, rows[1999]!])
          expect(row.v).toBe(
            createHash('md5')
              .update(String(row.n + i))
              .digest('hex')
              .repeat(8),
          );
      }
    });
  });

  it("keeps each client's prepared statements its own, and drops them when it goes", async () => {
    const { db } = await fresh();
    const a = new pg.Client(config(db));
    const b = new pg.Client(config(db));
    await a.connect();
    await b.connect();
    // Both prepare a statement of the same name in PGlite's one session.
    expect((await a.query({ name: 'same', text: "select 'a'::text as who, $1::int as n", values: [1] })).rows).toEqual([{ who: 'a', n: 1 }]);
    expect((await b.query({ name: 'same', text: "select 'b'::text as who, $1::int * 10 as n", values: [2] })).rows).toEqual([{ who: 'b', n: 20 }]);
    expect((await a.query({ name: 'same', text: "select 'a'::text as who, $1::int as n", values: [3] })).rows).toEqual([{ who: 'a', n: 3 }]);
    const prepared = async () => (await b.query<{ n: number }>('select count(*)::int as n from pg_prepared_statements')).rows[0]!.n;
    expect(await prepared()).toBe(2);
    await a.end();
    await expect.poll(prepared).toBe(1);
    expect((await b.query({ name: 'same', text: "select 'b'::text as who, $1::int * 10 as n", values: [4] })).rows).toEqual([{ who: 'b', n: 40 }]);
    await b.end();
  });
});

describe('embedded database files', () => {
  it('persists across close and reopen, and lends itself to a second process while open', async () => {
    const { db, dir } = await fresh();
    const c = new pg.Client({ connectionString: db.connectionString });
    await c.connect();
    await c.query("create table kept (v text); insert into kept values ('still here')");
    await c.end();

    // While it is open, another opener borrows it over its socket instead of opening the files.
    const second = await openEmbeddedDatabase({ dataDir: dir });
    expect(second.owned).toBe(false);
    const b = new pg.Client({ connectionString: second.connectionString });
    await b.connect();
    expect((await b.query('select v from kept')).rows).toEqual([{ v: 'still here' }]);
    await b.end();
    await second.close();

    await db.close();
    open.splice(open.indexOf(db), 1);
    const reopened = await openEmbeddedDatabase({ dataDir: dir });
    open.push(reopened);
    const r = new pg.Client({ connectionString: reopened.connectionString });
    await r.connect();
    expect((await r.query('select v from kept')).rows).toEqual([{ v: 'still here' }]);
    await r.end();
  });
});

describe('the gateway on the embedded database', () => {
  it('runs every component (ORM and job engine) on PGlite, not on some server', async () => {
    if (process.env.TEST_DATABASE_URL) return; // this suite run targets a real server on purpose
    const { startTestApp } = await import('../helpers/app.js');
    const t = await startTestApp();
    try {
      const [orm] = await t.app.db.orm.em.getConnection().execute<Array<{ version: string }>>('select version()');
      expect(orm?.version).toContain('PGlite');
      const client = new pg.Client({ connectionString: t.app.db.connectionString });
      await client.connect();
      expect((await client.query('select version()')).rows[0].version).toContain('PGlite');
      expect((await client.query("select count(*)::int as n from pgboss.queue where name = 'auction'")).rows[0].n).toBe(1);
      await client.end();
      // The gateway's own clients stay inside the process; the socket is for other processes.
      const own = await t.app.db.pool.connect();
      expect((own as unknown as { connection: { stream: unknown } }).connection.stream).toBeInstanceOf(InProcessSocket);
      own.release();
      const knex = t.app.db.orm.em.getConnection().getKnex() as unknown as { client: { config: { connection: { stream?: unknown } } } };
      expect(knex.client.config.connection.stream).toBe(t.app.db.clientConfig.stream);
    } finally {
      await t.stop();
    }
  });
});
