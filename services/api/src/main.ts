/** `npm start` runs this: the API server, with the projector following the log in-process. */
import { seedCounty, type ScaleName } from '@yingpan/seed';
import { createHttpServer } from './app.ts';
import { configFromEnv, describeConfig, openRuntime } from './runtime.ts';

const config = configFromEnv();
const port = Number(process.env.API_PORT || 4000);
const runtime = await openRuntime(config);

if ((await runtime.store.head()).position === 0) {
  // The embedded store builds the small county (seconds); PostgreSQL the full one (a few minutes).
  const scale = (process.env.YINGPAN_SEED_SCALE || (config.databaseUrl ? 'county' : 'small')) as ScaleName;
  console.log(`Empty event log: building the demo county (scale ${scale}, seed 1); this happens once…`);
  let reported = 0;
  const summary = await seedCounty(runtime.store, {
    seed: 1,
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

const server = createHttpServer(runtime);
server.listen(port, async () => {
  console.log(`yingpan API  http://localhost:${port}/graphql  (${describeConfig(config)})`);
  // Local sign-in links (the token rides in the fragment, which no server logs). Others: `npx yingpan token --role …`.
  const web = process.env.WEB_URL || `http://localhost:${process.env.PORT || 3000}`;
  console.log('Sign in to the web client as (links valid 7 days):');
  for (const role of ['staff', 'auditor', 'admin'] as const) {
    console.log(`  ${role.padEnd(8)} ${web}/signin#token=${await runtime.tokens.mint({ role, expiresIn: '7d' })}`);
  }
});

let closing = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    if (closing) return;
    closing = true;
    server.close();
    await runtime.close();
    process.exit(0);
  });
}
