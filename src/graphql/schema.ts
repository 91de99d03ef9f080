import { lexicographicSortSchema } from 'graphql';
import { builder } from './builder.js';
// Domain modules register their types, queries, mutations and subscriptions on import.
import '../modules/keys/keys.schema.js';
import '../modules/keys/stream-token.schema.js';
import '../modules/tenants/me.schema.js';
import '../modules/agents/agents.schema.js';
import '../modules/agents/agent-admin.schema.js';
import '../modules/intents/intents.schema.js';
import '../modules/sessions/sessions.schema.js';
import '../modules/stats/stats.schema.js';
import '../modules/events/events.schema.js';
import '../modules/webhooks/webhooks.schema.js';
import '../modules/wallet/wallet.schema.js';
import '../modules/batches/batches.schema.js';
import '../modules/analytics/analytics.schema.js';
import '../modules/files/files.schema.js';

export const schema = lexicographicSortSchema(builder.toSchema());
