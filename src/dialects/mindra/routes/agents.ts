import { z } from 'zod/v4';
import {
  RestAgentDocument,
  RestAgentsDocument,
  RestCreateAgentDocument,
  RestUpdateAgentDocument,
  type AgentFieldsFragment,
  type UpdateAgentInput,
} from '../../../generated/graphql.js';
import { defineRoute, graphqlEnum, idFromPath } from '../../kit/index.js';
import { listOf, pageOfList, pageQuery } from '../paging.js';

const AgentSchema = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  description: z.string(),
  vertical: z.string(),
  capabilities: z.array(z.string()),
  version: z.string(),
  type: graphqlEnum<AgentFieldsFragment['kind']>()(['tool', 'llm', 'http']),
  status: z.enum(['active', 'inactive', 'unavailable']).describe('unavailable: active, but it cannot run here (e.g. no LLM provider)'),
  unavailableReason: z.string().nullable(),
  pricing: z.object({
    model: z.literal('per_token'),
    basePrice: z.number().describe('USD per million output tokens'),
    inputPerMTok: z.number(),
    outputPerMTok: z.number(),
    currency: z.literal('USD'),
  }),
  stats: z.object({ bids: z.number().int(), wins: z.number().int(), winRate: z.number() }),
});

function agentBody(a: AgentFieldsFragment): z.output<typeof AgentSchema> {
  return {
    id: a.id,
    slug: a.slug,
    name: a.name,
    description: a.description,
    vertical: a.domain,
    capabilities: a.skills,
    version: a.version,
    type: a.kind,
    status: !a.active ? 'inactive' : a.available ? 'active' : 'unavailable',
    unavailableReason: a.unavailableReason,
    pricing: {
      model: 'per_token',
      basePrice: a.price.outputPerMTok,
      inputPerMTok: a.price.inputPerMTok,
      outputPerMTok: a.price.outputPerMTok,
      currency: 'USD',
    },
    stats: a.stats,
  };
}

/**
 * Gavel prices agents per token: `basePrice` is USD per million tokens, input and output
 * alike unless `inputPerMTok`/`outputPerMTok` say otherwise. Another pricing model is
 * refused, not approximated.
 */
const PricingSchema = z.object(
  {
    model: z.literal('per_token', { error: 'pricing.model: Gavel prices agents per_token (USD per million tokens)' }).optional(),
    basePrice: z.number({ error: 'pricing.basePrice must be a number' }).min(0).max(10_000).optional(),
    inputPerMTok: z.number().min(0).max(10_000).optional(),
    outputPerMTok: z.number().min(0).max(10_000).optional(),
  },
  { error: 'pricing must be an object' },
);

/**
 * Mindra's `config{timeout, retries}` asks for per-agent execution limits that Gavel does
 * not keep (the gateway's GAVEL_EXECUTION_TIMEOUT_MS applies to every agent, and a failed
 * agent fails over to the next bidder rather than being retried): refused, never ignored.
 */
const NoConfig = z
  .undefined({
    error: 'config (timeout, retries) is not supported: every agent runs within the gateway execution timeout, and a failure fails over to the next bidder',
  })
  .optional();

const profile = {
  name: z.string({ error: 'name must be a string' }),
  description: z.string({ error: 'description must be a string' }),
  vertical: z.string({ error: 'vertical must be a string' }),
  capabilities: z.array(z.string(), { error: 'capabilities must be an array of strings' }),
  version: z.string({ error: 'version must be a string' }),
  emoji: z.string().optional(),
  endpoint: z.string().optional().describe('HTTP agents: base URL implementing docs/agent-protocol.md'),
  systemPrompt: z.string().optional().describe('LLM agents: their system prompt'),
  model: z.string().optional().describe('LLM agents: the model'),
  status: z.enum(['active', 'inactive'], { error: 'status must be active or inactive' }).optional(),
  pricing: PricingSchema.optional(),
  config: NoConfig,
};
const objectError = { error: 'Request body must be a JSON object' };
const CreateBody = z.object(
  { ...profile, slug: z.string({ error: 'slug is required' }), type: z.enum(['llm', 'http'], { error: 'type must be llm or http' }) },
  objectError,
);
const UpdateBody = z.object(profile, objectError).partial();

type Pricing = z.output<typeof PricingSchema>;
const prices = (p: Pricing | undefined) =>
  p
    ? { priceInputPerMTok: p.inputPerMTok ?? p.basePrice, priceOutputPerMTok: p.outputPerMTok ?? p.basePrice }
    : { priceInputPerMTok: undefined, priceOutputPerMTok: undefined };

function agentChanges(body: z.output<typeof UpdateBody>): UpdateAgentInput {
  const { priceInputPerMTok, priceOutputPerMTok } = prices(body.pricing);
  const input: UpdateAgentInput = {
    name: body.name,
    description: body.description,
    domain: body.vertical,
    skills: body.capabilities,
    version: body.version,
    emoji: body.emoji,
    endpoint: body.endpoint,
    systemPrompt: body.systemPrompt,
    model: body.model,
    active: body.status === undefined ? undefined : body.status === 'active',
    priceInputPerMTok,
    priceOutputPerMTok,
  };
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
}

const ListQuery = z.object({ ...pageQuery, vertical: z.string().optional().describe("Only this vertical's agents") });

/** Mindra's agents: the roster, by vertical and paginated; registration and update for operator keys with agents:write. */
export const agentRoutes = [
  defineRoute({
    method: 'GET',
    path: '/agents',
    summary: 'The agents that bid, by vertical, paginated',
    document: RestAgentsDocument,
    query: ListQuery,
    variables: ({ query }) => ({ domain: query.vertical?.toLowerCase() ?? null, kind: null }),
    // The roster is held in memory: the page is cut from it.
    result: ({ agents }, { query }) => ({ body: pageOfList(agents, query, agentBody) }),
    responses: { 200: { description: 'A page of agents', schema: listOf(AgentSchema) } },
  }),
  defineRoute({
    method: 'GET',
    path: '/agents/:id',
    summary: 'One agent, by id or slug',
    document: RestAgentDocument,
    params: z.object({ id: z.string() }),
    variables: idFromPath,
    result: ({ agent }) => ({ body: agentBody(agent) }),
    responses: { 200: { description: 'The agent', schema: AgentSchema } },
  }),
  defineRoute({
    method: 'POST',
    path: '/agents',
    summary: 'Registers an LLM or HTTP agent (operator keys with agents:write)',
    document: RestCreateAgentDocument,
    body: CreateBody.refine((b) => b.pricing?.basePrice !== undefined || (b.pricing?.inputPerMTok !== undefined && b.pricing.outputPerMTok !== undefined), {
      error: 'pricing.basePrice (USD per million tokens) is required',
      path: ['pricing'],
    }),
    variables: ({ body }) => {
      const { priceInputPerMTok, priceOutputPerMTok } = prices(body.pricing);
      return {
        input: {
          ...agentChanges(body),
          slug: body.slug,
          kind: body.type,
          name: body.name,
          description: body.description,
          domain: body.vertical,
          skills: body.capabilities,
          version: body.version,
          emoji: body.emoji ?? '🤖',
          priceInputPerMTok: priceInputPerMTok!,
          priceOutputPerMTok: priceOutputPerMTok!,
        },
      };
    },
    result: ({ createAgent }) => ({ status: 201, body: { ...agentBody(createAgent.agent), signingSecret: createAgent.signingSecret ?? null } }),
    responses: {
      201: {
        description: 'Registered; an HTTP agent signing secret is in this answer only',
        schema: AgentSchema.extend({ signingSecret: z.string().nullable() }),
      },
    },
  }),
  defineRoute({
    method: 'PATCH',
    path: '/agents/:id',
    summary: 'Changes an agent (operator keys with agents:write)',
    document: RestUpdateAgentDocument,
    params: z.object({ id: z.string() }),
    body: UpdateBody,
    variables: ({ params, body }) => ({ id: params.id, input: agentChanges(body) }),
    result: ({ updateAgent }) => ({ body: agentBody(updateAgent) }),
    responses: { 200: { description: 'The agent as it is now', schema: AgentSchema } },
  }),
];
