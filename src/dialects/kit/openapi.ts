import { z } from 'zod/v4';
import type { Dialect } from './dialect.js';
import type { Route } from './route.js';

type JsonSchema = Record<string, unknown>;

/**
 * A schema inline, as OpenAPI 3.1 takes JSON Schema 2020-12. Requests are described as
 * they may be sent (`io: 'input'`: defaults make fields optional), bodies as they are
 * answered (`io: 'output'`: every member, no others).
 */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

/** `/intents/:id` → `/intents/{id}`. */
export function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z_]\w*)/g, '{$1}');
}

function parameters(route: Route, where: 'path' | 'query'): JsonSchema[] {
  const schema = where === 'path' ? route.params : route.query;
  if (!schema) return [];
  const object = jsonSchema(schema, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(object.properties ?? {}).map(([name, s]) => ({
    name,
    in: where,
    required: where === 'path' || (object.required ?? []).includes(name),
    ...(typeof s.description === 'string' ? { description: s.description } : {}),
    schema: s,
  }));
}

function operation(dialect: Dialect, route: Route): JsonSchema {
  const responses: Record<string, JsonSchema> = {};
  for (const [status, r] of Object.entries(route.responses)) {
    responses[status] = {
      description: r.description,
      ...(r.headers ? { headers: Object.fromEntries(r.headers.map((h) => [h, { schema: { type: 'string' } }])) } : {}),
      ...(r.schema ? { content: { 'application/json': { schema: jsonSchema(r.schema, 'output') } } } : {}),
    };
  }
  if (route.stream) {
    const first = Object.keys(route.responses)[0] ?? '200';
    // With the route's event schema, each message's `data` is described as OpenAPI 3.2's `itemSchema`.
    const events = route.stream.eventSchema ? { itemSchema: jsonSchema(route.stream.eventSchema, 'output') } : {};
    const streamed = {
      'text/event-stream': { schema: { type: 'string', description: 'Server-Sent Events: id (sequence), event (type), data (JSON)' }, ...events },
    };
    responses[route.stream.always ? '200' : first] = {
      ...(responses[route.stream.always ? '200' : first] ?? { description: 'The event stream' }),
      content: { ...((responses[first]?.content as object | undefined) ?? {}), ...streamed },
    };
    if (route.stream.always) responses['204'] = { description: 'Nothing left to stream: a resume at or past the final event' };
  }
  const error = { content: { 'application/json': { schema: { $ref: `#/components/schemas/${errorComponent(dialect)}` } } } };
  for (const status of errorStatuses(route)) responses[String(status)] = { description: ERRORS[status] ?? 'An error', ...error };
  return {
    operationId: `${route.method.toLowerCase()}${openApiPath(route.path)
      .replace(/[{}]/g, '')
      .replace(/[^A-Za-z0-9]+(.)?/g, (_, c?: string) => (c ?? '').toUpperCase())}`,
    summary: route.summary,
    parameters: [...parameters(route, 'path'), ...parameters(route, 'query'), ...(route.method === 'GET' ? [] : IDEMPOTENCY_HEADERS)],
    ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(route.body, 'input') } } } } : {}),
    responses,
    ...(route.public ? { security: [{}, { bearer: [] }] } : {}),
    ...(route.stream?.tokenIntent ? { security: [{ bearer: [] }, { streamToken: [] }] } : {}),
  };
}

/** What each error status means, in every dialect's body. */
const ERRORS: Record<number, string> = {
  400: 'The request is malformed: the error names the field',
  401: 'Missing, malformed or unknown API key',
  402: 'The prepaid wallet cannot cover it',
  403: "The key's scopes or tier do not allow it",
  404: "Not found (another tenant's id is not found too)",
  405: 'The path does not take this method (see Allow)',
  409: 'Conflicts with the current state, or a request with this idempotency key is still running (retry-safe)',
  413: 'The body or the stored files are too large',
  422: 'Understood but not done: no agent could serve it, or an idempotency key reused with another body',
  429: 'Past the rate limit or a quota (see Retry-After)',
  500: 'A server error (retry-safe)',
  503: 'The LLM provider is not configured (reason provider_not_configured) or is failing (reason provider_unavailable; see Retry-After)',
};

/**
 * Every route's error statuses, plus a body's 413 and the route's own; a route that
 * changes something takes an idempotency key, so a reused one (422) or one still
 * running (409) too.
 */
export function errorStatuses(route: Route): number[] {
  const idempotent = route.method === 'GET' ? [] : [409, 422];
  return [...new Set([400, 401, 403, 404, 429, 500, ...(route.body ? [413] : []), ...idempotent, ...(route.errors ?? [])])].sort();
}

/** The idempotency headers every route that changes something takes (http/plugins/idempotency.ts). */
const IDEMPOTENCY_HEADERS: JsonSchema[] = ['Idempotency-Key', 'X-Idempotency-Key'].map((name) => ({
  name,
  in: 'header',
  required: false,
  description: 'The same key and request within 24 hours answer the first result again and change nothing; the same key with another request is refused',
  schema: { type: 'string', maxLength: 255 },
}));

const errorComponent = (dialect: Dialect) => `${dialect.title.replace(/\W/g, '')}Error`;

/**
 * The OpenAPI 3.1 document of one base path, from the same zod schemas its routes
 * validate and answer with. Dialects that share a base path (OctoMind and Octavus at
 * `/api`) share its document: a client reads one file per base URL.
 */
export function openApiDocument(basePath: string, dialects: Dialect[]): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const dialect of dialects) {
    for (const route of dialect.routes) {
      const path = openApiPath(route.path);
      paths[path] = { ...paths[path], [route.method.toLowerCase()]: operation(dialect, route) };
    }
  }
  return {
    openapi: '3.1.0',
    info: { title: `Gavel: ${dialects.map((d) => d.title).join(' and ')}`, version: '1', description: dialects.map((d) => d.description).join(' ') },
    servers: [{ url: basePath }],
    security: [{ bearer: [] }],
    paths,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'A Gavel API key' },
        streamToken: {
          type: 'apiKey',
          in: 'query',
          name: 'stream_token',
          description: 'A short-lived stream token, on event streams only (never the API key)',
        },
      },
      schemas: Object.fromEntries(dialects.map((d) => [errorComponent(d), jsonSchema(d.errorSchema, 'output')])),
    },
  };
}
