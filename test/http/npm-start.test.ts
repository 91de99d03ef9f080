import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.js';
import { gql } from '../helpers/http.js';
import { spawnGateway } from '../helpers/process.js';

const childrenOf = (pid: number) => readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);

describe.skipIf(!existsSync('/proc/self/task'))('npm start under a supervisor', () => {
  it("runs the compiled server as npm's one child, which gets the signals: SIGTERM to npm stops it cleanly", async () => {
    const db = await createTestDatabase();
    try {
      // `prestart` brings dist/ up to date first (a no-op when nothing changed).
      // As an operator runs it: no NODE_ENV at all, which is production.
      const g = await spawnGateway({ ...db.env, NODE_ENV: '' }, 240_000, ['npm', 'start']);
      const npm = g.child.pid!;
      const children = childrenOf(npm);
      expect(children).toHaveLength(1);
      const server = children[0]!;
      const command = readFileSync(`/proc/${server}/cmdline`, 'utf8').split('\0');
      expect(command).toContain('dist/src/main.js');
      expect(command.join(' ')).not.toMatch(/tsx|\bsh\b/);
      expect((await gql(g.url, '{ __typename }')).body.data).toEqual({ __typename: 'Query' });
      const page = await fetch(`${g.url}/graphql`, { headers: { accept: 'text/html' } });
      expect(await page.text()).not.toMatch(/graphiql/i);
      // The console is part of the build that prestart ran: served with no other command.
      const console = await fetch(`${g.url}/console`);
      expect(console.status).toBe(200);
      expect(await console.text()).toMatch(/<div id="app"><\/div>[\s\S]*|src="\/console\/assets\/index-[\w-]+\.js"/);
      expect((await fetch(`${g.url}/`, { redirect: 'manual' })).headers.get('location')).toBe('/console');

      g.child.kill('SIGTERM');
      expect(await g.exited).toBe(0);
      expect(existsSync(`/proc/${server}`)).toBe(false);
    } finally {
      await db.drop();
    }
  }, 300_000);
});
