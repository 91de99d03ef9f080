import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/modules/agents/catalog/catalog.js';
import { toolCapabilities } from '../../src/modules/agents/tools/index.js';

describe('the shipped agent catalog', () => {
  const catalog = loadCatalog();

  it('has 210 valid agents with unique slugs over at least 12 domains', () => {
    expect(catalog).toHaveLength(210);
    expect(new Set(catalog.map((a) => a.slug)).size).toBe(210);
    expect(new Set(catalog.map((a) => a.domain)).size).toBeGreaterThanOrEqual(12);
  });

  it('backs every tool capability with at least one tool agent', () => {
    const used = new Set(catalog.filter((a) => a.kind === 'tool').map((a) => a.tool));
    for (const id of toolCapabilities.keys()) expect(used, id).toContain(id);
  });

  it('gives every LLM agent its own system prompt and a price table', () => {
    const llm = catalog.filter((a) => a.kind === 'llm');
    expect(new Set(llm.map((a) => a.systemPrompt)).size).toBe(llm.length);
    expect(catalog.every((a) => a.price.inputPerMTok > 0 && a.price.outputPerMTok > 0)).toBe(true);
  });
});
