import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.spec.ts'],
    // One file at a time: the suites restart PostgreSQL and load the machine on purpose.
    fileParallelism: false,
    hookTimeout: 300_000,
    testTimeout: 600_000,
  },
});
