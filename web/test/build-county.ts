/**
 * Builds the end-to-end tests' county on an empty log (the database the environment names, as the
 * API reads it: DATABASE_URL or YINGPAN_DATA_DIR) and exits: what the API's main.ts does on its first
 * start with YINGPAN_SEED_SCALE=small, on the small county every other package's integration tests
 * stand on (seed 7; the demo's own seed differs only in its people and their acts), its log appended
 * from the seed's test fixture (`@yingpan/seed/fixture`: the same events `seedCounty` writes, kept in a
 * file once built, so a fresh machine builds one county through the commands, not two) instead of
 * running its commands again. Then, as main.ts: every read model caught up, the projector started, the
 * demo accounts created (their file beside the data folder) and projected. servers.ts runs it in a
 * process of its own, so the configured day (YINGPAN_TODAY) is the clock of this process alone.
 */
import { accountServiceFor } from '@yingpan/api/accounts';
import { createDemoAccounts, demoAccountsFileFor } from '@yingpan/api/demo-accounts';
import { configFromEnv, openRuntime, useConfiguredClock } from '@yingpan/api/runtime';
import { countyToday } from '@yingpan/domain';
import { seedCountyFixture } from '@yingpan/seed/fixture';

/** The integration tests' county (`openCountyImage(target, { seed: 7, scale: 'small' })` elsewhere). */
const SEED = 7;

const config = configFromEnv();
useConfiguredClock(config);
const runtime = await openRuntime(config);
try {
  if ((await runtime.store.head()).position !== 0) throw new Error('The county is built on an empty log only.');
  console.log(`Appending the small county (scale small, seed ${SEED}, ${countyToday()}) from the seed's fixture…`);
  await seedCountyFixture(runtime.store, { seed: SEED, scale: 'small', today: countyToday() });
  console.log('Projecting it…');
  await runtime.projector.catchUp();
  runtime.startProjector();
  const made = await createDemoAccounts(accountServiceFor(runtime), runtime.db, demoAccountsFileFor(config.dataDir));
  const head = (await runtime.store.head()).position;
  await runtime.waitForProjections(head, 120_000);
  const behind = (await runtime.projector.status()).filter((status) => status.lagEvents > 0 || status.failure);
  if (behind.length > 0)
    throw new Error(`Read models not at the log's head (${head}): ${behind.map((status) => `${status.name} at ${status.position}`).join(', ')}`);
  console.log(`Demo county ready: ${head.toLocaleString('en')} events, ${made.length} demo accounts.`);
} finally {
  await runtime.close();
}
