import type { RosterEntry } from '../agents/index.js';
import { runTool } from '../agents/index.js';
import { toolCapabilities, type ToolCapability } from '../agents/index.js';
import type { AgentExecutor, IntentForAgents } from '../agents/index.js';

export interface Verdict {
  accepted: boolean;
  reason?: string;
}

/** Phrases that mark an answer as a refusal or a failure rather than a result. */
const NON_ANSWERS = [/^\s*$/, /\bas an ai\b/i, /\bi (?:can(?:no|')t|am unable to|won't) (?:help|do|answer|assist)/i, /^error\b/i];

/**
 * Shield tier: checks a winner's result before it is accepted. A tool result is
 * recomputed and must match (a random one, a UUID or a password, is checked against
 * what was asked instead); an LLM result is judged by the verifier
 * model when a provider is configured; every result must be a real answer (not
 * empty, not a refusal). A rejection promotes the next bidder.
 */
export function createVerifier(judge: AgentExecutor | null) {
  return async (candidate: RosterEntry, intent: IntentForAgents, output: string, signal: AbortSignal): Promise<Verdict> => {
    const bad = NON_ANSWERS.find((re) => re.test(output));
    if (bad) return { accepted: false, reason: 'result is empty or a refusal' };
    const { profile } = candidate;
    if (profile.kind === 'tool') return checkTool(toolCapabilities.get(profile.tool ?? ''), intent.text, output);
    if (judge && judge.availability().available) {
      const verdict = await judge.execute(
        {
          ...intent,
          text: `Task:\n${intent.text}\n\nProposed answer:\n${output}\n\nReply ACCEPT if the answer fully and correctly addresses the task, otherwise REJECT followed by the reason.`,
        },
        () => {},
        signal,
      );
      return /^\s*ACCEPT\b/i.test(verdict.output)
        ? { accepted: true }
        : { accepted: false, reason: verdict.output.replace(/^\s*REJECT\W*/i, '').slice(0, 200) || 'rejected by the verifier model' };
    }
    return { accepted: true };
  };
}

function checkTool(capability: ToolCapability | undefined, text: string, output: string): Verdict {
  try {
    const found = capability?.match(text);
    const plan = found && 'plan' in found ? found.plan : undefined;
    if (capability?.check && plan !== undefined) {
      const wrong = capability.check(plan, output);
      return wrong === null ? { accepted: true } : { accepted: false, reason: `check failed: ${wrong}` };
    }
    const again = runTool(capability, text);
    return again === output ? { accepted: true } : { accepted: false, reason: 'independent recomputation disagrees' };
  } catch (error) {
    return { accepted: false, reason: `recomputation failed: ${(error as Error).message}` };
  }
}
