/**
 * The vitest settings the packages share (each package's vitest.config.ts is one call):
 * - tests are `test/**\/*.spec.ts`, their level in the name (unit, int, e2e);
 * - every test's county stands on one day, not the wall clock's (services/domain/src/test-clock.ts);
 * - two files run at once. Vitest's default on two cores is one: most integration files spend their
 *   time waiting on PostgreSQL or on a projector, so a second file overlaps them (the projections'
 *   suite: 219 s → 115 s on 2 cores);
 * - `graphql` is the one Node.js loads (its CommonJS entry, which Pothos and graphql-jit use too). Vite
 *   would give the packages' own sources its ES module entry instead, a second copy of graphql whose
 *   types the first refuses ("Cannot use GraphQLInputObjectType … from another module or realm").
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { defineConfig, type ViteUserConfig } from 'vitest/config';

export const TEST_CLOCK = fileURLToPath(new URL('../domain/src/test-clock.ts', import.meta.url));

/** Files run at once in one package's suite. */
export const MAX_WORKERS = 2;

export function packageTestConfig(test: NonNullable<ViteUserConfig['test']> = {}): ViteUserConfig {
  return defineConfig({
    resolve: { alias: [{ find: /^graphql$/, replacement: createRequire(import.meta.url).resolve('graphql') }] },
    test: {
      include: ['test/**/*.spec.ts'],
      setupFiles: [TEST_CLOCK],
      // Safety nets, not measures: CI runs two packages' suites at once on two cores, and a county seeded
      // under that load can take minutes.
      hookTimeout: 600_000,
      testTimeout: 600_000,
      maxWorkers: MAX_WORKERS,
      ...test,
    },
  });
}
