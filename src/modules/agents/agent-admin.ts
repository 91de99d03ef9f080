import type { MikroORM } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { AppError, invalid, notFound } from '../../errors/app-error.js';
import type { Agent } from './agent.entity.js';
import { agentByIdOrSlug, agentBySlug, newAgent } from './agent.store.js';
import type { AgentRegistry } from './agent-registry.js';

const slug = z.string().regex(/^[a-z0-9][a-z0-9-]{1,79}$/, 'lowercase letters, digits and dashes, 2 to 80 characters');
const agentFields = {
  name: z.string().trim().min(1).max(120),
  emoji: z.string().min(1).max(16),
  domain: z.string().regex(/^[a-z][a-z0-9_-]{0,39}$/, 'a short lowercase word'),
  skills: z.array(z.string().trim().min(1).max(60)).min(1).max(20),
  description: z.string().trim().min(1).max(2_000),
  version: z.string().trim().min(1).max(32),
  priceInputPerMTok: z.number().min(0).max(10_000),
  priceOutputPerMTok: z.number().min(0).max(10_000),
  systemPrompt: z.string().max(8_000).nullish(),
  model: z.string().max(80).nullish(),
  endpoint: z
    .string()
    .url()
    .refine((u) => ['http:', 'https:'].includes(new URL(u).protocol), 'must be an http(s) URL')
    .nullish(),
  active: z.boolean().optional(),
};
const createSchema = z
  .object({ slug, kind: z.enum(['llm', 'http']), ...agentFields })
  .refine((a) => (a.kind === 'http' ? !!a.endpoint : !!a.systemPrompt), 'an http agent needs an endpoint; an llm agent needs a systemPrompt');
const updateSchema = z.object(agentFields).partial();

export type CreateAgentInput = z.input<typeof createSchema>;
export type UpdateAgentInput = z.input<typeof updateSchema>;

/**
 * Operators register external (HTTP) and LLM agents and edit any agent. An edited
 * catalog agent keeps the fields edited when the shipped catalog is synced again.
 */
export class AgentAdmin {
  constructor(
    private readonly orm: MikroORM,
    private readonly registry: AgentRegistry,
  ) {}

  async create(input: CreateAgentInput): Promise<Agent> {
    const data = parse(createSchema, input);
    const em = this.orm.em.fork();
    if (await agentBySlug(em, data.slug)) throw new AppError('CONFLICT', `An agent with slug ${data.slug} exists`);
    const agent = newAgent(em, {
      ...data,
      systemPrompt: data.systemPrompt ?? null,
      model: data.model ?? null,
      endpoint: data.endpoint ?? null,
      tool: null,
      active: data.active ?? true,
      source: 'operator',
      catalogHash: null,
      editedAt: new Date(),
      operatorEdits: null,
    });
    await em.flush();
    await this.registry.reload();
    return agent;
  }

  async update(idOrSlug: string, input: UpdateAgentInput): Promise<Agent> {
    const data = parse(updateSchema, input);
    const em = this.orm.em.fork();
    const agent = await agentByIdOrSlug(em, idOrSlug);
    if (!agent) throw notFound('Agent');
    // The fields set here are the operator's from now on: a catalog sync leaves them alone.
    const set = Object.entries(data).flatMap(([field, value]) => (value === undefined ? [] : [field]));
    em.assign(agent, { ...data, editedAt: new Date(), operatorEdits: [...new Set([...(agent.operatorEdits ?? []), ...set])] });
    await em.flush();
    await this.registry.reload();
    return agent;
  }
}

function parse<T extends z.ZodTypeAny>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw invalid(`${issue.path.join('.') || 'input'}: ${issue.message}`, issue.path.join('.') || undefined);
}
