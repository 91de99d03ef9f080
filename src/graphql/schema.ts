import { lexicographicSortSchema } from 'graphql';
import { builder } from './builder.js';
// Domain modules register their types, queries, mutations and subscriptions on import.
import '../modules/keys/keys.schema.js';
import '../modules/tenants/me.schema.js';

export const schema = lexicographicSortSchema(builder.toSchema());
