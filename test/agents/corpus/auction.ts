import { loadCatalog } from '../../../src/modules/agents/catalog/catalog.js';
import type { RosterEntry } from '../../../src/modules/agents/agent-registry.js';
import { createLlmExecutor } from '../../../src/modules/agents/executors/llm.js';
import { createToolExecutor, runTool } from '../../../src/modules/agents/tool-executor.js';
import { toolCapabilities } from '../../../src/modules/agents/tools/index.js';
import { buildBidders, providerBlock } from '../../../src/modules/auctions/bidders.js';
import { collectBids, createRelevanceIndex, rankBids } from '../../../src/modules/auctions/engine/index.js';
import type { CorpusCase } from './types.js';

/** The default minimum confidence (GAVEL_MIN_CONFIDENCE). */
const MIN_CONFIDENCE = 0.35;

export interface OfflineAnswer {
  /** The winning tool agent's capability and its output, or null when nobody may win. */
  winner: { slug: string; tool: string; output: string } | null;
  /** With no winner: the LLM agents that would have bid, had a provider been configured. */
  wouldHaveBid: string[];
}

/**
 * The shipped catalog as the embedded default runs it: tool agents in-process, LLM
 * agents with no provider (unavailable, as in an auction with none configured), through
 * the auction's own bidders, bid collection and ranking, then the winner's tool run as
 * its executor runs it.
 */
export function offlineAuction(): (text: string) => Promise<OfflineAnswer> {
  const roster = loadCatalog()
    .filter((p) => p.kind !== 'http')
    .map(
      (profile) => ({ profile, executor: profile.kind === 'tool' ? createToolExecutor(profile) : createLlmExecutor(profile, null) }) as unknown as RosterEntry,
    );
  const index = createRelevanceIndex(roster.map((e) => e.profile));
  const agentDomains = new Map(roster.map((e) => [e.profile.slug, e.profile.domain]));
  const bySlug = new Map(roster.map((e) => [e.profile.slug, e.profile]));
  return async (text) => {
    const intent = { intentId: 'corpus', text, domain: null, deadline: Date.now() + 1000 };
    const scores = index.score(text);
    const records = await collectBids(buildBidders(roster, intent, scores, false), { deadlineMs: 1000, now: () => performance.now() });
    const { winner } = rankBids(records, { agentDomains, minConfidence: MIN_CONFIDENCE });
    if (!winner) return { winner: null, wouldHaveBid: providerBlock(roster, intent, scores, MIN_CONFIDENCE)?.agents ?? [] };
    const tool = bySlug.get(winner.slug)!.tool!;
    let output: string;
    try {
      output = runTool(toolCapabilities.get(tool), text);
    } catch (error) {
      output = `ERROR ${(error as Error).message}`;
    }
    return { winner: { slug: winner.slug, tool, output }, wouldHaveBid: [] };
  };
}

export type Verdict = 'right' | 'refused' | 'wrong';

/** Right: the expected answer (from the expected tool), or a refusal where one is expected. Refused: no answer where one was expected. Wrong: anything else. */
export function judge(c: CorpusCase, answer: { tool: string; output: string } | null): Verdict {
  if (!answer) return c.expect === null ? 'right' : 'refused';
  if (c.expect === null) return 'wrong';
  if (c.tool && answer.tool !== c.tool) return 'wrong';
  const ok =
    typeof c.expect === 'string' ? answer.output.includes(c.expect) : c.expect instanceof RegExp ? c.expect.test(answer.output) : c.expect(answer.output);
  return ok ? 'right' : 'wrong';
}
