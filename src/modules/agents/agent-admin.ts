import type { MikroORM } from '@mikro-orm/postgresql';
import { z } from 'zod';
import type { Config } from '../../config/config.js';
import { AppError, invalid, notFound } from '../../errors/app-error.js';
import { hostProblem } from '../../lib/public-address.js';
import type { Agent } from './agent.entity.js';
import { agentByIdOrSlug, agentBySlug, newAgent } from './agent.store.js';
import type { AgentRegistry } from './agent-registry.js';
import { DEFAULT_SECRET_GRACE_SECONDS, MAX_SECRET_GRACE_SECONDS, newSigningSecret } from './agent-secrets.js';

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

/** A registered agent and, for an HTTP agent, its signing secret: shown this once, never again. */
export interface CreatedAgent {
  agent: Agent;
  signingSecret: string | null;
}

export interface RotatedSecret {
  agent: Agent;
  signingSecret: string;
  /** Until when calls are also signed with the secret it replaced; null: not at all. */
  previousSecretValidUntil: Date | null;
}

/**
 * Operators register external (HTTP) and LLM agents and edit any agent. An edited
 * catalog agent keeps the fields edited when the shipped catalog is synced again.
 */
export class AgentAdmin {
  constructor(
    private readonly orm: MikroORM,
    private readonly registry: AgentRegistry,
    private readonly config: Pick<Config, 'agents'>,
  ) {}

  async create(input: CreateAgentInput): Promise<CreatedAgent> {
    const data = parse(createSchema, input);
    if (data.endpoint) this.checkEndpoint(data.endpoint);
    const em = this.orm.em.fork();
    if (await agentBySlug(em, data.slug)) throw new AppError('CONFLICT', `An agent with slug ${data.slug} exists`);
    const signingSecret = data.kind === 'http' ? newSigningSecret() : null;
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
      signingSecret,
      previousSigningSecret: null,
      previousSecretExpiresAt: null,
    });
    await em.flush();
    await this.registry.reload();
    return { agent, signingSecret };
  }

  async update(idOrSlug: string, input: UpdateAgentInput): Promise<Agent> {
    const data = parse(updateSchema, input);
    if (data.endpoint) this.checkEndpoint(data.endpoint);
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

  /**
   * Gives an HTTP agent a new signing secret. For `graceSeconds` its calls carry a second
   * signature, made with the secret it replaced (its own, or the legacy shared one), so
   * the agent can move to the new secret without refusing a call; 0 ends the old one at
   * once (a leaked secret). A rotation during a grace window ends the earlier window.
   */
  async rotateSecret(idOrSlug: string, graceSeconds = DEFAULT_SECRET_GRACE_SECONDS): Promise<RotatedSecret> {
    if (!Number.isInteger(graceSeconds) || graceSeconds < 0 || graceSeconds > MAX_SECRET_GRACE_SECONDS) {
      throw invalid(`graceSeconds must be a whole number from 0 to ${MAX_SECRET_GRACE_SECONDS}`, 'graceSeconds');
    }
    const em = this.orm.em.fork();
    const agent = await agentByIdOrSlug(em, idOrSlug);
    if (!agent) throw notFound('Agent');
    if (agent.kind !== 'http') throw invalid(`only HTTP agents sign calls; ${agent.slug} is a ${agent.kind} agent`, 'id');
    const replaced = agent.signingSecret ?? this.config.agents.legacySecret ?? null;
    const previousSecretValidUntil = replaced && graceSeconds > 0 ? new Date(Date.now() + graceSeconds * 1000) : null;
    const signingSecret = newSigningSecret();
    em.assign(agent, {
      signingSecret,
      previousSigningSecret: previousSecretValidUntil ? replaced : null,
      previousSecretExpiresAt: previousSecretValidUntil,
    });
    await em.flush();
    await this.registry.reload();
    return { agent, signingSecret, previousSecretValidUntil };
  }

  /**
   * An agent is called from inside the gateway's network: its endpoint must be public
   * unless the operator allows otherwise, and a public one HTTPS, since its calls carry
   * tenants' intents and the gateway's signature (as webhook targets must be).
   */
  private checkEndpoint(endpoint: string): void {
    if (this.config.agents.allowPrivate) return;
    const url = new URL(endpoint);
    const problem = hostProblem(url);
    if (problem) throw invalid(`endpoint must point at a public address (${problem}); GAVEL_AGENT_ALLOW_PRIVATE=true allows private ones`, 'endpoint');
    if (url.protocol !== 'https:')
      throw invalid('endpoint must be an HTTPS URL; GAVEL_AGENT_ALLOW_PRIVATE=true allows plain HTTP to private agents', 'endpoint');
  }
}

function parse<T extends z.ZodTypeAny>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw invalid(`${issue.path.join('.') || 'input'}: ${issue.message}`, issue.path.join('.') || undefined);
}
