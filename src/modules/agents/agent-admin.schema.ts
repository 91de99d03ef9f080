import { builder } from '../../graphql/builder.js';
import type { CreateAgentInput as CreateAgentInputData, CreatedAgent, RotatedSecret } from './agent-admin.js';
import { DEFAULT_SECRET_GRACE_SECONDS, MAX_SECRET_GRACE_SECONDS } from './agent-secrets.js';
import { AgentKindEnum, AgentRef } from './agents.schema.js';

/* The operator's writes on the roster: register, edit, rotate an HTTP agent's signing secret. */

const operatorOnly = { $all: { scope: 'agents_write', operatorTenant: true } } as const;

const CreateAgentPayload = builder.objectRef<CreatedAgent>('CreateAgentPayload').implement({
  fields: (t) => ({
    agent: t.field({ type: AgentRef, resolve: (c) => c.agent }),
    signingSecret: t.exposeString('signingSecret', {
      nullable: true,
      description: 'HTTP agents: the secret its calls are signed with (docs/agent-protocol.md). Shown this once; null for other kinds',
    }),
  }),
});

const RotateAgentSecretPayload = builder.objectRef<RotatedSecret>('RotateAgentSecretPayload').implement({
  fields: (t) => ({
    agent: t.field({ type: AgentRef, resolve: (r) => r.agent }),
    signingSecret: t.exposeString('signingSecret', { description: 'The new secret. Shown this once' }),
    previousSecretValidUntil: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'Until then every call also carries a signature made with the secret this one replaced; null: the old secret signs nothing more',
      resolve: (r) => r.previousSecretValidUntil,
    }),
  }),
});

const CreateAgentInput = builder.inputType('CreateAgentInput', {
  fields: (t) => ({
    slug: t.string({ required: true }),
    kind: t.field({ type: AgentKindEnum, required: true, description: 'llm or http (tool agents ship with Gavel)' }),
    name: t.string({ required: true }),
    emoji: t.string({ required: true }),
    domain: t.string({ required: true }),
    skills: t.stringList({ required: true }),
    description: t.string({ required: true }),
    version: t.string({ required: true }),
    priceInputPerMTok: t.float({ required: true, description: 'USD per million input tokens' }),
    priceOutputPerMTok: t.float({ required: true, description: 'USD per million output tokens' }),
    systemPrompt: t.string({ description: 'LLM agents: their system prompt' }),
    model: t.string({ description: 'LLM agents: model override (default GAVEL_MODEL)' }),
    endpoint: t.string({ description: 'HTTP agents: base URL implementing docs/agent-protocol.md' }),
    active: t.boolean(),
  }),
});

const UpdateAgentInput = builder.inputType('UpdateAgentInput', {
  fields: (t) => ({
    name: t.string(),
    emoji: t.string(),
    domain: t.string(),
    skills: t.stringList(),
    description: t.string(),
    version: t.string(),
    priceInputPerMTok: t.float(),
    priceOutputPerMTok: t.float(),
    systemPrompt: t.string(),
    model: t.string(),
    endpoint: t.string(),
    active: t.boolean(),
  }),
});

builder.mutationField('createAgent', (t) =>
  t.field({
    type: CreateAgentPayload,
    description: 'Registers an LLM or HTTP agent (operator tenant, agents_write); an HTTP agent gets its signing secret, shown once',
    authScopes: operatorOnly,
    args: { input: t.arg({ type: CreateAgentInput, required: true }) },
    resolve: (_r, { input }, ctx) => ctx.modules.agentAdmin.create(stripNulls(input) as CreateAgentInputData),
  }),
);

builder.mutationField('updateAgent', (t) =>
  t.field({
    type: AgentRef,
    description: 'Edits an agent; edits survive catalog syncs (operator tenant, agents_write)',
    authScopes: operatorOnly,
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: UpdateAgentInput, required: true }) },
    resolve: (_r, { id, input }, ctx) => ctx.modules.agentAdmin.update(String(id), stripNulls(input)),
  }),
);

builder.mutationField('rotateAgentSecret', (t) =>
  t.field({
    type: RotateAgentSecretPayload,
    description: 'Gives an HTTP agent a new signing secret, shown once; the old one keeps signing for the grace window (operator tenant, agents_write)',
    authScopes: operatorOnly,
    args: {
      id: t.arg.id({ required: true, description: 'Agent id or slug' }),
      graceSeconds: t.arg.int({
        defaultValue: DEFAULT_SECRET_GRACE_SECONDS,
        description: `How long the old secret also signs, 0 to ${MAX_SECRET_GRACE_SECONDS} (0: at once, after a leak)`,
      }),
    },
    resolve: (_r, { id, graceSeconds }, ctx) => ctx.modules.agentAdmin.rotateSecret(String(id), graceSeconds ?? DEFAULT_SECRET_GRACE_SECONDS),
  }),
);

function stripNulls(input: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== null && v !== undefined));
}
