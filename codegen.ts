import type { CodegenConfig } from '@graphql-codegen/cli';

const scalars = { DateTime: 'string', JSON: 'unknown' };

/**
 * Typed documents for the REST layer and the tests, and (client preset) for the console's
 * graphql() calls, generated from the committed schema.graphql (itself printed from the
 * Pothos builder). CI fails on drift of either.
 */
const config: CodegenConfig = {
  schema: 'schema.graphql',
  generates: {
    'console/src/gql/': {
      preset: 'client',
      documents: ['console/src/**/*.{ts,tsx}', '!console/src/gql/**'],
      presetConfig: { fragmentMasking: false },
      config: { useTypeImports: true, enumsAsTypes: true, scalars, strictScalars: true },
    },
    'src/generated/graphql.ts': {
      documents: ['src/dialects/*/documents/**/*.graphql', 'test/documents/**/*.graphql'],
      plugins: ['typescript-operations', 'typed-document-node'],
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        avoidOptionals: { field: true, inputValue: false },
        scalars,
        strictScalars: true,
      },
    },
  },
  hooks: { afterAllFileWrite: [] },
};

export default config;
