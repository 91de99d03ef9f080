/** The stats module: a tenant's usage this month and the gateway's routing figures. */
import type pg from 'pg';
import type { AgentRegistry } from '../agents/index.js';
import type { LimitService } from '../limits/index.js';
import { StatsService } from './stats.service.js';

export { StatsService } from './stats.service.js';

export function createStats(deps: { pool: pg.Pool; agents: AgentRegistry; limits: LimitService }): StatsService {
  return new StatsService(deps.pool, deps.agents, deps.limits);
}
