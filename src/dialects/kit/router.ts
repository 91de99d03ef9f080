import type { Dialect } from './dialect.js';
import type { Route } from './route.js';

export interface MountedRoute {
  dialect: Dialect;
  route: Route;
  /** The full path: base path and route path, `/api/intents/:id`. */
  path: string;
  segments: string[];
}

export type RouteMatch =
  | { kind: 'route'; mounted: MountedRoute; params: Record<string, string> }
  /** A known path asked with a method it does not take. */
  | { kind: 'method-not-allowed'; dialect: Dialect; allowed: string[] }
  | { kind: 'not-found'; dialect: Dialect };

export class RouteConflictError extends Error {}

/**
 * Every dialect's routes in one table. A path belongs to the dialect with the longest
 * base path it falls under; among routes that fit, static segments win over parameters
 * (`/intents/batch` over `/intents/:id`), whatever order the routes were declared in.
 * Two routes that claim the same method and path are refused when the table is built.
 */
export function createRouter(dialects: Dialect[]) {
  const mounted: MountedRoute[] = dialects.flatMap((dialect) =>
    dialect.routes.map((route) => {
      const path = `${dialect.basePath}${route.path}`;
      return { dialect, route, path, segments: path.split('/').filter(Boolean) };
    }),
  );
  const claimed = new Map<string, MountedRoute>();
  for (const m of mounted) {
    const key = `${m.route.method} /${m.segments.map((s) => (s.startsWith(':') ? ':' : s)).join('/')}`;
    const earlier = claimed.get(key);
    if (earlier)
      throw new RouteConflictError(`${m.route.method} ${m.path} (${m.dialect.name}) and ${earlier.path} (${earlier.dialect.name}) claim the same route`);
    claimed.set(key, m);
  }
  const bases = [...dialects].sort((a, b) => b.basePath.length - a.basePath.length);

  /** The dialects whose base path holds this path, the longest base path first; none: not a REST path. */
  function owners(pathname: string): Dialect[] {
    const under = bases.filter((d) => pathname === d.basePath || pathname.startsWith(`${d.basePath}/`));
    return under.filter((d) => d.basePath === under[0]?.basePath);
  }

  return {
    routes: mounted,
    /** The dialect whose error body answers for this path (the first declared under the longest base path), or null. */
    owner: (pathname: string): Dialect | null => owners(pathname)[0] ?? null,
    match(method: string, pathname: string): RouteMatch | null {
      const candidates = owners(pathname);
      if (candidates.length === 0) return null;
      const parts = pathname.split('/').filter(Boolean);
      const fits = mounted
        .filter((m) => candidates.includes(m.dialect))
        .map((m) => ({ m, params: matchSegments(m.segments, parts) }))
        .filter((f): f is { m: MountedRoute; params: Record<string, string> } => f.params !== null)
        .sort((a, b) => specificity(b.m.segments) - specificity(a.m.segments));
      const hit = fits.find((f) => f.m.route.method === method);
      if (hit) return { kind: 'route', mounted: hit.m, params: hit.params };
      if (fits.length > 0) return { kind: 'method-not-allowed', dialect: fits[0]!.m.dialect, allowed: [...new Set(fits.map((f) => f.m.route.method))] };
      return { kind: 'not-found', dialect: candidates[0]! };
    },
  };
}

/** Static segments earlier in the path weigh more: a bit per segment, most significant first. */
function specificity(segments: string[]): number {
  return segments.reduce((score, s) => score * 2 + (s.startsWith(':') ? 0 : 1), 0);
}

function matchSegments(segments: string[], parts: string[]): Record<string, string> | null {
  if (parts.length !== segments.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i]!;
    const part = parts[i]!;
    if (seg.startsWith(':')) {
      try {
        params[seg.slice(1)] = decodeURIComponent(part);
      } catch {
        return null; // a malformed escape is no id of ours
      }
    } else if (seg !== part) return null;
  }
  return params;
}

/**
 * A bounded name for any request path, for metrics labels: a dialect route's template
 * (`/api/intents/:id`), a dialect's OpenAPI document, the gateway's own endpoints (exact
 * paths, or patterns with their label), or `unmatched`. Never the raw path, which anyone
 * could fill with new series.
 */
export function createRouteLabeler(dialects: Dialect[], ownEndpoints: Record<string, string>, ownPatterns: Array<[RegExp, string]> = []) {
  const router = createRouter(dialects);
  const exact: Record<string, string> = { ...ownEndpoints };
  for (const d of dialects) exact[`${d.basePath}/openapi.json`] = `${d.basePath}/openapi.json`;
  return (method: string, pathname: string): string => {
    const own = exact[pathname] ?? ownPatterns.find(([pattern]) => pattern.test(pathname))?.[1];
    if (own) return own;
    const found = router.match(method, pathname);
    return found?.kind === 'route' ? found.mounted.path : 'unmatched';
  };
}
