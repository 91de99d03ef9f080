import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Servers, databases and child processes are real: give them room.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Test files share one machine-wide PostgreSQL/Redis; each file isolates itself
    // with its own schema or data directory, so files may run in parallel.
    pool: 'forks',
    globalSetup: ['test/helpers/global-setup.ts'],
  },
});
