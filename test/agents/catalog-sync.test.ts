import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent } from '../../src/modules/agents/agent.entity.js';
import { loadCatalog } from '../../src/modules/agents/catalog/catalog.js';
import { syncCatalog } from '../../src/modules/agents/catalog-sync.js';
import type { AgentProfile } from '../../src/modules/agents/types.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { gql } from '../helpers/http.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.stop());

const sync = (catalog: AgentProfile[]) => syncCatalog(t.app.db.orm.em.fork(), catalog);
const row = (slug: string) => t.app.db.orm.em.fork().findOneOrFail(Agent, { slug });
const shipped = loadCatalog();
const withEntry = (slug: string, change: Partial<AgentProfile>) => shipped.map((p) => (p.slug === slug ? { ...p, ...change } : p));

describe('catalog sync', () => {
  it('follows the catalog in every field an operator has not set, and keeps the ones they set', async () => {
    const edited = await gql(
      t.url,
      'mutation { updateAgent(id: "calculator", input: { description: "Our house calculator" }) { description } }',
      {},
      t.rootKey,
    );
    expect(edited.body.errors, JSON.stringify(edited.body.errors)).toBeUndefined();

    const report = await sync(
      withEntry('calculator', { description: 'A newer catalog description', version: '9.9.9', price: { inputPerMTok: 0.5, outputPerMTok: 9 } }),
    );
    expect(report).toMatchObject({ updated: 1, keptOperatorEdits: 1 });
    const agent = await row('calculator');
    expect(agent).toMatchObject({ description: 'Our house calculator', version: '9.9.9', priceOutputPerMTok: 9, active: true });
    // Synced again with nothing new: nothing to do.
    expect(
      await sync(withEntry('calculator', { description: 'A newer catalog description', version: '9.9.9', price: { inputPerMTok: 0.5, outputPerMTok: 9 } })),
    ).toMatchObject({ updated: 0, keptOperatorEdits: 0 });
  });

  it('retires an entry dropped from the catalog and brings it back when it returns', async () => {
    expect(await sync(shipped.filter((p) => p.slug !== 'unit-converter'))).toMatchObject({ retired: 1 });
    expect((await row('unit-converter')).active).toBe(false);
    expect(await sync(shipped)).toMatchObject({ retired: 0 });
    expect((await row('unit-converter')).active).toBe(true);
  });

  it('leaves alone an agent an operator switched off or on', async () => {
    await gql(t.url, 'mutation { updateAgent(id: "roman-numeral-scribe", input: { active: false }) { active } }', {}, t.rootKey);
    await sync(shipped);
    expect((await row('roman-numeral-scribe')).active).toBe(false);
    await gql(t.url, 'mutation { updateAgent(id: "roman-numeral-scribe", input: { active: true }) { active } }', {}, t.rootKey);
    await sync(shipped.filter((p) => p.slug !== 'roman-numeral-scribe'));
    expect((await row('roman-numeral-scribe')).active).toBe(true);
  });
});
