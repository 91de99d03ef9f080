import { builder } from '../../graphql/builder.js';
import { invalid } from '../../errors/app-error.js';
import { BidOutcomeEnum } from '../intents/intents.schema.js';
import type { StreamEvent } from './event-bus.js';

type P = Record<string, unknown>;
const str = (e: StreamEvent, k: string) => (e.payload[k] == null ? null : String(e.payload[k]));
const num = (e: StreamEvent, k: string) => (typeof e.payload[k] === 'number' ? (e.payload[k] as number) : null);

/** What `intentEvents` and `sessionEvents` return: any client may select these without a fragment per type. */
export const EventInterface = builder.interfaceRef<StreamEvent>('Event').implement({
  description: 'Common to every event of an intent',
  fields: (t) => ({
    seq: t.exposeInt('seq', { description: "Position in the intent's stream, from 1; resume with after: seq" }),
    intentId: t.id({ resolve: (e) => String(e.intentId) }),
    at: t.field({ type: 'DateTime', resolve: (e) => e.at }),
    type: t.exposeString('type'),
    payload: t.field({ type: 'JSON', description: 'The stored event as JSON (what the REST stream sends)', resolve: (e) => e.payload }),
  }),
});

/** One object type per event type, each matched on the stored `type`. */
function eventType(name: string, type: string, description: string, fields: (t: any) => Record<string, any>) {
  return builder.objectRef<StreamEvent>(name).implement({
    description,
    interfaces: [EventInterface],
    isTypeOf: (e) => (e as StreamEvent).type === type,
    fields,
  });
}

const RankingEntry = builder.objectRef<P>('RankingEntry').implement({
  fields: (t) => ({
    agent: t.string({ resolve: (r) => String(r.agent) }),
    score: t.float({ resolve: (r) => Number(r.score) }),
    eligible: t.boolean({ resolve: (r) => Boolean(r.eligible) }),
  }),
});

export const BidPlaced = eventType('BidPlaced', 'bid', 'An agent answered the call for bids (or did not: see outcome)', (t) => ({
  agent: t.string({ description: 'Agent slug', resolve: (e: StreamEvent) => String(e.payload.agent) }),
  name: t.string({ resolve: (e: StreamEvent) => String(e.payload.name) }),
  emoji: t.string({ resolve: (e: StreamEvent) => String(e.payload.emoji) }),
  domain: t.string({ nullable: true, resolve: (e: StreamEvent) => str(e, 'domain') }),
  outcome: t.string({ description: 'bid, declined, unavailable, timed_out or failed', resolve: (e: StreamEvent) => String(e.payload.outcome) }),
  confidence: t.float({ nullable: true, resolve: (e: StreamEvent) => num(e, 'confidence') }),
  reasoning: t.string({ nullable: true, resolve: (e: StreamEvent) => str(e, 'reasoning') }),
  estimatedCostUsd: t.float({ nullable: true, resolve: (e: StreamEvent) => num(e, 'estimatedCostUsd') }),
  latencyMs: t.float({ resolve: (e: StreamEvent) => num(e, 'latencyMs') ?? 0 }),
}));

const eventTypes = [
  eventType('IntentCreated', 'created', 'The intent was accepted', (t) => ({
    text: t.string({ resolve: (e: StreamEvent) => String(e.payload.text) }),
    domain: t.string({ nullable: true, resolve: (e: StreamEvent) => str(e, 'domain') }),
    auctionTier: t.string({ resolve: (e: StreamEvent) => String(e.payload.auctionTier) }),
    sandbox: t.boolean({ resolve: (e: StreamEvent) => Boolean(e.payload.sandbox) }),
  })),
  BidPlaced,
  eventType('AuctionClosed', 'auction_closed', 'The bid window closed; the ranking decides who executes', (t) => ({
    winner: t.string({ nullable: true, resolve: (e: StreamEvent) => str(e, 'winner') }),
    bids: t.int({ resolve: (e: StreamEvent) => num(e, 'bids') ?? 0 }),
    asked: t.int({ resolve: (e: StreamEvent) => num(e, 'asked') ?? 0 }),
    ranking: t.field({ type: [RankingEntry], description: 'The top ten', resolve: (e: StreamEvent) => (e.payload.ranking as P[]) ?? [] }),
  })),
  eventType('ExecutionStarted', 'execution_started', 'An agent started executing', (t) => ({
    agent: t.string({ resolve: (e: StreamEvent) => String(e.payload.agent) }),
    name: t.string({ resolve: (e: StreamEvent) => String(e.payload.name) }),
  })),
  eventType('ResultChunk', 'chunk', 'Output as the executing agent produces it', (t) => ({
    agent: t.string({ resolve: (e: StreamEvent) => String(e.payload.agent) }),
    text: t.string({ resolve: (e: StreamEvent) => String(e.payload.text) }),
  })),
  eventType('Verification', 'verification', 'Shield tier: a verifier judged the result', (t) => ({
    agent: t.string({ resolve: (e: StreamEvent) => String(e.payload.agent) }),
    accepted: t.boolean({ resolve: (e: StreamEvent) => Boolean(e.payload.accepted) }),
    reason: t.string({ nullable: true, resolve: (e: StreamEvent) => str(e, 'reason') }),
  })),
  eventType('Failover', 'failover', 'The executing agent failed or was rejected; the next bidder takes over', (t) => ({
    from: t.string({ resolve: (e: StreamEvent) => String(e.payload.from) }),
    to: t.string({ resolve: (e: StreamEvent) => String(e.payload.to) }),
    reason: t.string({ resolve: (e: StreamEvent) => String(e.payload.reason) }),
  })),
  eventType('IntentCompleted', 'completed', 'Final: the receipt', (t) => ({
    result: t.string({ nullable: true, resolve: (e: StreamEvent) => str(e, 'result') }),
    winner: t.string({ nullable: true, resolve: (e: StreamEvent) => str(e, 'winner') }),
    inputTokens: t.int({ resolve: (e: StreamEvent) => num(e, 'inputTokens') ?? 0 }),
    outputTokens: t.int({ resolve: (e: StreamEvent) => num(e, 'outputTokens') ?? 0 }),
    costUsd: t.float({ resolve: (e: StreamEvent) => num(e, 'costUsd') ?? 0 }),
    promotions: t.int({ resolve: (e: StreamEvent) => num(e, 'promotions') ?? 0 }),
  })),
  eventType('IntentFailed', 'failed', 'Final: no result', (t) => ({
    code: t.string({ resolve: (e: StreamEvent) => String(e.payload.errorCode ?? 'failed') }),
    message: t.string({ resolve: (e: StreamEvent) => String(e.payload.errorMessage ?? '') }),
  })),
  eventType('IntentCancelled', 'cancelled', 'Final: cancelled by the caller', (t) => ({
    reason: t.string({ resolve: (e: StreamEvent) => String(e.payload.reason ?? '') }),
  })),
];

// Referenced here so that every event type is in the schema: fields return the interface.
void eventTypes;

builder.subscriptionField('intentEvents', (t) =>
  t.field({
    type: EventInterface,
    description: "An intent's events: first those after `after` that already happened, then live ones; completes after the final event",
    authScopes: { scope: 'intent_read' },
    args: {
      intentId: t.arg.id({ required: true }),
      after: t.arg.int({ description: 'Last sequence number seen (default 0: from the start)' }),
    },
    subscribe: async (_root, { intentId, after }, ctx) => {
      if (after != null && after < 0) throw invalid('after must be 0 or more', 'after');
      const intent = await ctx.modules.intents.get(ctx.auth!, String(intentId)); // another tenant's id: NOT_FOUND
      return ctx.modules.feeds.intentEvents(ctx.auth!, intent.id, after ?? 0);
    },
    resolve: (event) => event,
  }),
);

builder.subscriptionField('bidFeed', (t) =>
  t.field({
    type: BidPlaced,
    description: "Every bid on the caller's tenant's intents, live",
    authScopes: { scope: 'intent_read' },
    args: {
      domain: t.arg.string({ description: "Only bids of this domain's agents" }),
      outcome: t.arg({ type: [BidOutcomeEnum], description: 'Only bids with one of these outcomes (e.g. [bid] leaves out declined agents)' }),
    },
    subscribe: (_root, { domain, outcome }, ctx) => ctx.modules.feeds.bidFeed(ctx.auth!, domain, outcome),
    resolve: (event, _args, ctx) => {
      ctx.modules.feeds.delivered('bidFeed');
      return event;
    },
  }),
);
