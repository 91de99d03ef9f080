import type { Dialect } from '../kit/index.js';
import { octomindErrorBody, OctoMindErrorSchema } from '../octomind/errors.js';
import { agentRoutes } from './agents.js';

/**
 * Octavus: the agents API (list, get, create, update); success bodies are the data
 * itself, not wrapped. Octavus documents no error body of its own, and it shares the
 * `/api` base path with OctoMind, so its errors are OctoMind's: one shape under `/api`.
 */
export const octavus: Dialect = {
  name: 'octavus',
  title: 'Octavus',
  description: "Gavel's Octavus-compatible agents API: list, read, create and update the agents that bid.",
  basePath: '/api',
  routes: agentRoutes,
  errorBody: octomindErrorBody,
  errorSchema: OctoMindErrorSchema,
};
