import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // graphql ships both ESM (.mjs) and CJS; Pothos and yoga must share one copy or
  // `instanceof` checks fail. Node resolves CJS for them, so the tests do too.
  resolve: { alias: { graphql: createRequire(import.meta.url).resolve('graphql') } },
  test: {
    include: ['test/**/*.test.ts'],
    // Servers, databases and child processes are real, and three files share two cores: give them room.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Test files share one machine-wide PostgreSQL/Redis; each file isolates itself
    // with its own schema or data directory, so files may run in parallel. Most of a
    // file's time is spent waiting (child processes starting, timeouts running out), so
    // three workers on a 2-core machine finish sooner than the default of cores - 1.
    pool: 'forks',
    maxWorkers: 3,
    globalSetup: ['test/helpers/global-setup.ts'],
    setupFiles: ['test/helpers/after-file.ts'],
  },
});
