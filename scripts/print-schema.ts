/** Prints schema.graphql from the Pothos builder (sorted), the committed source of truth for clients. */
import { writeFileSync } from 'node:fs';
import { printSchema } from 'graphql';
import { schema } from '../src/graphql/schema.js';

const out = new URL('../schema.graphql', import.meta.url);
writeFileSync(out, `${printSchema(schema)}\n`);
console.log(`wrote ${out.pathname}`);
