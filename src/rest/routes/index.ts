import type { RestRoute } from '../route.js';
import { octavusRoutes } from './octavus.js';
import { octomindRoutes } from './octomind.js';
import { platformRoutes } from './platform.js';

/** Every REST route, one file per reference API. */
// Platform routes first: `/api/intents/batch/:id` must win over `/api/intents/:id/...`.
export const restRoutes: RestRoute[] = [...platformRoutes, ...octomindRoutes, ...octavusRoutes];
