import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Tests open real SQLite files, sockets and a browser: keep workers few on 2 cores.
    pool: 'forks',
    maxWorkers: 2,
  },
});
