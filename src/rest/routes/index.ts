import type { RestRoute } from '../route.js';
import { octavusRoutes } from './octavus.js';
import { octomindRoutes } from './octomind.js';

/** Every REST route, one file per reference API. */
export const restRoutes: RestRoute[] = [...octomindRoutes, ...octavusRoutes];
