import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Typed documents for the REST layer and the tests, generated from the committed
 * schema.graphql (itself printed from the Pothos builder). CI fails on drift.
 */
const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['src/dialects/*/documents/**/*.graphql', 'test/documents/**/*.graphql'],
  generates: {
    'src/generated/graphql.ts': {
      plugins: ['typescript-operations', 'typed-document-node'],
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        avoidOptionals: { field: true, inputValue: false },
        scalars: { DateTime: 'string', JSON: 'unknown' },
        strictScalars: true,
      },
    },
  },
  hooks: { afterAllFileWrite: [] },
};

export default config;
