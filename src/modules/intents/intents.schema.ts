import { builder } from '../../graphql/builder.js';
import { countedConnection, totalCountField } from '../../graphql/pagination.js';
import { AgentRef } from '../agents/agents.schema.js';
import { WebhookInput } from '../webhooks/webhook-input.schema.js';
import type { Agent } from '../agents/agent.entity.js';
import {
  AUCTION_TIERS,
  INTENT_ORDERS,
  BID_OUTCOMES,
  INTENT_STATUSES,
  type AttemptRecord,
  type Bid,
  type Intent,
  type SelectionCriteria,
} from './intent.entity.js';

/** The longest a query or mutation may hold its answer for a final status. */
const MAX_WAIT_MS = 300_000;

export const IntentStatusEnum = builder.enumType('IntentStatus', { values: INTENT_STATUSES });
export const AuctionTierEnum = builder.enumType('AuctionTier', { values: AUCTION_TIERS });
export const BidOutcomeEnum = builder.enumType('BidOutcome', { values: BID_OUTCOMES });
const IntentFilterStatusEnum = builder.enumType('IntentFilterStatus', {
  values: [...INTENT_STATUSES, 'in_progress'] as const,
  description: 'A status, or in_progress for bidding, executing and verifying',
});

const IntentOrderEnum = builder.enumType('IntentOrder', {
  values: INTENT_ORDERS,
  description: 'created_at_desc (default), created_at_asc, completed_at_* (unfinished intents last), cost_*',
});

const CostRef = builder.objectRef<Intent>('Cost').implement({
  description: 'The cost receipt: tokens counted with a real tokenizer (or reported by the provider), priced from the agent table',
  fields: (t) => ({
    inputTokens: t.exposeInt('inputTokens'),
    outputTokens: t.exposeInt('outputTokens'),
    totalTokens: t.int({ resolve: (i) => i.inputTokens + i.outputTokens }),
    costUsd: t.exposeFloat('costUsd'),
  }),
});

/** The winner as the receipt shows it: the agent, with the confidence and reasoning of its winning bid. */
// Name, emoji and domain as they were when the agent delivered (intents from before that
// was kept show the agent as it is now).
const WinningAgentRef = builder.objectRef<{ intent: Intent; agent: Agent }>('WinningAgent').implement({
  fields: (t) => ({
    name: t.string({ resolve: ({ intent, agent }) => intent.winningAgentProfile?.name ?? agent.name }),
    emoji: t.string({ resolve: ({ intent, agent }) => intent.winningAgentProfile?.emoji ?? agent.emoji }),
    domain: t.string({ resolve: ({ intent, agent }) => intent.winningAgentProfile?.domain ?? agent.domain }),
    confidence: t.float({ resolve: ({ intent }) => intent.winningConfidence ?? 0 }),
    reasoning: t.string({ resolve: ({ intent }) => intent.winningReasoning ?? '' }),
    agent: t.field({ type: AgentRef, resolve: ({ agent }) => agent }),
  }),
});

const AttemptRef = builder.objectRef<AttemptRecord>('ExecutionAttempt').implement({
  description: 'One link of the failover chain',
  fields: (t) => ({
    agent: t.exposeString('agent', { description: 'Agent slug' }),
    outcome: t.exposeString('outcome', { description: 'succeeded, failed, timed_out or rejected (by a shield verifier)' }),
    error: t.exposeString('error', { nullable: true }),
    startedAt: t.field({ type: 'DateTime', resolve: (a) => a.startedAt }),
    finishedAt: t.field({ type: 'DateTime', resolve: (a) => a.finishedAt }),
  }),
});

export const BidRef = builder.objectRef<Bid>('Bid').implement({
  fields: (t) => ({
    id: t.id({ description: 'Opaque; unique across intents', resolve: (b) => `${b.intent.id}:${b.seq}` }),
    agent: t.field({ type: AgentRef, resolve: (b) => b.agent }),
    outcome: t.field({ type: BidOutcomeEnum, resolve: (b) => b.outcome }),
    confidence: t.exposeFloat('confidence', { nullable: true }),
    score: t.exposeFloat('score', { nullable: true, description: 'Confidence after the domain-hint boost; the ranking key' }),
    reasoning: t.exposeString('reasoning', { nullable: true }),
    estimatedCostUsd: t.exposeFloat('estimatedCostUsd', { nullable: true }),
    latencyMs: t.exposeFloat('latencyMs'),
    rank: t.exposeInt('rank', { nullable: true }),
    eligible: t.exposeBoolean('eligible'),
    won: t.exposeBoolean('won'),
  }),
});

const IntentErrorRef = builder.objectRef<{ code: string; message: string }>('IntentError').implement({
  fields: (t) => ({ code: t.exposeString('code'), message: t.exposeString('message') }),
});

const SelectionRef = builder.objectRef<SelectionCriteria>('SelectionCriteria').implement({
  description: 'Which agents the auction could pick from, as submitted (normalised)',
  fields: (t) => ({
    domains: t.stringList({ nullable: true, resolve: (s) => s.domains ?? null }),
    skills: t.stringList({ nullable: true, resolve: (s) => s.skills ?? null }),
    maxAgents: t.int({ nullable: true, resolve: (s) => s.maxAgents ?? null }),
    minConfidence: t.float({ nullable: true, resolve: (s) => s.minConfidence ?? null }),
  }),
});

const SelectionCriteriaInput = builder.inputType('SelectionCriteriaInput', {
  description: "Narrows who may win: the gateway's own confidence bar still applies, a higher one may be asked",
  fields: (t) => ({
    domains: t.stringList({ description: 'Only agents of these domains are asked (1 to 20)' }),
    skills: t.stringList({ description: 'Only agents holding every one of these skills are asked (1 to 20)' }),
    maxAgents: t.int({ description: 'At most this many agents execute: the winner and its failovers (1 to 10)' }),
    minConfidence: t.float({ description: "A bid below this confidence cannot win (0 to 1; the gateway's own bar, if higher, still holds)" }),
  }),
});

export const IntentRef = builder.objectRef<Intent>('Intent').implement({
  fields: (t) => ({
    id: t.id({ resolve: (i) => String(i.id) }),
    status: t.field({ type: IntentStatusEnum, resolve: (i) => i.status }),
    text: t.exposeString('text'),
    domain: t.exposeString('domain', { nullable: true }),
    auctionTier: t.field({ type: AuctionTierEnum, resolve: (i) => i.auctionTier }),
    sandbox: t.exposeBoolean('sandbox', { description: 'Run with a test key: LLM and HTTP agents simulated (tools run offline as always), no charges' }),
    result: t.exposeString('result', { nullable: true }),
    error: t.field({
      type: IntentErrorRef,
      nullable: true,
      resolve: (i) => (i.errorCode ? { code: i.errorCode, message: i.errorMessage ?? '' } : null),
    }),
    metadata: t.expose('metadata', { type: 'JSON', nullable: true }),
    selection: t.field({ type: SelectionRef, nullable: true, resolve: (i) => i.selection ?? null }),
    webhookUrl: t.exposeString('webhookUrl', { nullable: true }),
    batchId: t.string({ nullable: true, resolve: (i) => (i.batch ? i.batch.id : null) }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    completedAt: t.expose('completedAt', { type: 'DateTime', nullable: true }),
    durationMs: t.int({
      nullable: true,
      resolve: (i) => (i.completedAt ? i.completedAt.getTime() - i.createdAt.getTime() : null),
    }),
    winningAgent: t.field({
      type: WinningAgentRef,
      nullable: true,
      // The roster in memory has it (unless it has retired since): no join, no query.
      resolve: async (intent, _args, ctx) => {
        const agent = intent.winningAgent ? await ctx.modules.agents.agentById(intent.winningAgent.id) : null;
        return agent ? { intent, agent } : null;
      },
    }),
    cost: t.field({ type: CostRef, resolve: (i) => i }),
    attempts: t.field({ type: [AttemptRef], resolve: (i) => i.attempts }),
    promotions: t.exposeInt('promotions', { description: 'Shield tier: results a verifier rejected, promoting the next bidder' }),
    bids: t.field({
      type: [BidRef],
      description: 'Every agent asked, winners and losers, best rank first',
      resolve: (i, _args, ctx) => ctx.modules.intents.bids(i.id),
    }),
    meta: t.field({ type: 'JSON', resolve: (i) => ({ auction_tier: i.auctionTier, api_key_id: i.apiKey.id, user_id: i.userId, sandbox: i.sandbox }) }),
  }),
});

const SubmitIntentInput = builder.inputType('SubmitIntentInput', {
  fields: (t) => ({
    text: t.string({ required: true, description: 'The natural-language task, 1 to 8,000 characters' }),
    domain: t.string({ description: 'Hint that boosts specialists of this domain, e.g. engineering, legal, devops' }),
    auctionTier: t.field({ type: AuctionTierEnum, description: 'standard (default) or shield (Pro and up)' }),
    webhookUrl: t.string({ description: 'HTTPS URL to POST the final receipt to (Enterprise)' }),
    webhook: t.field({ type: WebhookInput, description: 'Execution events to POST (Enterprise)' }),
    metadata: t.field({ type: 'JSON', description: 'Your own key-value pairs, returned in the receipt' }),
    idempotencyKey: t.string({ description: 'Retries with the same key return the same intent' }),
    bidWindowMs: t.int({ description: 'How long the bid window stays open (10 to 30000 ms)' }),
    selection: t.field({ type: SelectionCriteriaInput, description: 'Which agents may win (Mindra: selectionCriteria)' }),
  }),
});

builder.queryField('intent', (t) =>
  t.field({
    type: IntentRef,
    authScopes: { scope: 'intent_read' },
    args: {
      id: t.arg.id({ required: true }),
      waitMs: t.arg.int({ description: 'Long-poll: wait up to this many ms (max 300000) for a final status' }),
    },
    resolve: async (_root, { id, waitMs }, ctx) => {
      if (!waitMs || waitMs <= 0) return ctx.modules.intents.get(ctx.auth!, String(id));
      return ctx.modules.intents.waitForCompletion(ctx.auth!, String(id), Math.min(waitMs, MAX_WAIT_MS));
    },
  }),
);

builder.queryField('intents', (t) =>
  t.connection(
    {
      type: IntentRef,
      authScopes: { scope: 'intent_read' },
      description: "The caller's tenant's intents, newest first unless orderBy says otherwise",
      args: {
        status: t.arg({ type: IntentFilterStatusEnum }),
        domain: t.arg.string({ description: "The intent's domain hint or its winning agent's domain" }),
        createdAfter: t.arg({ type: 'DateTime', description: 'Created at or after this instant' }),
        createdBefore: t.arg({ type: 'DateTime', description: 'Created at or before this instant' }),
        orderBy: t.arg({ type: IntentOrderEnum }),
      },
      resolve: (_root, { status, domain, createdAfter, createdBefore, orderBy, ...args }, ctx) =>
        countedConnection(args, (page) => ctx.modules.intents.list(ctx.auth!, { status, domain, createdAfter, createdBefore, orderBy, ...page })),
    },
    totalCountField(),
  ),
);

builder.mutationField('submitIntent', (t) =>
  t.field({
    type: IntentRef,
    authScopes: { scope: 'intent_submit' },
    description:
      'Submits an intent to the auction; returns at once (status pending or later), or with waitMs once it is final. Follow it with intentEvents or intent(id).',
    args: {
      input: t.arg({ type: SubmitIntentInput, required: true }),
      waitMs: t.arg.int({ description: 'Wait up to this many ms (max 300000) for a final status before answering; absent or 0 answers at once' }),
    },
    resolve: (_root, { input, waitMs }, ctx) => ctx.modules.intents.submit(ctx.auth!, input, Math.min(Math.max(waitMs ?? 0, 0), MAX_WAIT_MS)),
  }),
);

builder.mutationField('cancelIntent', (t) =>
  t.field({
    type: IntentRef,
    authScopes: { scope: 'intent_submit' },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => ctx.modules.intents.cancel(ctx.auth!, String(id)),
  }),
);
