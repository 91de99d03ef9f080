/** The agents module: the roster, its catalog, operator admin, bid and win figures, executors and tools. */
import type { MikroORM } from '@mikro-orm/postgresql';
import type pg from 'pg';
import type { Config } from '../../config/config.js';
import type { Logger } from '../../observability/logger.js';
import { AgentAdmin } from './agent-admin.js';
import { AgentRegistry } from './agent-registry.js';
import { AgentStatsBook } from './agent-stats.js';

export { AgentAdmin } from './agent-admin.js';
export { AgentRegistry, type RosterEntry } from './agent-registry.js';
export { AgentStatsBook } from './agent-stats.js';
export { createLlmExecutor } from './executors/llm.js';
export { ProviderError } from './executors/failures.js';

export interface Agents {
  registry: AgentRegistry;
  admin: AgentAdmin;
  stats: AgentStatsBook;
}

export function createAgents(deps: { orm: MikroORM; pool: pg.Pool; config: Pick<Config, 'llm' | 'agents'>; logger?: Logger }): Agents {
  const registry = new AgentRegistry(deps.orm, deps.config, deps.logger);
  return { registry, admin: new AgentAdmin(deps.orm, registry, deps.config), stats: new AgentStatsBook(deps.pool) };
}
export { countTokens } from './executors/tokens.js';
export { runTool } from './tool-executor.js';
export { toolCapabilities, type ToolCapability } from './tools/index.js';
export {
  type AgentExecutor,
  type AgentKind,
  type AgentProfile,
  type ChatMessage,
  type BidDecision,
  type ExecutionResult,
  type IntentForAgents,
  type ProviderCause,
  type TokenUsage,
} from './types.js';
export { publicAgentsPart, statsBacklogPart } from './agent.store.js';
