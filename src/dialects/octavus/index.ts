import type { Dialect } from '../kit/index.js';
import { octomindErrorBody, OctoMindErrorSchema } from '../octomind/errors.js';
import { agentRoutes } from './agents.js';
import { sessionRoutes } from './sessions.js';

/**
 * Octavus: the agents API (list, get, create, update) and agent sessions (create, read,
 * trigger as SSE, cancel, restore, close); success bodies are the data
 * itself, not wrapped. Octavus documents no error body of its own, and it shares the
 * `/api` base path with OctoMind, so its errors are OctoMind's: one shape under `/api`.
 */
export const octavus: Dialect = {
  name: 'octavus',
  title: 'Octavus',
  description:
    "Gavel's Octavus-compatible API: the agents that bid (list, read, create, update), and sessions: a conversation with one agent, each turn triggered and streamed as typed events.",
  basePath: '/api',
  routes: [...agentRoutes, ...sessionRoutes],
  errorBody: octomindErrorBody,
  errorSchema: OctoMindErrorSchema,
};
