import { gql } from './http.js';

export interface HttpAgentSpec {
  slug: string;
  endpoint: string;
  domain?: string;
  name?: string;
  emoji?: string;
  skills?: string[];
  description?: string;
  /** USD per million input and output tokens. */
  price?: [number, number];
}

/** Registers an HTTP agent with an operator key; throws with the GraphQL errors when refused. */
export async function registerHttpAgent(baseUrl: string, key: string, agent: HttpAgentSpec): Promise<void> {
  const [priceInputPerMTok, priceOutputPerMTok] = agent.price ?? [1, 1];
  const input = {
    slug: agent.slug,
    kind: 'http',
    name: agent.name ?? agent.slug,
    emoji: agent.emoji ?? '🧪',
    domain: agent.domain ?? 'research',
    skills: agent.skills ?? [agent.slug],
    description: agent.description ?? `${agent.slug} test agent`,
    version: '1.0.0',
    priceInputPerMTok,
    priceOutputPerMTok,
    endpoint: agent.endpoint,
  };
  const created = await gql(baseUrl, 'mutation($input: CreateAgentInput!) { createAgent(input: $input) { slug } }', { input }, key);
  if (created.body.errors) throw new Error(`registering ${agent.slug}: ${JSON.stringify(created.body.errors)}`);
}
