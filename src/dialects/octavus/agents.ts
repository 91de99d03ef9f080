import { z } from 'zod/v4';
import {
  RestAgentDocument,
  RestAgentsDocument,
  RestCreateAgentDocument,
  RestUpdateAgentDocument,
  type AgentFieldsFragment,
  type AgentKind,
} from '../../generated/graphql.js';
import { defineRoute, idFromPath, graphqlEnum } from '../kit/index.js';

const Kind = graphqlEnum<AgentKind>()(['tool', 'llm', 'http'], { error: 'kind must be tool, llm or http' });

/** What an agent says about itself, in its body and in what may change on it. */
const profile = {
  name: z.string(),
  emoji: z.string(),
  domain: z.string(),
  skills: z.array(z.string()),
  description: z.string(),
  version: z.string(),
};

const AgentSchema = z.object({
  id: z.string(),
  slug: z.string(),
  ...profile,
  kind: Kind,
  active: z.boolean(),
  available: z.boolean().describe('false: it cannot run here (e.g. an LLM agent with no provider configured)'),
  unavailable_reason: z.string().nullable(),
  price: z.object({ input_per_mtok: z.number(), output_per_mtok: z.number() }),
  stats: z.object({ bids: z.number().int(), wins: z.number().int(), win_rate: z.number() }),
});

/** The answer to a create: the agent, and an HTTP agent's signing secret, which no later read shows. */
const CreatedAgentSchema = AgentSchema.extend({
  signing_secret: z
    .string()
    .nullable()
    .describe('HTTP agents: the secret its calls are signed with (docs/agent-protocol.md), shown this once; null for LLM agents'),
});

/** What may change on an agent; camelCase, as the GraphQL input names it (snake_case is accepted too). */
const agentFields = {
  ...profile,
  active: z.boolean().nullish(),
  endpoint: z.string().nullish().describe('HTTP agents: base URL implementing docs/agent-protocol.md'),
  model: z.string().nullish().describe('LLM agents: model override'),
  systemPrompt: z.string().nullish().describe('LLM agents: their system prompt'),
  priceInputPerMTok: z.number().describe('USD per million input tokens'),
  priceOutputPerMTok: z.number().describe('USD per million output tokens'),
};
const objectError = { error: 'Request body must be a JSON object' };
const CreateAgentBody = z.object({ ...agentFields, slug: z.string(), kind: graphqlEnum<AgentKind>()(['tool', 'llm', 'http']) }, objectError);
const UpdateAgentBody = z.object(agentFields, objectError).partial();

function agentBody(a: AgentFieldsFragment): z.output<typeof AgentSchema> {
  return {
    id: a.id,
    slug: a.slug,
    name: a.name,
    emoji: a.emoji,
    domain: a.domain,
    skills: a.skills,
    description: a.description,
    version: a.version,
    kind: a.kind,
    active: a.active,
    available: a.available,
    unavailable_reason: a.unavailableReason,
    price: { input_per_mtok: a.price.inputPerMTok, output_per_mtok: a.price.outputPerMTok },
    stats: { bids: a.stats.bids, wins: a.stats.wins, win_rate: a.stats.winRate },
  };
}

/** `price_input_per_mtok` → `priceInputPerMTok`: snake_case clients are served too. */
function camelKeys(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()).replace(/Mtok$/, 'MTok'), v]));
}

const IdParams = z.object({ id: z.string() });

export const agentRoutes = [
  defineRoute({
    method: 'GET',
    path: '/agents',
    summary: 'The agents that bid (no key needed)',
    document: RestAgentsDocument,
    public: true,
    query: z.object({ domain: z.string().optional(), kind: Kind.optional() }),
    variables: ({ query }) => ({ domain: query.domain ?? null, kind: query.kind ?? null }),
    result: ({ agents }) => ({ body: agents.map(agentBody) }),
    responses: { 200: { description: 'The agents', schema: z.array(AgentSchema) } },
  }),
  defineRoute({
    method: 'GET',
    path: '/agents/:id',
    summary: 'One agent, by id or slug',
    document: RestAgentDocument,
    public: true,
    params: IdParams,
    variables: idFromPath,
    result: ({ agent }) => ({ body: agentBody(agent) }),
    responses: { 200: { description: 'The agent', schema: AgentSchema } },
  }),
  defineRoute({
    method: 'POST',
    path: '/agents',
    summary: 'Registers an LLM or HTTP agent (operator keys)',
    document: RestCreateAgentDocument,
    normalizeBody: camelKeys,
    body: CreateAgentBody,
    variables: ({ body }) => ({ input: body }),
    result: ({ createAgent }) => ({ status: 201, body: { ...agentBody(createAgent.agent), signing_secret: createAgent.signingSecret ?? null } }),
    errors: [409],
    responses: { 201: { description: 'Created', schema: CreatedAgentSchema } },
  }),
  defineRoute({
    method: 'PATCH',
    path: '/agents/:id',
    summary: 'Changes an agent (operator keys)',
    document: RestUpdateAgentDocument,
    params: IdParams,
    normalizeBody: camelKeys,
    body: UpdateAgentBody,
    variables: ({ params, body }) => ({ id: params.id, input: body }),
    result: ({ updateAgent }) => ({ body: agentBody(updateAgent) }),
    responses: { 200: { description: 'The agent as it is now', schema: AgentSchema } },
  }),
];
