/** The sessions module: conversations with one agent, turn by turn; each turn is a direct-call intent. */
import type pg from 'pg';
import type { SessionSettings } from '../../config/config.js';
import type { AgentRegistry } from '../agents/index.js';
import type { IntentService } from '../intents/index.js';
import { SessionService } from './session.service.js';

export { SessionService, type SessionView, type TurnView } from './session.service.js';

export function createSessions(deps: { pool: pg.Pool; registry: AgentRegistry; intents: IntentService; settings: SessionSettings }): SessionService {
  return new SessionService(deps.pool, deps.registry, deps.intents, deps.settings);
}
