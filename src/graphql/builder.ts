import SchemaBuilder from '@pothos/core';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin, { AuthScopeFailureType, type AuthFailure } from '@pothos/plugin-scope-auth';
import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { forbidden, unauthorized } from '../errors/app-error.js';
import { hasScope, lowestTierFor } from '../modules/keys/index.js';
import type { Scope } from '../modules/keys/api-key.entity.js';
import type { GavelContext } from './context.js';

/** Configures plugins and scalars only; every type lives in its domain module. */
export const builder = new SchemaBuilder<{
  Context: GavelContext;
  AuthScopes: { authenticated: boolean; scope: Scope; operator: boolean; operatorTenant: boolean };
  Scalars: {
    DateTime: { Input: Date; Output: Date | string };
    JSON: { Input: unknown; Output: unknown };
  };
  DefaultFieldNullability: false;
}>({
  defaultFieldNullability: false,
  plugins: [ScopeAuthPlugin, RelayPlugin],
  scopeAuth: {
    authorizeOnSubscribe: true,
    authScopes: (ctx) => ({
      authenticated: ctx.auth !== null,
      scope: (scope: Scope) => hasScope(ctx.auth, scope),
      operator: ctx.auth !== null && ctx.auth.isOperator && ctx.auth.scopes.has('full_access'),
      operatorTenant: ctx.auth?.isOperator ?? false,
    }),
    // 401 when nobody is calling, 403 when the caller lacks what the field needs.
    unauthorizedError: (_parent, ctx, _info, result) => (ctx.auth === null ? unauthorized() : forbidden(describeFailure(result.failure, ctx))),
  },
  relay: { clientMutationId: 'omit', cursorType: 'String' },
});

function describeFailure(failure: AuthFailure, ctx: GavelContext): string {
  const needed = new Set<string>();
  const walk = (f: AuthFailure) => {
    if (f.kind === AuthScopeFailureType.AuthScope) needed.add(f.scope === 'scope' ? String(f.parameter) : f.scope);
    if (f.kind === AuthScopeFailureType.AnyAuthScopes || f.kind === AuthScopeFailureType.AllAuthScopes) f.failures.forEach(walk);
  };
  walk(failure);
  if (!needed.size) return 'This API key may not do this';
  // A scope the tenant's tier cannot hold is a plan question, not a key question: say so.
  const tiers = [...needed].map((s) => lowestTierFor(s as Scope)).filter((t) => t && t !== ctx.auth?.tier);
  const plan = tiers.length === needed.size ? ` (it needs the ${tiers[0]} tier; this tenant is on ${ctx.auth?.tier})` : '';
  return `This API key lacks the required scope: ${[...needed].join(' or ')}${plan}`;
}

builder.addScalarType(
  'DateTime',
  new GraphQLScalarType({
    name: 'DateTime',
    description: 'An ISO-8601 instant, e.g. 2026-05-03T02:15:00.000Z',
    serialize: (v) => (v instanceof Date ? v.toISOString() : String(v)),
    parseValue: (v) => parseDate(v),
    parseLiteral: (ast) => (ast.kind === Kind.STRING ? parseDate(ast.value) : invalidDate()),
  }),
);

builder.addScalarType(
  'JSON',
  new GraphQLScalarType({
    name: 'JSON',
    description: 'Any JSON value',
    serialize: (v) => v,
    parseValue: (v) => v,
  }),
);

function parseDate(v: unknown): Date {
  const d = typeof v === 'string' ? new Date(v) : null;
  return d && !Number.isNaN(d.getTime()) ? d : invalidDate();
}

function invalidDate(): never {
  throw new GraphQLError('DateTime must be an ISO-8601 string', { extensions: { code: 'INVALID_REQUEST' } });
}

builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});
