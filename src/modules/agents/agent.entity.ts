import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { AgentKind } from './types.js';

export const Agent = defineEntity({
  name: 'Agent',
  tableName: 'agents',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => crypto.randomUUID()),
    slug: p.string().length(80).unique(),
    name: p.string().length(120),
    emoji: p.string().length(16),
    domain: p.string().length(40).index(),
    skills: p.array().$type<string[]>(),
    description: p.text(),
    version: p.string().length(32),
    kind: p.enum(() => ['tool', 'llm', 'http']).$type<AgentKind>(),
    priceInputPerMTok: p.double().$type<number>(),
    priceOutputPerMTok: p.double().$type<number>(),
    tool: p.string().length(40).nullable(),
    systemPrompt: p.text().nullable(),
    model: p.string().length(80).nullable(),
    endpoint: p.string().length(500).nullable(),
    /*
     * HTTP agents: the secret the gateway signs this agent's calls with, and the one it
     * replaced while its grace window lasts. Kept as written, not hashed, because the
     * gateway must compute HMACs with it. Never shown after creation: GraphQL types and
     * REST bodies name their fields, and nothing serialises entities wholesale. (Not
     * `.hidden()`: in defineEntity that drops the nullability from the inferred type.)
     * Null on an HTTP agent registered before per-agent secrets: it signs with the
     * legacy GAVEL_AGENT_SECRET until its secret is rotated.
     */
    signingSecret: p.string().length(80).nullable(),
    previousSigningSecret: p.string().length(80).nullable(),
    previousSecretExpiresAt: p.datetime().nullable(),
    active: p.boolean().default(true),
    /** From the shipped catalog (re-synced on start) or registered by an operator. */
    source: p.enum(() => ['catalog', 'operator']).$type<'catalog' | 'operator'>(),
    /** Hash of the catalog entry last written. */
    catalogHash: p.string().length(64).nullable(),
    /** When an operator last edited the row. */
    editedAt: p.datetime().nullable(),
    /** The fields an operator set (`description`, `active`, …): a catalog sync leaves these alone and follows the catalog in the rest. */
    operatorEdits: p.array().$type<string[]>().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
export type Agent = InferEntity<typeof Agent>;
