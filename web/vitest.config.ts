import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** Two projects: pure page logic (fast) and the browser tests against the built server. */
export default defineConfig({
  // Page logic imports shared helpers as $lib/… as SvelteKit does.
  resolve: { alias: { $lib: fileURLToPath(new URL('./src/lib', import.meta.url)) } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['src/**/*.unit.spec.ts', 'test/**/*.unit.spec.ts', 'vite/**/*.unit.spec.ts'],
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/**/*.e2e.spec.ts'],
          // One API and web server for all the files (test/global-setup.ts); the files take turns.
          globalSetup: ['test/global-setup.ts'],
          fileParallelism: false,
          // The files take turns in one worker: they share its modules (Playwright, the servers' helpers, the
          // API's token signing) instead of loading them again for each file, a second or more per file.
          isolate: false,
          hookTimeout: 120_000,
          testTimeout: 120_000,
          // A page waited for by expect.poll may answer slowly when CI runs other packages' tests beside these.
          expect: { poll: { timeout: 15_000 } },
        },
      },
    ],
  },
});
