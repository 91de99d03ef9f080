import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import {
  Lexer,
  Source,
  TokenKind,
  getIntrospectionQuery,
  getNamedType,
  isInterfaceType,
  isObjectType,
  isUnionType,
  parse,
  validate,
  type GraphQLNamedType,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUERY_LIMITS } from '../../src/http/plugins/query-limits.js';
import { schema } from '../../src/graphql/schema.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { gql } from '../helpers/http.js';
import { collect, wsClient } from '../helpers/ws.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ NODE_ENV: 'production' });
});
afterAll(() => t?.stop());

/** Every GraphQL document Gavel ships (the dialects' and the kit's). */
function shippedDocuments(): Array<{ file: string; source: string }> {
  const root = 'src/dialects';
  return readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) => {
      const folder = join(root, d.name, 'documents');
      let files: string[] = [];
      try {
        files = readdirSync(folder).filter((f) => f.endsWith('.graphql'));
      } catch {
        return [];
      }
      return files.map((f) => ({ file: join(folder, f), source: readFileSync(join(folder, f), 'utf8') }));
    });
}

/** The longest chain of fields a valid query can select, or Infinity if the schema has a cycle. */
function longestPath(type: GraphQLNamedType, seen: readonly string[] = []): number {
  if (seen.includes(type.name)) return Infinity;
  const next = isUnionType(type)
    ? type.getTypes()
    : isObjectType(type) || isInterfaceType(type)
      ? Object.values(type.getFields()).map((f) => getNamedType(f.type))
      : [];
  if (!next.length) return 0;
  const step = isUnionType(type) ? 0 : 1; // `... on Member` adds no depth
  return step + Math.max(...next.map((n) => longestPath(n, [...seen, type.name])));
}

function tokenCount(source: string): number {
  const lexer = new Lexer(new Source(source));
  let n = 0;
  while (lexer.advance().kind !== TokenKind.EOF) n++;
  return n;
}

const refused = (query: string, key?: string) => gql(t.url, query, {}, key);

describe('query limits are sized for the schema and what Gavel ships', () => {
  it('the schema has no cycle and no path deeper than the depth limit', () => {
    const roots = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].filter((r) => r != null);
    for (const root of roots) expect(longestPath(root), root.name).toBeLessThanOrEqual(QUERY_LIMITS.depth);
  });

  it('every shipped document fits every limit', () => {
    const documents = shippedDocuments();
    expect(documents.length).toBeGreaterThan(3);
    const rejections: string[] = [];
    const onReject = [(_c: unknown, e: Error) => void rejections.push(e.message)];
    const rules = [
      maxDepthRule({ n: QUERY_LIMITS.depth, onReject, propagateOnRejection: false }),
      maxAliasesRule({ n: QUERY_LIMITS.aliases, allowList: [], onReject, propagateOnRejection: false }),
      costLimitRule({ maxCost: QUERY_LIMITS.cost, onReject, propagateOnRejection: false }),
      maxDirectivesRule({ n: QUERY_LIMITS.directives, onReject, propagateOnRejection: false }),
    ];
    for (const { file, source } of documents) {
      expect(validate(schema, parse(source), rules), file).toEqual([]);
      expect(tokenCount(source), file).toBeLessThan(QUERY_LIMITS.tokens);
    }
    expect(rejections).toEqual([]);
  });

  it('the standard introspection query passes in production: typed clients generate from it', async () => {
    const res = await gql(t.url, getIntrospectionQuery());
    expect(res.status).toBe(200);
    expect(res.body.data.__schema.queryType.name).toBe('Query');
  });
});

describe('each limit refuses with 400 INVALID_REQUEST naming it', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['depth', `{ __type(name: "Intent") { ${'ofType { '.repeat(QUERY_LIMITS.depth)}name${' }'.repeat(QUERY_LIMITS.depth)} } }`, /depth limit of 10/],
    ['aliases', `{ ${Array.from({ length: QUERY_LIMITS.aliases + 1 }, (_, i) => `a${i}: routingStats { agentsActive }`).join(' ')} }`, /Aliases limit of 30/],
    ['aliases of __typename', `{ ${Array.from({ length: 300 }, (_, i) => `t${i}: __typename`).join(' ')} }`, /Aliases limit of 30/],
    [
      'cost',
      `{ ${Array.from({ length: 12 }, (_, i) => `c${i}: intents(first: 100) { edges { node { id text result bids { id confidence agent { slug name } } attempts { agent outcome } } } }`).join(' ')} }`,
      /Query Cost limit of 5000/,
    ],
    ['tokens', `{ ${'__typename '.repeat(QUERY_LIMITS.tokens)}}`, /Token limit of 2000/],
    ['directives', `{ __typename ${'@include(if: true) '.repeat(QUERY_LIMITS.directives + 1)}}`, /Directives limit of 10/],
  ];

  it.each(cases)('%s', async (_name, query, message) => {
    const res = await refused(query, t.rootKey);
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('INVALID_REQUEST');
    expect(res.body.errors?.[0]?.message).toMatch(message);
    expect(res.body.errors?.[0]?.message).not.toMatch(/^Syntax Error/);
    expect(res.body.data).toBeUndefined();
  });

  it('circular introspection is refused, though `__schema` is exempt from depth', async () => {
    const res = await refused('{ __schema { types { fields { type { fields { type { fields { type { fields { name } } } } } } } } } }');
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.message).toMatch(/Maximum introspection depth exceeded/);
  });

  it('a WebSocket subscription is held to the same limits', async () => {
    const client = wsClient(t.url, t.rootKey);
    try {
      const aliases = Array.from({ length: QUERY_LIMITS.aliases + 1 }, (_, i) => `a${i}: __typename`).join(' ');
      const { error } = await collect(client, `subscription { bidFeed { ${aliases} } }`, {}).done;
      expect(error).toEqual([
        expect.objectContaining({ message: expect.stringMatching(/Aliases limit of 30/), extensions: expect.objectContaining({ code: 'INVALID_REQUEST' }) }),
      ]);
      const tokens = await collect(client, `{ ${'__typename '.repeat(QUERY_LIMITS.tokens)}}`, {}).done;
      expect(JSON.stringify(tokens.error)).toMatch(/Token limit of 2000/);
      // Each refusal is that operation's error; the socket stays open for the next one.
      expect((await collect(client, '{ __typename }', {}).done).items).toEqual([{ __typename: 'Query' }]);
    } finally {
      await client.dispose();
    }
  });
});

describe('batching is off', () => {
  it('an array of operations is refused: one operation per request, each counted and limited', async () => {
    const res = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${t.rootKey}` },
      body: JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { errors?: Array<{ message: string; extensions?: { code?: string } }>; data?: unknown };
    expect(body.data).toBeUndefined();
    expect(body.errors?.[0]?.message).toBeTruthy();
    expect(body.errors?.[0]?.extensions?.code).toBe('INVALID_REQUEST');
  });

  it("yoga's other refusals of a request carry Gavel's code too", async () => {
    const post = (body: string) =>
      fetch(`${t.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${t.rootKey}` }, body });
    for (const body of ['{"query": ', '"just a string"', '{"query": 42}']) {
      const res = await post(body);
      expect(res.status, body).toBe(400);
      const answer = (await res.json()) as { errors?: Array<{ extensions?: { code?: string } }> };
      expect(answer.errors?.[0]?.extensions?.code, body).toBe('INVALID_REQUEST');
    }
  });
});
