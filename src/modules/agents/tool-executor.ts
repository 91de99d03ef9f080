import { asksForWriting } from './tools/asks-for-writing.js';
import { toolCapabilities, type ToolCapability } from './tools/index.js';
import type { AgentExecutor, AgentProfile, BidDecision } from './types.js';

/**
 * The most text an in-process tool reads. Tools run on the event loop, so their work
 * is bounded by their input: every parser they use is linear in it, and the regex tool
 * runs caller patterns on a linear-time engine (see tools/regex.ts). As long as an
 * intent's text may be (intent-input.ts); a longer text from any other path is declined.
 */
export const MAX_TOOL_INPUT_CHARS = 8_000;

/**
 * An in-process tool agent: no network, no provider, always available. Its bid is
 * how sure its capability is that it parsed everything it needs from the text.
 */
export function createToolExecutor(profile: AgentProfile): AgentExecutor {
  const capability = profile.tool ? toolCapabilities.get(profile.tool) : undefined;
  return {
    kind: 'tool',
    availability: () => (capability ? { available: true } : { available: false, reason: `unknown tool capability ${profile.tool ?? '(none)'}` }),
    // The decision is shared by every agent running this capability (see bidders.ts),
    // so it does not name the agent.
    async bid(intent): Promise<BidDecision> {
      if (intent.text.length > MAX_TOOL_INPUT_CHARS)
        return { type: 'decline', reason: `the text is longer than the ${MAX_TOOL_INPUT_CHARS} characters a tool reads` };
      if (!capability?.readsWorkVerbs && asksForWriting(intent.text))
        return { type: 'decline', reason: 'the intent asks for writing, code or advice, not a computed value' };
      const match = capability?.match(intent.text);
      if (!match) return { type: 'decline', reason: 'nothing in the intent this tool can compute' };
      if ('refuse' in match) return { type: 'decline', reason: match.refuse };
      return { type: 'bid', confidence: match.confidence, reasoning: match.reasoning, estimatedCostUsd: 0 };
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
  if (text.length > MAX_TOOL_INPUT_CHARS) throw new Error(`the text is longer than the ${MAX_TOOL_INPUT_CHARS} characters a tool reads`);
  const match = capability.match(text);
  if (!match) throw new Error(`${capability.id} cannot serve this intent`);
  if ('refuse' in match) throw new Error(match.refuse);
  return capability.run(match.plan, text);
}
