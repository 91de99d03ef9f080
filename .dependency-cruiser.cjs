/**
 * The import rules that keep the layout (docs/architecture.md, section 4). `.ci/run`
 * fails on any violation: `npm run depcheck`.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-value-cycles',
      comment: 'A value import cycle makes load order matter; type-only imports do not run.',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'modules-through-their-index',
      comment: "A module reaches another only through that module's public index.ts.",
      severity: 'error',
      from: { path: '^src/modules/([^/]+)/', pathNot: '\\.store\\.ts$' },
      to: {
        path: '^src/modules/([^/]+)/',
        pathNot: [
          '^src/modules/$1/',
          '^src/modules/[^/]+/index\\.ts$',
          // The schema-level surfaces, shared by design: ORM entities (relations name
          // other modules' entities) and Pothos types (fields return other modules' types).
          '^src/modules/[^/]+/[^/]+\\.entity\\.ts$',
          '^src/modules/[^/]+/[^/]+\\.schema\\.ts$',
        ],
      },
    },
    {
      name: 'stores-compose-stores',
      comment:
        "A store composes other modules' store parts into its one-statement writes and joins; it reaches nothing else of theirs but their index and entities.",
      severity: 'error',
      from: { path: '^src/modules/([^/]+)/[^/]+\\.store\\.ts$' },
      to: {
        path: '^src/modules/([^/]+)/',
        pathNot: ['^src/modules/$1/', '^src/modules/[^/]+/index\\.ts$', '^src/modules/[^/]+/[^/]+\\.entity\\.ts$', '^src/modules/[^/]+/[^/]+\\.store\\.ts$'],
      },
    },
    {
      name: 'server-through-module-index',
      comment: 'The server, the schema layer, the CLI and the composition root use a module through its index.ts (or its entities and Pothos types).',
      severity: 'error',
      from: { path: ['^src/(http|graphql|ws|cli)/', '^src/app\\.ts$', '^src/background\\.ts$'] },
      to: {
        path: '^src/modules/[^/]+/',
        pathNot: ['^src/modules/[^/]+/index\\.ts$', '^src/modules/[^/]+/[^/]+\\.entity\\.ts$', '^src/modules/[^/]+/[^/]+\\.schema\\.ts$'],
      },
    },
    {
      name: 'sql-in-stores',
      comment: "SQL is written in a module's store (or the job platform and db/ itself); services call store functions.",
      severity: 'error',
      from: { path: '^src/', pathNot: ['\\.store\\.ts$', '^src/db/', '^src/jobs/job-queue\\.ts$'] },
      to: { path: '^src/db/sql\\.ts$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'modules-not-dialects-or-server',
      comment: 'Domain modules know nothing of REST dialects, HTTP, WebSocket or the composition root.',
      severity: 'error',
      from: { path: '^src/modules/' },
      to: { path: ['^src/dialects/', '^src/http/', '^src/ws/', '^src/app\\.ts$', '^src/main\\.ts$'] },
    },
    {
      name: 'dialects-speak-graphql',
      comment: "Dialects run GraphQL documents; they never import a module's code.",
      severity: 'error',
      from: { path: '^src/dialects/' },
      to: { path: '^src/modules/' },
    },
    {
      name: 'dialects-below-the-server',
      comment: 'The server mounts the dialects; a dialect names the server only in types (the gateway it runs on).',
      severity: 'error',
      from: { path: '^src/dialects/' },
      to: { path: ['^src/http/', '^src/ws/', '^src/app\\.ts$', '^src/main\\.ts$'], dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
