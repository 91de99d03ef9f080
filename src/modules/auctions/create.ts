import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../../config/config.js';
import type { AuctionJobs } from '../intents/index.js';
import { AUCTION_JOB_KIND, AUCTION_QUEUE, auctionJobId } from './auction-job.js';
import { bidsOf } from './bid.store.js';
import { runIntentFromRow } from './run.js';
import { createLlmExecutor } from '../agents/index.js';
import { AuctionRunner } from './auction-runner.js';
import type { AuctionDeps } from './run.js';
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

/** The runner, from the parts it names; its settings and the Shield judge from the config. */
export function createAuctions({ config, ...deps }: Omit<AuctionDeps, 'settings' | 'verify'> & { config: Pick<Config, 'llm' | 'auction'> }): AuctionRunner {
  const { auction } = config;
  return new AuctionRunner({
    ...deps,
    settings: { minConfidence: auction.minConfidence, executionTimeoutMs: auction.executionTimeoutMs, maxAttempts: 3 },
    verify: createVerifier(shieldJudge(config.llm)),
  });
}

/** What the intents module needs of auctions (`AuctionJobs`): their queue, job ids, a started job's hint, an intent's bids. */
export function auctionJobsFor(orm: MikroORM): AuctionJobs {
  return {
    queue: AUCTION_QUEUE,
    kind: AUCTION_JOB_KIND,
    jobId: auctionJobId,
    hint: (row) => runIntentFromRow(row, 'pending'),
    bidsOf: (intentId) => bidsOf(orm.em.fork(), intentId),
  };
}
