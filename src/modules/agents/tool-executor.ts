import { asksForWriting } from './tools/asks-for-writing.js';
import { toolCapabilities, type ToolCapability } from './tools/index.js';
import type { AgentExecutor, AgentProfile, BidDecision } from './types.js';

/**
 * An in-process tool agent: no network, no provider, always available. Its bid is
 * how sure its capability is that it parsed everything it needs from the text.
 */
export function createToolExecutor(profile: AgentProfile): AgentExecutor {
  const capability = profile.tool ? toolCapabilities.get(profile.tool) : undefined;
  return {
    kind: 'tool',
    availability: () =>
      capability ? { available: true } : { available: false, reason: `unknown tool capability ${profile.tool ?? '(none)'}` },
    // The decision is shared by every agent running this capability (see bidders.ts),
    // so it does not name the agent.
    async bid(intent): Promise<BidDecision> {
      if (asksForWriting(intent.text)) return { type: 'decline', reason: 'the intent asks for writing, code or advice, not a computed value' };
      const match = capability?.match(intent.text);
      return match
        ? { type: 'bid', confidence: match.confidence, reasoning: match.reasoning, estimatedCostUsd: 0 }
        : { type: 'decline', reason: 'nothing in the intent this tool can compute' };
    },
    async execute(intent, onChunk) {
      const output = runTool(capability, intent.text);
      onChunk(output);
      return { output };
    },
  };
}

export function runTool(capability: ToolCapability | undefined, text: string): string {
  if (!capability) throw new Error('tool capability missing');
  const match = capability.match(text);
  if (!match) throw new Error(`${capability.id} cannot serve this intent`);
  return capability.run(match.plan, text);
}
