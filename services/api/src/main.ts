/** `npm start` runs this: the API server, with the projector following the log in-process. */
import { DEMO_SEED, seedChoiceOf, seedCounty } from '@yingpan/seed';
import path from 'node:path';
import { createHttpServer } from './app.ts';
import { accountServiceFor } from './auth-accounts.ts';
import { createDemoAccounts, demoAccountsFileFor, readDemoAccounts } from './auth-demo.ts';
import { scheduleCheckpoints } from './checkpoints.ts';
import { configFromEnv, describeConfig, openRuntime, useConfiguredClock } from './runtime.ts';

const config = configFromEnv();
useConfiguredClock(config);
const port = Number(process.env.API_PORT || 4000);
const runtime = await openRuntime(config);

// The embedded store builds the small county (seconds); PostgreSQL the full one (a few minutes); `none` starts empty.
const scale = seedChoiceOf(process.env.YINGPAN_SEED_SCALE, config.databaseUrl !== undefined);
const empty = (await runtime.store.head()).position === 0;
if (empty && scale === 'none') {
  console.log(
    'Empty event log and YINGPAN_SEED_SCALE=none: an empty county. After the first install (/setup), set it up at /settings (its term and stations) and import its roster at /import.',
  );
}
if (empty && scale !== 'none') {
  console.log(`Empty event log: building the demo county (scale ${scale}, seed ${DEMO_SEED}); this happens once…`);
  let reported = 0;
  const summary = await seedCounty(runtime.store, {
    seed: DEMO_SEED,
    scale,
    onProgress({ commands, estimate }) {
      const percent = Math.floor((100 * commands) / estimate / 10) * 10;
      if (percent > reported) console.log(`  … ${(reported = percent)}%`);
    },
  });
  console.log(`Demo county ready: ${summary.events.toLocaleString('en')} events, ${summary.people} people, ${summary.stations} stations.`);
  await runtime.projector.catchUp();
}
runtime.startProjector();

// Sign-in: demo accounts for a demo county built just now (auth-demo.ts); else, while the log has no
// account, a one-time setup code for the first administrator (never a default password).
const accounts = accountServiceFor(runtime);
const demoAccountsFile = demoAccountsFileFor(config.dataDir);
if (empty && scale !== 'none') await createDemoAccounts(accounts, runtime.db, demoAccountsFile);
const setupCode = await accounts.issueSetupCode();

// A signed checkpoint of the log's Merkle tree every full hour (the day's end among them) when the log has grown.
const { log: tree, signer, origin } = runtime.transparency;
const stopCheckpoints = tree
  ? scheduleCheckpoints(() => tree.issueCheckpoint(signer, origin), {
      issued: (checkpoint) => console.log(`[checkpoint] signed tree size ${checkpoint.treeSize} (${origin})`),
      failed: (error) => console.error(`[checkpoint] not issued: ${error instanceof Error ? error.message : String(error)}`),
    })
  : () => {};

const server = createHttpServer(runtime);
server.listen(port, async () => {
  console.log(`yingpan API  http://localhost:${port}/graphql  (${describeConfig(config)})`);
  // Local sign-in links (the token rides in the fragment, which no server logs). Others: `npx yingpan token --role …`.
  const web = config.webUrl ?? `http://localhost:3000`;
  if (setupCode) console.log(`First install: open ${web}/setup with the one-time setup code ${setupCode} (valid 24 hours) to create the first administrator.`);
  const demo = setupCode ? [] : readDemoAccounts(demoAccountsFile);
  if (demo.length > 0) {
    console.log(`Demo accounts — sign in at ${web}/login (kept in ${path.relative(process.cwd(), demoAccountsFile)}):`);
    for (const account of demo) console.log(`  ${account.username.padEnd(15)} ${account.password}  ${account.label}`);
  }
  console.log('Service sign-in links (tokens for automation and quick local checks, valid 7 days):');
  for (const role of ['staff', 'auditor', 'admin'] as const) {
    console.log(`  ${role.padEnd(8)} ${web}/signin#token=${await runtime.tokens.mint({ role, expiresIn: '7d' })}`);
  }
});

let closing = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    if (closing) return;
    closing = true;
    stopCheckpoints();
    server.close();
    await runtime.close();
    process.exit(0);
  });
}
