import { builder } from '../../graphql/builder.js';
import { forbidden, invalid } from '../../errors/app-error.js';
import { TIERS } from '../tenants/tenant.entity.js';
import { OPERATOR_TENANT } from '../tenants/index.js';
import { SCOPES, type ApiKey } from './api-key.entity.js';

export const ScopeEnum = builder.enumType('Scope', { values: SCOPES });
export const TierEnum = builder.enumType('Tier', { values: TIERS });

const ApiKeyRef = builder.objectRef<ApiKey>('ApiKey').implement({
  description: 'An API key. The key itself is shown once, at creation; only its prefix afterwards.',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    prefix: t.exposeString('prefix', { description: 'First characters of the key, to tell keys apart' }),
    tenant: t.string({ resolve: (k) => k.tenant.name }),
    scopes: t.field({ type: [ScopeEnum], resolve: (k) => k.scopes }),
    sandbox: t.exposeBoolean('sandbox'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', nullable: true }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true }),
    rateLimitPerMinute: t.exposeInt('rateLimitPerMinute', { nullable: true, description: "Its own ceiling per minute; null: the tier's" }),
    rateLimitPerDay: t.exposeInt('rateLimitPerDay', { nullable: true, description: 'Its ceiling per UTC day; null: none' }),
    monthlyIntentQuota: t.exposeInt('monthlyIntentQuota', { nullable: true, description: "Its own intents per month; null: the tier's" }),
    enabled: t.boolean({
      description: 'false while the key is switched off (updateApiKey); a revoked key is never enabled again',
      resolve: (k) => !k.disabledAt && !k.revokedAt,
    }),
    lastUsedAt: t.expose('lastUsedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When the key last authenticated a request, to the minute; null if never',
    }),
  }),
});

const CreatedApiKey = builder.objectRef<{ key: string; apiKey: ApiKey }>('CreatedApiKey').implement({
  fields: (t) => ({
    key: t.exposeString('key', { description: 'The secret key. Shown this once; store it now.' }),
    apiKey: t.field({ type: ApiKeyRef, resolve: (r) => r.apiKey }),
  }),
});

const CreateApiKeyInput = builder.inputType('CreateApiKeyInput', {
  fields: (t) => ({
    scopes: t.field({ type: [ScopeEnum], required: true }),
    name: t.string({ required: false }),
    sandbox: t.boolean({ required: false, defaultValue: false }),
    expiresAt: t.field({ type: 'DateTime', required: false }),
    tenant: t.string({
      required: false,
      description: 'Another tenant to create the key for (created if new). Operator full-access keys only.',
    }),
    tier: t.field({ type: TierEnum, required: false, description: 'Tier of a new tenant (default free), or the new tier of an existing one. Operator only.' }),
    rateLimitPerMinute: t.int({ required: false, description: "This key's request ceiling per minute (default: the tier's). Operator only." }),
    rateLimitPerDay: t.int({
      required: false,
      description: "This key's request ceiling per UTC day (default: none; Mindra's Developer tier is 10000, Business 100000). Operator only.",
    }),
    monthlyIntentQuota: t.int({ required: false, description: "This key's intents per month (default: the tier's). Operator only." }),
  }),
});

builder.queryField('apiKeys', (t) =>
  t.field({
    type: [ApiKeyRef],
    description: "The caller's tenant's API keys, newest first",
    authScopes: { scope: 'full_access' },
    resolve: (_root, _args, ctx) => ctx.modules.keys.list(ctx.auth!.tenantId),
  }),
);

builder.mutationField('createApiKey', (t) =>
  t.field({
    type: CreatedApiKey,
    authScopes: { scope: 'full_access' },
    args: { input: t.arg({ type: CreateApiKeyInput, required: true }) },
    resolve: (_root, { input }, ctx) => {
      const auth = ctx.auth!;
      const otherTenant = input.tenant != null && input.tenant !== auth.tenantName;
      const ceilings = input.rateLimitPerMinute != null || input.rateLimitPerDay != null || input.monthlyIntentQuota != null;
      if ((otherTenant || input.tier != null || ceilings) && !auth.isOperator) {
        throw forbidden('Only the operator tenant may create tenants, choose tiers or set limits');
      }
      for (const [field, value] of [
        ['rateLimitPerMinute', input.rateLimitPerMinute],
        ['rateLimitPerDay', input.rateLimitPerDay],
        ['monthlyIntentQuota', input.monthlyIntentQuota],
      ] as const) {
        if (value != null && value < 0) throw invalid(`${field} must be 0 or more`, field);
      }
      if (otherTenant && input.tenant === OPERATOR_TENANT) throw forbidden('The operator tenant is reserved');
      return ctx.modules.keys.create({
        tenantName: otherTenant ? input.tenant! : auth.tenantName,
        // No tier given: a new tenant starts on free, an existing one keeps its tier.
        tier: input.tier ?? undefined,
        scopes: input.scopes,
        sandbox: input.sandbox ?? false,
        name: input.name ?? undefined,
        expiresAt: input.expiresAt ?? null,
        rateLimitPerMinute: input.rateLimitPerMinute ?? null,
        rateLimitPerDay: input.rateLimitPerDay ?? null,
        monthlyIntentQuota: input.monthlyIntentQuota ?? null,
      });
    },
  }),
);

builder.mutationField('revokeApiKey', (t) =>
  t.field({
    type: ApiKeyRef,
    authScopes: { scope: 'full_access' },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => ctx.modules.keys.revoke(ctx.auth!.tenantId, String(id)),
  }),
);

const UpdateApiKeyInput = builder.inputType('UpdateApiKeyInput', {
  description: 'What changes on a key; an absent field stays as it is',
  fields: (t) => ({
    name: t.string({ required: false }),
    scopes: t.field({ type: [ScopeEnum], required: false, description: "Never beyond the calling key's own, nor the tier's" }),
    expiresAt: t.field({ type: 'DateTime', required: false, description: 'null removes the expiry' }),
    enabled: t.boolean({ required: false, description: 'false switches the key off until it is switched on again' }),
  }),
});

builder.mutationField('updateApiKey', (t) =>
  t.field({
    type: ApiKeyRef,
    description: "Renames a key of the caller's tenant, changes its scopes or expiry, or switches it off or on",
    authScopes: { scope: 'full_access' },
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: UpdateApiKeyInput, required: true }) },
    resolve: (_root, { id, input }, ctx) =>
      ctx.modules.keys.update(
        ctx.auth!.tenantId,
        String(id),
        // expiresAt: absent keeps it, an explicit null removes it.
        { name: input.name, scopes: input.scopes, enabled: input.enabled, ...('expiresAt' in input ? { expiresAt: input.expiresAt ?? null } : {}) },
        ctx.auth!.scopes,
      ),
  }),
);
