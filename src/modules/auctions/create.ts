import type pg from 'pg';
import type { Config } from '../../config/config.js';
import type { Logger } from '../../observability/logger.js';
import type { Metrics } from '../../observability/metrics.js';
import { createLlmExecutor, type AgentRegistry } from '../agents/index.js';
import type { EventBus, EventLog } from '../events/index.js';
import type { IntentFollowUps } from '../intents/index.js';
import { AuctionRunner } from './auction-runner.js';
import { createVerifier } from './verifier.js';

/** The Shield tier's judge: an LLM asked whether a result answers its task (none without a provider). */
function shieldJudge(llm: Config['llm']) {
  if (!llm) return null;
  return createLlmExecutor(
    {
      slug: 'shield-verifier',
      name: 'Shield Verifier',
      emoji: '🛡️',
      domain: 'verification',
      skills: ['verification'],
      description: 'Checks that a result answers its task',
      version: '1.0.0',
      kind: 'llm',
      price: { inputPerMTok: 0, outputPerMTok: 0 },
      systemPrompt: 'You verify answers. Reply ACCEPT, or REJECT and a one-line reason.',
    },
    { baseUrl: llm.baseUrl, apiKey: llm.apiKey, defaultModel: llm.model },
  );
}

export function createAuctions(deps: {
  pool: pg.Pool;
  events: EventLog;
  bus: EventBus;
  registry: AgentRegistry;
  metrics: Metrics;
  logger: Logger;
  followUps: IntentFollowUps;
  config: Pick<Config, 'llm' | 'auction'>;
}): AuctionRunner {
  const { auction } = deps.config;
  return new AuctionRunner({
    pool: deps.pool,
    events: deps.events,
    bus: deps.bus,
    registry: deps.registry,
    metrics: deps.metrics,
    logger: deps.logger,
    settings: { minConfidence: auction.minConfidence, executionTimeoutMs: auction.executionTimeoutMs, maxAttempts: 3 },
    verify: createVerifier(shieldJudge(deps.config.llm)),
    followUps: deps.followUps,
  });
}
