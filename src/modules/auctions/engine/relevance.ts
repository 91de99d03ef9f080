import MiniSearch from 'minisearch';
import type { AgentProfile } from '../../agents/index.js';
import { tokenize } from './text.js';

export interface RelevanceIndex {
  /**
   * Relevance in [0, 1] of each agent the intent reaches (a text hit, or the hinted
   * domain); agents absent from the map scored 0. Deterministic for a given roster.
   */
  score(text: string, domainHint?: string | null): Map<string, number>;
  /** Swaps the roster (a catalog reload); a rebuild costs a few milliseconds for 201 agents. */
  replace(profiles: readonly AgentProfile[]): void;
  readonly size: number;
}

type Field = 'name' | 'domain' | 'skills' | 'description';
const FIELDS: Field[] = ['name', 'domain', 'skills', 'description'];

/** BM25 field boosts: skills and domain are what an agent is for; descriptions are prose. */
const FIELD_BOOST: Record<Field, number> = { skills: 3, domain: 2, name: 1.5, description: 1 };
/** How much a hit in each field counts as evidence that the agent covers a term. */
const FIELD_EVIDENCE: Record<Field, number> = { skills: 1, domain: 1, name: 1, description: 0.75 };
/** Evidence of an exact term, of a longer word it begins (`regex` → `regexes`), of a near spelling. */
const EXACT = 1;
const PREFIX = 0.8;
const FUZZY = 0.5;

/** Prefix and fuzzy matching start at this length: shorter words expand into noise. */
const MIN_EXPANDED_LENGTH = 4;
/** Edit distance as a share of the term's length: 1 edit up to 7 letters, 2 from 8. */
const FUZZINESS = 0.2;

/*
 * Calibration. BM25 scores have no unit, so they only order agents; the confidence
 * comes from how much of the intent's *information* an agent covers. A term's
 * information is its IDF over the roster (rare words say more); `maxIdf` is the IDF of
 * a word only one agent knows, so the constants below keep their meaning whatever the
 * roster's size.
 */
/** Terms no agent knows still make the intent bigger, but count less than known ones. */
const UNKNOWN_TERM_INFORMATION = 0.25;
/** Full confidence needs at least ~2 distinctive words' worth of evidence: vague texts stay low. */
const MIN_INFORMATION = 2;
/** ...and never more than ~3: a long, detailed intent is not held against its specialist. */
const MAX_INFORMATION = 3;
/** Share of the confidence that does not depend on beating the other agents' BM25. */
const COVERAGE_FLOOR = 0.6;
/** Distinct intent terms whose hits are remembered, per index (a roster swap forgets them). */
const TERM_CACHE_SIZE = 10_000;

interface TermHit {
  slug: string;
  /** BM25 contribution, field boosts included. */
  bm25: number;
  /** In (0, 1]: how directly the agent's profile holds the term. */
  evidence: number;
}

interface TermHits {
  /** IDF over the roster; 0 when no agent knows the term. */
  idf: number;
  hits: TermHit[];
}

/**
 * A full-text index (MiniSearch, BM25) over each agent's name, domain, skills and
 * description, turned into a calibrated relevance per agent:
 *
 *   relevance = coverage × (0.6 + 0.4 × bm25 / best bm25)
 *   coverage  = Σ idf(term) × evidence, over the terms the agent matches
 *               ÷ clamp(Σ idf of all the intent's terms, 2·maxIdf, 3·maxIdf)
 *
 * so an agent must hold the intent's distinctive words to be confident, and the best
 * BM25 match only leads among agents that do: a vague text that shares one common word
 * with everybody gives nobody a high score. A domain hint counts as one more term,
 * held by that domain's specialists (the caller told us something about the intent).
 */
export function createRelevanceIndex(profiles: readonly AgentProfile[]): RelevanceIndex {
  let roster = buildRoster(profiles);
  return {
    score: (text, domainHint) => scoreIntent(roster, text, domainHint),
    replace(next) {
      roster = buildRoster(next);
    },
    get size() {
      return roster.count;
    },
  };
}

interface Roster {
  search: MiniSearch;
  count: number;
  /** Every term of every profile: known terms skip fuzzy matching. */
  vocabulary: Set<string>;
  domains: Map<string, string[]>;
  maxIdf: number;
  termCache: Map<string, TermHits>;
}

function buildRoster(profiles: readonly AgentProfile[]): Roster {
  const vocabulary = new Set<string>();
  const search = new MiniSearch<{ id: string } & Record<Field, string>>({
    fields: FIELDS,
    tokenize,
    // Documents are tokenized by `tokenize`, which already processes; recording the
    // vocabulary here costs nothing extra.
    processTerm: (term) => {
      vocabulary.add(term);
      return term;
    },
  });
  const domains = new Map<string, string[]>();
  const seen = new Set<string>();
  const docs = [];
  for (const p of profiles) {
    if (seen.has(p.slug)) continue; // a duplicate slug would make MiniSearch throw
    seen.add(p.slug);
    docs.push({ id: p.slug, name: p.name, domain: p.domain, skills: p.skills.join(' , '), description: p.description });
    const domain = p.domain.toLowerCase();
    domains.set(domain, [...(domains.get(domain) ?? []), p.slug]);
  }
  search.addAll(docs);
  return { search, count: docs.length, vocabulary, domains, maxIdf: idf(docs.length, 1), termCache: new Map() };
}

function scoreIntent(roster: Roster, text: string, domainHint?: string | null): Map<string, number> {
  const scores = new Map<string, number>();
  if (roster.count === 0) return scores;
  const acc = new Map<string, { bm25: number; evidence: number }>();
  const add = (slug: string, bm25: number, evidence: number) => {
    const a = acc.get(slug);
    if (a) {
      a.bm25 += bm25;
      a.evidence += evidence;
    } else acc.set(slug, { bm25, evidence });
  };

  let information = 0;
  for (const term of new Set(tokenize(text))) {
    const { idf: weight, hits } = termHits(roster, term);
    if (hits.length === 0) {
      information += UNKNOWN_TERM_INFORMATION * roster.maxIdf;
      continue;
    }
    information += weight;
    for (const h of hits) add(h.slug, h.bm25, weight * h.evidence);
  }
  const specialists = domainHint ? roster.domains.get(domainHint.trim().toLowerCase()) : undefined;
  if (specialists) {
    const weight = idf(roster.count, specialists.length);
    information += weight;
    for (const slug of specialists) add(slug, 0, weight);
  }
  if (acc.size === 0) return scores;

  const denominator = Math.min(Math.max(information, MIN_INFORMATION * roster.maxIdf), MAX_INFORMATION * roster.maxIdf);
  let bestBm25 = 0;
  for (const a of acc.values()) bestBm25 = Math.max(bestBm25, a.bm25);
  for (const [slug, a] of acc) {
    const coverage = Math.min(1, a.evidence / denominator);
    const lead = bestBm25 > 0 ? a.bm25 / bestBm25 : 0;
    const relevance = Math.round(coverage * (COVERAGE_FLOOR + (1 - COVERAGE_FLOOR) * lead) * 1000) / 1000;
    if (relevance > 0) scores.set(slug, relevance);
  }
  return scores;
}

/**
 * The agents holding one term, searched once per roster and then remembered: intents
 * share most of their vocabulary, so after warm-up most terms cost a map lookup.
 */
function termHits(roster: Roster, term: string): TermHits {
  const cached = roster.termCache.get(term);
  if (cached) return cached;
  const expand = term.length >= MIN_EXPANDED_LENGTH;
  const results = roster.search.search(term, {
    boost: FIELD_BOOST,
    prefix: expand,
    // A word the roster knows as such is not a typo: fuzzy matching would only add noise
    // (`data` → `date`) and time.
    fuzzy: expand && !roster.vocabulary.has(term) ? FUZZINESS : false,
    // The term is processed already.
    tokenize: (t) => [t],
    processTerm: (t) => t,
  });
  const hits = results.map((r): TermHit => ({ slug: r.id as string, bm25: r.score, evidence: evidenceOf(term, r.match) }));
  const entry = { idf: hits.length ? idf(roster.count, hits.length) : 0, hits };
  if (roster.termCache.size >= TERM_CACHE_SIZE) {
    // Oldest first (Map keeps insertion order): cheap, and good enough for a vocabulary.
    const oldest = roster.termCache.keys().next();
    if (!oldest.done) roster.termCache.delete(oldest.value);
  }
  roster.termCache.set(term, entry);
  return entry;
}

/** The strongest way the profile holds the term: the kind of match times the field it is in. */
function evidenceOf(term: string, match: Record<string, string[]>): number {
  let best = 0;
  for (const [matched, fields] of Object.entries(match)) {
    const kind = matched === term ? EXACT : matched.startsWith(term) ? PREFIX : FUZZY;
    for (const field of fields) best = Math.max(best, kind * (FIELD_EVIDENCE[field as Field] ?? 0));
  }
  return best;
}

/** BM25's IDF (the same formula MiniSearch scores with). */
function idf(documents: number, containing: number): number {
  return Math.log(1 + (documents - containing + 0.5) / (containing + 0.5));
}
