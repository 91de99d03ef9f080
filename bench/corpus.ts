import type { RosterEntry } from '../src/modules/agents/agent-registry.js';
import { runTool, toolCapabilities } from '../src/modules/agents/index.js';
import { buildBidders } from '../src/modules/auctions/bidders.js';
import { collectBids, createRelevanceIndex, rankBids } from '../src/modules/auctions/engine/index.js';
import { corpus } from '../test/agents/corpus/index.js';
import { fmt, percentile, type Row } from './stats.js';

/**
 * The offline corpus (test/agents/corpus) through the auction as an embedded gateway
 * with no provider runs it: relevance, every agent's bid, ranking, then the winning
 * tool's answer. Against the same baseline as the auction compute: sorting as many
 * random scores as the roster has agents. The first pass is timed apart: it loads the
 * libraries the tools load at first use (mathjs, Temporal, the language and spelling models).
 */
export async function benchCorpus(roster: readonly RosterEntry[]): Promise<Row[]> {
  const index = createRelevanceIndex(roster.map((e) => e.profile));
  const agentDomains = new Map(roster.map((e) => [e.profile.slug, e.profile.domain]));
  const bySlug = new Map(roster.map((e) => [e.profile.slug, e.profile]));
  const answer = async (text: string) => {
    const intent = { intentId: 'bench', text, domain: null, deadline: Date.now() + 1000 };
    const records = await collectBids(buildBidders(roster, intent, index.score(text), false), { deadlineMs: 1000, now: () => performance.now() });
    const { winner } = rankBids(records, { agentDomains, minConfidence: 0.35 });
    const tool = winner ? bySlug.get(winner.slug)?.tool : undefined;
    return tool ? runTool(toolCapabilities.get(tool), text) : null;
  };
  const baseline = () => Array.from({ length: roster.length }, () => Math.random()).sort((a, b) => b - a);
  const texts = corpus.map((c) => c.text);
  let t0 = performance.now();
  for (const text of texts) await answer(text);
  const cold = performance.now() - t0;
  const gavel: number[] = [];
  const base: number[] = [];
  const passes = 3;
  t0 = performance.now();
  for (let pass = 0; pass < passes; pass++) {
    for (const text of texts) {
      const t = performance.now();
      await answer(text);
      gavel.push(performance.now() - t);
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  for (let i = 0; i < gavel.length; i++) {
    const t = performance.now();
    baseline();
    base.push(performance.now() - t);
  }
  const p50 = percentile(gavel, 50);
  const b50 = percentile(base, 50);
  return [
    {
      benchmark: `offline corpus p50 (ms, ${texts.length} requests, auction + tool)`,
      value: fmt(p50, 3),
      baseline: `${fmt(b50, 3)} sort ${roster.length} scores`,
      ratio: `${fmt(p50 / b50, 1)}×`,
      target: '',
    },
    { benchmark: 'offline corpus p99 (ms)', value: fmt(percentile(gavel, 99), 3), baseline: fmt(percentile(base, 99), 3), ratio: '', target: '' },
    { benchmark: 'offline corpus throughput (requests/s, one core)', value: fmt(gavel.length / seconds, 0), baseline: '', ratio: '', target: '' },
    { benchmark: 'offline corpus first pass (s, loads the tool libraries)', value: fmt(cold / 1000, 2), baseline: '', ratio: '', target: '' },
  ];
}
