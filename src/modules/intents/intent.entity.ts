import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Agent } from '../agents/agent.entity.js';
import { ApiKey } from '../keys/api-key.entity.js';
import { Batch } from '../batches/batch.entity.js';
import { Tenant } from '../tenants/tenant.entity.js';

export const INTENT_STATUSES = ['pending', 'bidding', 'executing', 'verifying', 'completed', 'failed', 'cancelled'] as const;
export type IntentStatus = (typeof INTENT_STATUSES)[number];
export const TERMINAL_STATUSES: readonly IntentStatus[] = ['completed', 'failed', 'cancelled'];
export const AUCTION_TIERS = ['standard', 'shield'] as const;
export type AuctionTier = (typeof AUCTION_TIERS)[number];

/** A Mindra-style webhook subscription carried by an intent. */
export interface IntentWebhook {
  url: string;
  events: string[];
  /** The receiver's own signing secret; GAVEL_WEBHOOK_SECRET when absent. */
  secret?: string | null;
}

/**
 * Which agents an intent's auction may pick from (Mindra's `selectionCriteria`): only
 * these domains, only agents holding every one of these skills, at most `maxAgents` of
 * them executing (the winner and its failovers), and a confidence bar above the
 * gateway's own (never below it: a client cannot make an unsure agent win).
 */
export interface SelectionCriteria {
  domains?: string[];
  skills?: string[];
  maxAgents?: number;
  minConfidence?: number;
}

/** One execution attempt of the failover chain, as the receipt records it. */
export interface AttemptRecord {
  agent: string;
  outcome: 'succeeded' | 'failed' | 'timed_out' | 'rejected';
  error?: string;
  startedAt: string;
  finishedAt: string;
}

/** How a list of intents is ordered: a column and a direction. */
export const INTENT_ORDERS = ['created_at_desc', 'created_at_asc', 'completed_at_desc', 'completed_at_asc', 'cost_desc', 'cost_asc'] as const;
export type IntentOrder = (typeof INTENT_ORDERS)[number];

export const Intent = defineEntity({
  name: 'Intent',
  tableName: 'intents',
  properties: {
    // Integer ids, as the reference API shows them (`"id": 12847`).
    id: p.integer().primary().autoincrement(),
    tenant: () => p.manyToOne(Tenant).deleteRule('cascade'),
    apiKey: () => p.manyToOne(ApiKey).deleteRule('cascade'),
    userId: p.integer(),
    text: p.text(),
    domain: p.string().length(40).nullable(),
    auctionTier: p.enum(() => [...AUCTION_TIERS]).$type<AuctionTier>(),
    status: p.enum(() => [...INTENT_STATUSES]).$type<IntentStatus>(),
    sandbox: p.boolean().default(false),
    metadata: p.json<Record<string, unknown>>().nullable(),
    webhookUrl: p.string().length(2000).nullable(),
    /** Mindra-style event subscription: { url, events, secret? }. */
    webhook: p.json<IntentWebhook>().nullable(),
    /** Which agents the auction may pick from; null: every agent. */
    selection: p.json<SelectionCriteria>().nullable(),
    /** Set when the intent was submitted as part of a batch. */
    batch: () => p.manyToOne(Batch).nullable().index().deleteRule('set null'),
    /** Prepaid tenants: what admission held of the wallet for this intent, in micro-USD. */
    holdMicros: p.bigint('number').default(0),
    idempotencyKey: p.string().length(255).nullable(),
    /** SHA-256 of the request an idempotency key was first used with. */
    idempotencyFingerprint: p.string().length(64).nullable(),
    bidWindowMs: p.integer(),
    /** A direct call (a session's turn): the slug of the agent that runs it, with no auction. */
    directAgent: p.string().length(100).nullable(),
    result: p.text().nullable(),
    errorCode: p.string().length(40).nullable(),
    errorMessage: p.text().nullable(),
    winningAgent: () => p.manyToOne(Agent).nullable().deleteRule('set null'),
    /** The winner as it was when it delivered: a receipt keeps its name, emoji and domain when the agent is edited later. */
    winningAgentProfile: p.json<{ name: string; emoji: string; domain: string }>().nullable(),
    winningConfidence: p.double().$type<number>().nullable(),
    winningReasoning: p.text().nullable(),
    attempts: p.json<AttemptRecord[]>().default('[]'),
    promotions: p.integer().default(0),
    /** Last sequence number given to one of this intent's events (see events/). */
    eventSeq: p.integer().default(0),
    inputTokens: p.integer().default(0),
    outputTokens: p.integer().default(0),
    costUsd: p.double().$type<number>().default(0),
    createdAt: p.datetime().onCreate(() => new Date()),
    biddingStartedAt: p.datetime().nullable(),
    auctionClosedAt: p.datetime().nullable(),
    executionStartedAt: p.datetime().nullable(),
    completedAt: p.datetime().nullable(),
  },
  indexes: [{ properties: ['tenant', 'createdAt'] }, { properties: ['status', 'createdAt'] }],
  uniques: [{ properties: ['tenant', 'idempotencyKey'] }],
});
export type Intent = InferEntity<typeof Intent>;

export const BID_OUTCOMES = ['bid', 'declined', 'unavailable', 'timed_out', 'failed'] as const;
export type BidOutcome = (typeof BID_OUTCOMES)[number];

/**
 * Every agent asked leaves one bid row, winners and losers alike. Written in one batch per
 * auction. The row is also the intent's `bid` event: `seq` is its place in the intent's
 * event stream, so a bid is stored once, not again in intent_events.
 *
 * No foreign-key constraints: checking them is two index probes per row, most of what a
 * 201-row insert costs. Integrity holds without them: bids are only written by the event
 * log in the statement that updates their intent (no intent row, no bids), their agents
 * come from the synced catalog, and neither intents nor agents are ever deleted (agents
 * are retired), like intent_events, which never had one.
 */
export const Bid = defineEntity({
  name: 'Bid',
  tableName: 'bids',
  properties: {
    // Keyed by (intent, seq): the one index an auction's 201 inserts maintain, and the
    // order every read wants (an intent's bids; its event stream after a seq).
    intent: () => p.manyToOne(Intent).createForeignKeyConstraint(false).primary(),
    agent: () => p.manyToOne(Agent).createForeignKeyConstraint(false),
    outcome: p.enum(() => [...BID_OUTCOMES]).$type<BidOutcome>(),
    confidence: p.double().$type<number>().nullable(),
    score: p.double().$type<number>().nullable(),
    reasoning: p.text().nullable(),
    estimatedCostUsd: p.double().$type<number>().nullable(),
    latencyMs: p.double().$type<number>(),
    rank: p.integer().nullable(),
    eligible: p.boolean().default(false),
    won: p.boolean().default(false),
    /** Position in the intent's event stream (below zero on rows stored before bids were events). */
    seq: p.integer().primary(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type Bid = InferEntity<typeof Bid>;
