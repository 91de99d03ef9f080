import { randomBase62 } from '../../lib/random.js';
import type { Agent } from './agent.entity.js';
import type { SigningSecrets } from './executors/http.js';

/** A rotation's default grace window: a day to deploy the new secret to the agent. */
export const DEFAULT_SECRET_GRACE_SECONDS = 86_400;
/** The longest grace window: an old secret should not stay valid for long. */
export const MAX_SECRET_GRACE_SECONDS = 7 * 86_400;

/** A new agent signing secret: 43 base62 characters (256 bits), prefixed so secret scanners can spot one. */
export function newSigningSecret(): string {
  return `gvl_agent_${randomBase62(43)}`;
}

/**
 * What the gateway signs an HTTP agent's calls with. An agent registered before per-agent
 * secrets has none of its own and signs with the legacy shared secret, if it is set.
 */
export function signingSecretsOf(agent: Agent, legacySecret: string | undefined): SigningSecrets {
  const current = agent.signingSecret ?? legacySecret ?? '';
  const { previousSigningSecret: previous, previousSecretExpiresAt: until } = agent;
  return previous && until ? { current, previous: { secret: previous, until: until.getTime() } } : { current };
}
