import { invalid } from '../../errors/app-error.js';
import {
  RestAgentDocument,
  RestAgentsDocument,
  RestCreateAgentDocument,
  RestUpdateAgentDocument,
  type AgentFieldsFragment,
  type AgentKind,
} from '../../generated/graphql.js';
import { route, type RestRequest } from '../route.js';

/** Octavus: the agents API; success bodies are the data itself, not wrapped. */
export const octavusRoutes = [
  route({
    method: 'GET',
    path: '/api/agents',
    document: RestAgentsDocument,
    public: true,
    variables: (req) => {
      const kind = req.query.get('kind');
      if (kind !== null && !['tool', 'llm', 'http'].includes(kind)) throw invalid('kind must be tool, llm or http', 'kind');
      return { domain: req.query.get('domain'), kind: kind as AgentKind | null };
    },
    result: ({ agents }) => ({ body: agents.map(agentBody) }),
  }),
  route({
    method: 'GET',
    path: '/api/agents/:id',
    document: RestAgentDocument,
    public: true,
    variables: (req) => ({ id: req.params.id! }),
    result: ({ agent }) => ({ body: agentBody(agent) }),
  }),
  route({
    method: 'POST',
    path: '/api/agents',
    document: RestCreateAgentDocument,
    variables: (req) => ({ input: camelInput(req) as never }),
    result: ({ createAgent }) => ({ status: 201, body: agentBody(createAgent) }),
  }),
  route({
    method: 'PATCH',
    path: '/api/agents/:id',
    document: RestUpdateAgentDocument,
    variables: (req) => ({ id: req.params.id!, input: camelInput(req) as never }),
    result: ({ updateAgent }) => ({ body: agentBody(updateAgent) }),
  }),
];

function agentBody(a: AgentFieldsFragment) {
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

/** Accepts snake_case or camelCase keys; GraphQL input validation does the rest. */
function camelInput(req: RestRequest): Record<string, unknown> {
  if (typeof req.body !== 'object' || req.body === null || Array.isArray(req.body)) throw invalid('Request body must be a JSON object');
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(req.body)) {
    const camel = key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()).replace(/Mtok$/, 'MTok');
    out[camel] = value;
  }
  return out;
}
