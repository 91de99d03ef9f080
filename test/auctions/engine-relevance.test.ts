import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AgentProfile } from '../../src/modules/agents/types.js';
import { createRelevanceIndex } from '../../src/modules/auctions/engine/index.js';
import { tokenize } from '../../src/modules/auctions/engine/text.js';

const profile = (slug: string, domain: string, skills: string[], description: string): AgentProfile => ({
  slug,
  name: slug.replace(/-/g, ' '),
  emoji: '🤖',
  domain,
  skills,
  description,
  version: '1.0.0',
  kind: 'llm',
  price: { inputPerMTok: 1, outputPerMTok: 2 },
});

const roster = [
  profile(
    'python-craftsman',
    'engineering',
    ['python', 'regex', 'functions', 'typing'],
    'Writes idiomatic Python code: functions, regular expressions, validation.',
  ),
  profile('contract-counsel', 'legal', ['contracts', 'nda', 'clauses'], 'Drafts and reviews contracts, NDAs and legal clauses.'),
  profile('privacy-advisor', 'legal', ['gdpr', 'privacy', 'data protection'], 'Explains privacy law and data protection duties.'),
  profile('kubernetes-pilot', 'devops', ['kubernetes', 'helm', 'deployments'], 'Operates Kubernetes clusters, Helm charts and rollouts.'),
  profile('sql-sculptor', 'engineering', ['sql', 'postgresql', 'indexes', 'joins'], 'Writes and tunes SQL queries and indexes.'),
  profile('poet', 'writing', ['poetry', 'haiku', 'sonnet'], 'Writes poems in any form.'),
  profile('cpp-engineer', 'engineering', ['c++', 'templates', 'memory'], 'Modern C++ for systems code.'),
];
const ranked = (scores: Map<string, number>) => [...scores.entries()].sort((a, b) => b[1] - a[1]).map(([slug]) => slug);

describe('relevance index', () => {
  const index = createRelevanceIndex(roster);

  it('ranks a Python agent above a legal one for a Python intent, with scores in [0, 1]', () => {
    const scores = index.score('Write a Python function that validates email addresses using regex');
    expect(ranked(scores)[0]).toBe('python-craftsman');
    expect(scores.get('python-craftsman')).toBeGreaterThan(0.5);
    expect(scores.get('contract-counsel') ?? 0).toBeLessThan(scores.get('python-craftsman')!);
    for (const s of scores.values()) expect(s > 0 && s <= 1).toBe(true);
  });

  it('ranks the legal specialist first for a legal intent', () => {
    expect(ranked(index.score('Review this NDA contract for risky clauses'))[0]).toBe('contract-counsel');
  });

  it('gives nobody a score for stop words alone, or for an intent with nothing in common', () => {
    expect(index.score('the and of please help me with something').size).toBe(0);
    expect(index.score('bake sourdough bread').size).toBe(0);
    expect(index.score('').size).toBe(0);
  });

  it('keeps the best match of a vague text far from 1', () => {
    const scores = index.score('I need someone to write things');
    expect(Math.max(...scores.values())).toBeLessThan(0.5);
  });

  it('does not hold a long, detailed intent against its specialist', () => {
    const text =
      'Our Postgres database is slow: the orders report joins four tables and scans millions of rows every morning, ' +
      'the dashboard times out, and the team wants to know which indexes to add, how to rewrite the joins, and whether ' +
      'partitioning the orders table by month would help before we buy a bigger server';
    const scores = index.score(text);
    expect(ranked(scores)[0]).toBe('sql-sculptor');
    expect(scores.get('sql-sculptor')).toBeGreaterThan(0.5);
  });

  it('matches longer words by prefix and misspellings by fuzzy search', () => {
    expect(ranked(index.score('kubernet helm deploy'))[0]).toBe('kubernetes-pilot'); // prefixes
    expect(ranked(index.score('kubernets chrats'))[0]).toBe('kubernetes-pilot'); // typos
  });

  describe('domain hint', () => {
    it('raises the hinted domain’s specialists', () => {
      const text = 'Is our data processing agreement enforceable?';
      const plain = index.score(text);
      const hinted = index.score(text, 'legal');
      expect(hinted.get('privacy-advisor')!).toBeGreaterThan(plain.get('privacy-advisor') ?? 0);
      expect(hinted.get('contract-counsel')!).toBeGreaterThan(plain.get('contract-counsel') ?? 0);
    });

    it('reaches specialists the text alone does not, but only weakly', () => {
      const scores = index.score('Is this enforceable?', 'legal');
      expect([...scores.keys()].sort()).toEqual(['contract-counsel', 'privacy-advisor']);
      for (const s of scores.values()) expect(s).toBeLessThan(0.35);
    });

    it('is ignored when no agent has that domain', () => {
      const text = 'Write a Python function';
      expect(index.score(text, 'astrology')).toEqual(index.score(text));
    });
  });

  it('is deterministic, whether a term is searched or remembered', () => {
    const text = 'tune SQL joins and indexes';
    const first = index.score(text);
    expect(index.score(text)).toEqual(first);
    expect(createRelevanceIndex(roster).score(text)).toEqual(first);
  });

  it('replace() swaps the roster: new agents are found, removed ones are not', () => {
    const local = createRelevanceIndex(roster);
    expect(local.score('haiku about autumn').has('poet')).toBe(true);
    local.replace([...roster.filter((p) => p.slug !== 'poet'), profile('haiku-master', 'writing', ['haiku'], 'Only haiku.')]);
    const scores = local.score('haiku about autumn');
    expect(scores.has('poet')).toBe(false);
    expect(ranked(scores)[0]).toBe('haiku-master');
    expect(local.size).toBe(roster.length);
  });

  it('scores an empty roster as nobody', () => {
    expect(createRelevanceIndex([]).score('Write a Python function').size).toBe(0);
  });
});

describe('tokenize', () => {
  it('lowercases, drops stop words and bare numbers, folds plurals and keeps C++ and C#', () => {
    expect(tokenize('Please write FUNCTIONS in C++ and C# for 2+2, the policies and classes')).toEqual(['write', 'function', 'c++', 'c#', 'policy', 'class']);
  });

  it('reads % as "percent" and keeps words like analysis and status whole', () => {
    expect(tokenize('17% status analysis')).toEqual(['percent', 'status', 'analysis']);
  });
});

const CATALOG = new URL('../../src/modules/agents/catalog/agents.json', import.meta.url);
describe.runIf(existsSync(CATALOG))('relevance on the shipped catalog', () => {
  const catalog = JSON.parse(readFileSync(CATALOG, 'utf8')) as AgentProfile[];
  const index = createRelevanceIndex(catalog);
  const top = (text: string) => ranked(index.score(text))[0];

  it('puts the obvious specialist first', () => {
    const expected = new Map([
      ['Write a Python function that validates email addresses using regex', 'python-craftsman'],
      ['Review this NDA for risky clauses', 'contract-counsel'],
      ['My kubernetes pods keep crashing after the helm upgrade', 'kubernetes-pilot'],
    ]);
    for (const [text, slug] of expected) if (catalog.some((p) => p.slug === slug)) expect(top(text), text).toBe(slug);
  });
});
