import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../../config/config.js';
import { notFound } from '../../errors/app-error.js';
import type { Agent } from './agent.entity.js';
import { activeAgents, agentById, agentByIdOrSlug, listAgents } from './agent.store.js';
import { loadCatalog } from './catalog/catalog.js';
import { profileOf, syncCatalog, type SyncReport } from './catalog-sync.js';
import type { Logger } from '../../observability/logger.js';
import type { Notifications } from '../../db/notifications.js';
import { createGuardedFetch, type GuardedFetch } from '../../lib/guarded-http.js';
import { signingSecretsOf } from './agent-secrets.js';
import { BreakerBoard } from './executors/circuit-breaker.js';
import { createHttpExecutor, ENDPOINT } from './executors/http.js';
import { createLlmExecutor, providerName } from './executors/llm.js';
import { createToolExecutor } from './tool-executor.js';
import type { AgentExecutor, AgentProfile, Availability } from './types.js';

/** What the `agents_roster_changed` trigger notifies (see its migration). */
export const ROSTER_CHANNEL = 'gavel_roster';

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
  /**
   * One breaker per target, not per agent: every LLM agent shares its provider's (so a
   * failing provider opens one circuit, and its first good answer closes it for all),
   * agents at one endpoint share that endpoint's. Kept across reloads, so editing the
   * roster does not reset a circuit.
   */
  private readonly breakers: BreakerBoard;

  constructor(
    private readonly orm: MikroORM,
    private readonly config: Pick<Config, 'llm' | 'agents'>,
    private readonly logger?: Logger,
  ) {
    this.breakers = new BreakerBoard(config.agents.breaker);
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

  /**
   * Reloads whenever `agents` changes anywhere: a trigger notifies ROSTER_CHANNEL when
   * any statement that writes the table commits (this instance's, another's, the CLI's).
   * After a lost LISTEN connection it reloads too, since a change may have gone unheard.
   */
  async follow(notifications: Pick<Notifications, 'listen'>): Promise<void> {
    const reload = () => {
      this.reload().catch((error: unknown) => this.logger?.warn({ err: error }, 'reloading the agent roster failed'));
    };
    await notifications.listen(ROSTER_CHANNEL, reload, reload);
  }

  private reloading: Promise<void> | null = null;
  private again = false;

  /**
   * Reads the roster again. One read at a time, so an older read never lands after a
   * newer one; a call during a read gets one more read, begun after the call.
   */
  reload(): Promise<void> {
    if (this.reloading) {
      this.again = true;
      return this.reloading;
    }
    this.reloading = (async () => {
      try {
        do {
          this.again = false;
          await this.load();
        } while (this.again);
      } finally {
        this.reloading = null;
      }
    })();
    return this.reloading;
  }

  private async load(): Promise<void> {
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
      case 'llm': {
        const llm = this.config.llm;
        if (!llm) return createLlmExecutor(profile, null);
        return createLlmExecutor(
          profile,
          { baseUrl: llm.baseUrl, apiKey: llm.apiKey, defaultModel: llm.model, timeouts: llm.timeouts },
          { breaker: this.breakers.for(`llm ${llm.baseUrl.replace(/\/+$/, '')}`, providerName(llm.baseUrl)) },
        );
      }
      case 'http': {
        const endpoint = (profile.endpoint ?? '').replace(/\/+$/, '');
        return createHttpExecutor(
          { ...profile, endpoint },
          {
            secrets: signingSecretsOf(agent, this.config.agents.legacySecret),
            fetch: this.agentFetch,
            breaker: this.breakers.for(`http ${endpoint}`, ENDPOINT),
            timeouts: this.config.agents.timeouts,
            maxResponseBytes: this.config.agents.maxResponseBytes,
          },
        );
      }
    }
  }
}
