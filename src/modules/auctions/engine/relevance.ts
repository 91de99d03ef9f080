import MiniSearch from 'minisearch';
import type { AgentProfile } from '../../agents/types.js';

export interface RelevanceIndex {
  /** Relevance in [0, 1] of each agent with any hit; agents absent from the map scored 0. */
  score(text: string, domainHint?: string | null): Map<string, number>;
}

/** Words too common to say anything about which specialist fits. */
const STOP_WORDS = new Set(
  'a an and are as at be but by can could do does for from give has have help how i in into is it its me my need of on or please show tell that the their them then there these this to up us use using want was we what when where which who why will with would you your'.split(' '),
);

interface Doc {
  id: string;
  name: string;
  domain: string;
  skills: string;
  description: string;
}

const tokenize = (text: string) => text.toLowerCase().split(/[^\p{L}\p{N}+#]+/u).filter((t) => t.length > 1 && !STOP_WORDS.has(t));

/**
 * A full-text index (MiniSearch, BM25) over each agent's name, domain, skills and
 * description. Raw BM25 scores are not confidences, so relevance is
 *   sqrt(coverage) × (0.5 + 0.5 × score / best score)
 * where coverage is the share of the intent's terms the agent matched: an agent must
 * cover much of the intent to be confident, and among those the best match leads. A
 * vague intent that shares one word with everyone gives nobody a high confidence.
 */
export function createRelevanceIndex(profiles: readonly AgentProfile[]): RelevanceIndex {
  const search = new MiniSearch<Doc>({
    fields: ['name', 'domain', 'skills', 'description'],
    tokenize,
    processTerm: (term) => (STOP_WORDS.has(term) ? null : term.toLowerCase()),
    searchOptions: {
      boost: { skills: 3, domain: 2, name: 2, description: 1 },
      prefix: (term) => term.length >= 4,
      fuzzy: (term) => (term.length >= 6 ? 0.15 : false),
    },
  });
  search.addAll(
    profiles.map((p) => ({ id: p.slug, name: p.name, domain: p.domain, skills: p.skills.join(' '), description: p.description })),
  );

  return {
    score(text) {
      const terms = [...new Set(tokenize(text))];
      const scores = new Map<string, number>();
      if (terms.length === 0) return scores;
      const results = search.search(terms.join(' '), { combineWith: 'OR' });
      const top = results[0]?.score ?? 0;
      if (top <= 0) return scores;
      // Two-word intents should not reach full coverage on one matching word.
      const denominator = Math.max(terms.length, 2);
      for (const r of results) {
        const matched = new Set(r.queryTerms.map((q) => terms.findIndex((t) => q === t || q.startsWith(t) || t.startsWith(q))));
        matched.delete(-1);
        const coverage = Math.min(1, matched.size / denominator);
        const relative = r.score / top;
        scores.set(r.id as string, Math.round(Math.sqrt(coverage) * (0.5 + 0.5 * relative) * 1000) / 1000);
      }
      return scores;
    },
  };
}
