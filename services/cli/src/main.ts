/** `yingpan` — the operators' and auditors' command line. */
import { Command, InvalidArgumentError } from 'commander';
// The runtime without the GraphQL schema: the command line starts in a fraction of the time.
import { configFromEnv, describeConfig, mintProblem, openLogReadOnly, openRuntime, tokensFor } from '@yingpan/api/runtime';
import { ROLES, type Role } from '@yingpan/domain';
import { findPerson } from '@yingpan/projections';
import { formatDigest, parseDigest, type Head } from '@yingpan/event-store';
import { SCALES, seedCounty, type ScaleName } from '@yingpan/seed';
import { progressBar } from './progress.ts';

const program = new Command('yingpan')
  .description('营盘 yingpan: the permanent record of people’s-congress duty performance.\n' +
    'Uses DATABASE_URL (PostgreSQL) or the embedded store in YINGPAN_DATA_DIR (default .data/pglite), and KURRENTDB_URL if set.')
  .showHelpAfterError();

const integer = (value: string) => {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new InvalidArgumentError('expected a non-negative integer');
  return parsed;
};

const digestArg = (value: string): Head => {
  try {
    return parseDigest(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
};

async function withRuntime<T>(work: (runtime: Awaited<ReturnType<typeof openRuntime>>) => Promise<T>): Promise<T> {
  const config = configFromEnv();
  console.error(`Store: ${describeConfig(config)}`);
  const runtime = await openRuntime(config);
  try {
    return await work(runtime);
  } finally {
    await runtime.close();
  }
}

program
  .command('verify')
  .description('Walk the whole log and check the hash chain. Exit 0 when intact, 1 naming the first position that fails.')
  .option('--digest', 'print only the digest (position + head hash) to keep and check against later')
  .option('--against <digest>', 'also check that the log still holds this earlier digest', digestArg)
  .action(async (options: { digest?: boolean; against?: Head }) => {
    // Read-only: no migrations, no projector, nothing created where there was nothing.
    const config = configFromEnv();
    console.error(`Store: ${describeConfig(config)}`);
    const log = await openLogReadOnly(config);
    const bar = progressBar('Verifying', 'events');
    const result = await log.store
      .verify({ digest: options.against, onProgress: ({ checked, total }) => bar.update(checked, total) })
      .finally(async () => {
        bar.stop();
        await log.close();
      });
    if (!result.ok) {
      console.error(`FAILED at position ${result.position} (${result.kind}): ${result.message}`);
      console.error(`${result.count} events before it verified.`);
      process.exitCode = 1;
      return;
    }
    if (options.digest) {
      console.log(formatDigest(result.head));
      return;
    }
    console.log(`OK: ${result.count} events verified; head position ${result.head.position}, hash ${result.head.hash}`);
    if (options.against) console.log(`The log still holds digest ${formatDigest(options.against)}.`);
  });

const scaleArg = (value: string): ScaleName => {
  if (value === 'province' || value in SCALES) return value as ScaleName;
  throw new InvalidArgumentError(`expected one of ${[...Object.keys(SCALES), 'province'].join(', ')}`);
};

program
  .command('seed')
  .description('Build the deterministic demo county (two terms) through the domain commands; running it again adds nothing.')
  .option('--seed <n>', 'random seed', integer, 1)
  .option('--scale <scale>', 'small (seconds, for tests), county (about 1,500 people), province (100 counties)', scaleArg, 'county')
  .action(async (options: { seed: number; scale: ScaleName }) => {
    await withRuntime(async ({ store, projector }) => {
      const bar = progressBar(`Seeding (${options.scale})`, 'commands');
      const started = Date.now();
      const summary = await seedCounty(store, { ...options, onProgress: ({ commands, estimate }) => bar.update(commands, estimate) }).finally(() => bar.stop());
      const seconds = (Date.now() - started) / 1000;
      console.log(
        `Seeded ${summary.events.toLocaleString('en')} events from ${summary.commands.toLocaleString('en')} commands in ${seconds.toFixed(1)} s ` +
          `(${Math.round(summary.events / seconds).toLocaleString('en')} events/s): ${summary.people} people, ${summary.stations} stations.`,
      );
      const refused = Object.entries(summary.rejectedByRules);
      if (refused.length) console.log(`Refused by the domain rules (left out): ${refused.map(([key, n]) => `${key} ×${n}`).join(', ')}`);
      await projector.catchUp();
      console.log(`Log head at ${(await store.head()).position}.`);
    });
  });

program
  .command('rebuild')
  .description('Rebuild read models from position zero beside the live ones, then switch over atomically.')
  .argument('[names...]', 'projections to rebuild (default: all)')
  .action(async (names: string[]) => {
    await withRuntime(async ({ projector }) => {
      const chosen = names.length ? projector.projections.filter((projection) => names.includes(projection.name)) : projector.projections;
      const unknown = names.filter((name) => !projector.projections.some((projection) => projection.name === name));
      if (unknown.length) throw new Error(`unknown projection(s): ${unknown.join(', ')}; known: ${projector.projections.map((p) => p.name).join(', ')}`);
      // One pass over the log feeds every chosen projection.
      const bar = progressBar(`Rebuilding ${chosen.map((projection) => projection.name).join(', ')}`, 'events');
      const started = Date.now();
      const failures = await projector.rebuildAll(chosen, (position, head) => bar.update(position, head)).finally(() => bar.stop());
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      console.log(`rebuilt ${chosen.length - failures.length} of ${chosen.length} in ${seconds} s`);
      for (const failure of failures) {
        console.error(`${failure.projection} FAILED at position ${failure.position} (${failure.eventType} ${failure.eventId}): ${failure.message}`);
      }
      if (failures.length > 0) process.exitCode = 1;
    });
  });

program
  .command('status')
  .description('Show each projection’s position, lag and failure, if any.')
  .action(async () => {
    await withRuntime(async ({ projector }) => {
      for (const row of await projector.status()) {
        const failure = row.failure ? `  FAILED at ${row.failure.position} (${row.failure.eventType}): ${row.failure.message}` : '';
        console.log(`${row.name.padEnd(20)} v${row.version}  at ${row.position}/${row.headPosition}  lag ${row.lagEvents} events, ${row.lagSeconds.toFixed(1)} s${failure}`);
      }
    });
  });

const roleArg = (value: string): Role => {
  if ((ROLES as readonly string[]).includes(value) && value !== 'public') return value as Role;
  throw new InvalidArgumentError(`expected one of ${ROLES.filter((role) => role !== 'public').join(', ')}`);
};

program
  .command('token')
  .description(
    'Mint a sign-in token for local use, signed with YINGPAN_TOKEN_SECRET or else the secret kept in .data/token-secret ' +
      '(the one `npm start` uses). Deputies, station managers and committee members act as themselves: name them with --person.',
  )
  .requiredOption('--role <role>', `one of ${ROLES.filter((role) => role !== 'public').join(', ')}`, roleArg)
  .option('--person <id>', 'the person (directory id) the token acts as')
  .option('--name <name>', 'a display name to carry')
  .option('--expires-in <span>', 'how long it is valid, e.g. 12h, 7d', '12h')
  .action(async (options: { role: Role; person?: string; name?: string; expiresIn: string }) => {
    const mint = { role: options.role, personId: options.person, name: options.name, expiresIn: options.expiresIn };
    const problem = mintProblem(mint);
    if (problem) throw new InvalidArgumentError(problem);
    if (options.person) {
      const person = await withRuntime(({ db }) => findPerson(db, options.person!));
      if (!person) throw new InvalidArgumentError(`no person ${options.person} in the directory`);
      mint.name ??= person.name;
    }
    console.log(await tokensFor(configFromEnv()).mint(mint));
  });

try {
  await program.parseAsync();
} catch (error) {
  console.error(`yingpan: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 2;
}
