/** `npm start` runs this: the API server, with the projector following the log in-process. */
import { seedDemo } from '@yingpan/seed';
import { createHttpServer } from './app.ts';
import { configFromEnv, describeConfig, openRuntime } from './runtime.ts';

const config = configFromEnv();
const port = Number(process.env.API_PORT || 4000);
const runtime = await openRuntime(config);

if ((await runtime.store.head()).position === 0) {
  process.stdout.write('Empty event log: building the demo county (seed 1)… ');
  const summary = await seedDemo(runtime.store, { seed: 1 });
  console.log(`${summary.people} people, ${summary.trainings} trainings, ${summary.attendances} attendances.`);
}
runtime.startProjector();

const server = createHttpServer(runtime);
server.listen(port, () => {
  console.log(`yingpan API  http://localhost:${port}/graphql  (${describeConfig(config)})`);
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
