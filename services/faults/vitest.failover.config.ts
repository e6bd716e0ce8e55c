import { defineConfig } from 'vitest/config';

/**
 * What `npm test` runs of the fault suite: the pg_auto_failover cluster's primary, the projector's
 * API process and the standby killed under write load, and the standby's disk filled (test/failover.spec.ts). It starts a cluster of
 * its own and needs Debian's pg_auto_failover packages (CI's `.ci/run` installs them); without them
 * it is skipped, and says so. `npm run test:faults` runs every scenario and fails when they are missing.
 */
export default defineConfig({
  test: {
    include: ['test/failover.spec.ts'],
    hookTimeout: 300_000,
    testTimeout: 600_000,
    env: { YINGPAN_FAILOVER_OPTIONAL: '1' },
  },
});
