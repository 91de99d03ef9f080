/** The analytics module: cost summaries per user, key, agent or domain. */
import type pg from 'pg';
import { AnalyticsService } from './analytics.service.js';

export { AnalyticsService } from './analytics.service.js';

export function createAnalytics(deps: { pool: pg.Pool }): AnalyticsService {
  return new AnalyticsService(deps.pool);
}
