import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../../config/config.js';
import { notFound } from '../../errors/app-error.js';
import type { Agent } from './agent.entity.js';
import { activeAgents, agentById, agentByIdOrSlug, listAgents } from './agent.store.js';
import { loadCatalog } from './catalog/catalog.js';
import { profileOf, syncCatalog, type SyncReport } from './catalog-sync.js';
import type { Logger } from '../../observability/logger.js';
import { createGuardedFetch, type GuardedFetch } from '../../lib/guarded-http.js';
import { signingSecretsOf } from './agent-secrets.js';
import { createHttpExecutor } from './executors/http.js';
import { createLlmExecutor } from './executors/llm.js';
import { createToolExecutor } from './tool-executor.js';
import type { AgentExecutor, AgentProfile, Availability } from './types.js';

export interface RosterEntry {
  agent: Agent;
  profile: AgentProfile;
  executor: AgentExecutor;
}

/**
 * The live roster: active agents from the database with an executor each. Rebuilt
 * on start and whenever agents change, so the auction's hot path reads memory only.
 */
export class AgentRegistry {
  private entries: RosterEntry[] = [];
  private bySlug = new Map<string, RosterEntry>();
  private byId = new Map<string, Agent>();
  private listeners: Array<(roster: RosterEntry[]) => void> = [];
  /** One client, and one connection pool, for every HTTP agent's calls. */
  private readonly agentFetch: GuardedFetch;

  constructor(
    private readonly orm: MikroORM,
    private readonly config: Pick<Config, 'llm' | 'agents'>,
    logger?: Logger,
  ) {
    this.agentFetch = createGuardedFetch({
      allowPrivate: config.agents.allowPrivate,
      keepAlive: true,
      // The tenant's bid shows only that the target is not public; the operator's log says which address.
      onRefused: (error) => logger?.warn({ detail: error.detail }, 'an HTTP agent endpoint is not a public address'),
    });
  }

  async syncCatalog(): Promise<SyncReport> {
    return syncCatalog(this.orm.em.fork(), loadCatalog());
  }

  async reload(): Promise<void> {
    const agents = await activeAgents(this.orm.em.fork());
    this.entries = agents.map((agent) => {
      const profile = profileOf(agent);
      return { agent, profile, executor: this.executorFor(agent, profile) };
    });
    this.bySlug = new Map(this.entries.map((e) => [e.profile.slug, e]));
    this.byId = new Map(this.entries.map((e) => [e.agent.id, e.agent]));
    for (const listener of this.listeners) listener(this.entries);
  }

  /** Called with the new roster after each reload (the auction rebuilds its relevance index). */
  onReload(listener: (roster: RosterEntry[]) => void): void {
    this.listeners.push(listener);
    listener(this.entries);
  }

  roster(): readonly RosterEntry[] {
    return this.entries;
  }

  entry(slug: string): RosterEntry | undefined {
    return this.bySlug.get(slug);
  }

  /** An agent by id: from memory while it is active, else (retired) from the database. */
  async agentById(id: string): Promise<Agent | null> {
    return this.byId.get(id) ?? (await agentById(this.orm.em.fork(), id));
  }

  availability(slug: string): Availability {
    return this.bySlug.get(slug)?.executor.availability() ?? { available: false, reason: 'inactive' };
  }

  /** Active agents; with `includeInactive`, disabled and retired ones too (the operator's CLI). */
  async list(filter: { domain?: string; kind?: string; includeInactive?: boolean }): Promise<Agent[]> {
    return listAgents(this.orm.em.fork(), filter);
  }

  async get(idOrSlug: string): Promise<Agent> {
    const agent = await agentByIdOrSlug(this.orm.em.fork(), idOrSlug);
    if (!agent) throw notFound('Agent');
    return agent;
  }

  private executorFor(agent: Agent, profile: AgentProfile): AgentExecutor {
    switch (profile.kind) {
      case 'tool':
        return createToolExecutor(profile);
      case 'llm':
        return createLlmExecutor(
          profile,
          this.config.llm ? { baseUrl: this.config.llm.baseUrl, apiKey: this.config.llm.apiKey, defaultModel: this.config.llm.model } : null,
        );
      case 'http':
        return createHttpExecutor(
          { ...profile, endpoint: profile.endpoint ?? '' },
          { secrets: signingSecretsOf(agent, this.config.agents.legacySecret), fetch: this.agentFetch },
        );
    }
  }
}
