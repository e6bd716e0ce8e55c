/**
 * Peer comparison: yingpan's SqlEventStore next to Emmett's PostgreSQL event store
 * (@event-driven-io/emmett-postgresql) and next to plain INSERT/SELECT, on the same server, each
 * in its own throw-away database, given the very same events (realistic training-attendance
 * records, see events.ts) in the same order with the same concurrency:
 *   - single-event appends with exact expected versions, one writer, then a few writers on
 *     different streams (throughput, p50/p99 latency per append);
 *   - appends of a batch of events to one stream (yingpan `append` with many events, Emmett
 *     `appendToStream` with many events, one multi-row INSERT);
 *   - reading the whole log in pages (yingpan `readAll`, Emmett `readMessagesBatch`, a keyset
 *     SELECT on the plain table).
 * Each phase runs in rounds, the three sides taking turns in a rotating order (see inRounds).
 *
 *   npm run bench:peers -w @yingpan/bench -- [--quick] [--single N] [--writers N] [--batches N] [--batch-size N] [--page N] [--rounds N]
 *   (or BENCH_PEERS_SINGLE, BENCH_PEERS_WRITERS, BENCH_PEERS_BATCHES, BENCH_PEERS_BATCH_SIZE, BENCH_PEERS_PAGE, BENCH_PEERS_ROUNDS)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { postgresDb, type Db } from '@yingpan/db';
import { SqlEventStore, type AppendRequest } from '@yingpan/event-store';
import { appendEmmett, emmettSettled, emmettVersion, openEmmett, readEmmettPage, toEmmett, type Emmett } from './emmett.ts';
import { DEPUTIES, EVENT_TYPE, attendancePlan, newDeputies } from './events.ts';
import { eventsPerSecond, measure, percentile, type Measurement } from './measure.ts';
import { sizeOption } from './options.ts';
import { PLAIN_TABLE, createPlainTable, indexForPaging, insertRows, readPlainPage, toPlainRows } from './plain.ts';
import { throwAwayDatabase } from './throwaway.ts';
import { comparisonTable, describeMachine, renderDocument, titled, type MultiRow } from './report.ts';

const RESULTS_FILE = fileURLToPath(new URL('../results/peers.md', import.meta.url));
const log = (line: string) => console.error(`[bench] ${line}`);
const count = (n: number) => n.toLocaleString('en-US');

interface Options {
  mode: string;
  /** Each phase is split into this many rounds; each round runs the three sides in a rotated order. */
  rounds: number;
  singleAppends: number;
  writers: number;
  batches: number;
  batchSize: number;
  pageSize: number;
}

function parseOptions(argv: string[], env: NodeJS.ProcessEnv): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean' },
      single: { type: 'string' },
      writers: { type: 'string' },
      batches: { type: 'string' },
      'batch-size': { type: 'string' },
      page: { type: 'string' },
      rounds: { type: 'string' },
    },
  });
  const scale = values.quick ? 0.2 : 1;
  const options = {
    mode: values.quick ? 'quick' : 'full',
    rounds: sizeOption(values.rounds, env.BENCH_PEERS_ROUNDS, 3, 'rounds'),
    singleAppends: sizeOption(values.single, env.BENCH_PEERS_SINGLE, 2_000, 'single appends', scale),
    writers: sizeOption(values.writers, env.BENCH_PEERS_WRITERS, 4, 'writers'),
    batches: sizeOption(values.batches, env.BENCH_PEERS_BATCHES, 300, 'batches', scale),
    batchSize: sizeOption(values['batch-size'], env.BENCH_PEERS_BATCH_SIZE, 100, 'batch size'),
    pageSize: sizeOption(values.page, env.BENCH_PEERS_PAGE, 1_000, 'page size'),
  };
  if (DEPUTIES % options.writers !== 0) throw new Error(`${DEPUTIES} streams cannot be shared evenly by ${options.writers} writers`);
  return options;
}

/** The three systems, each in its own database. */
interface Systems {
  yingpan: { db: Db; store: SqlEventStore };
  emmett: Emmett;
  /** A plain connection to Emmett's database, for maintenance (VACUUM) only. */
  emmettAdmin: Db;
  plain: { db: Db; nextPosition: number };
}

const COLUMNS = ['yingpan', 'Emmett', 'baseline'];
/** yingpan/Emmett, yingpan/baseline, Emmett/baseline. */
const RATIOS: [number, number][] = [
  [0, 1],
  [0, 2],
  [1, 2],
];

type Trio = [yingpan: Measurement, emmett: Measurement, baseline: Measurement];

const summary = (m: Measurement) => `${count(m.events)} events in ${m.seconds.toFixed(2)} s (${count(Math.round(eventsPerSecond(m)))}/s)`;

/** Several measurements of one side as one: events and seconds summed, latencies pooled. */
function merge(parts: Measurement[]): Measurement {
  return {
    ops: parts.reduce((sum, m) => sum + m.ops, 0),
    events: parts.reduce((sum, m) => sum + m.events, 0),
    seconds: parts.reduce((sum, m) => sum + m.seconds, 0),
    latenciesMs: parts.flatMap((m) => m.latenciesMs).sort((a, b) => a - b),
  };
}

type Side = 0 | 1 | 2;
const SIDE_NAMES = ['yingpan', 'Emmett', 'baseline'] as const;

/**
 * Runs `run(side)` for the three sides in `rounds` rounds, rotating who goes first (round r
 * starts with side r mod 3: baseline, yingpan, Emmett, …), so drifts on a shared machine and
 * the cost of going first or last fall on each side alike; returns each side's rounds merged.
 */
async function inRounds(name: string, rounds: number, run: (side: Side, round: number) => Promise<Measurement>): Promise<Trio> {
  log(`${name} …`);
  const parts: Measurement[][] = [[], [], []];
  const order: Side[] = [2, 0, 1];
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < 3; k++) {
      const side = order[(round + k) % 3]!;
      parts[side]!.push(await run(side, round));
    }
  }
  const trio = parts.map(merge) as Trio;
  log(`${name}: ${trio.map((m, side) => `${SIDE_NAMES[side]} ${summary(m)}`).join('; ')}`);
  return trio;
}

/**
 * The same appends on all three, `workers` at a time (worker w takes appends w, w + workers, …;
 * the plan gives each stream to one worker, so nobody conflicts), in rounds (see inRounds), each
 * round with fresh streams. Every side's input is prepared before its clock starts.
 */
async function appendAll(systems: Systems, name: string, rounds: number, plan: () => AppendRequest[], workers: number): Promise<Trio> {
  const plans = Array.from({ length: rounds }, () => {
    const requests = plan();
    const rows = requests.map((request) => {
      const prepared = toPlainRows([request], systems.plain.nextPosition);
      systems.plain.nextPosition += prepared.length;
      return prepared;
    });
    return { requests, rows, emmett: requests.map(toEmmett) };
  });
  return inRounds(name, rounds, (side, round) => {
    const { requests, rows, emmett } = plans[round]!;
    if (side === 2) return measure(requests.length, workers, (i) => insertRows(systems.plain.db, rows[i]!));
    if (side === 0) return measure(requests.length, workers, async (i) => (await systems.yingpan.store.append(requests[i]!)).positions.length);
    return measure(requests.length, workers, (i) => appendEmmett(systems.emmett, emmett[i]!));
  });
}

const throughputRow = (name: string, trio: Trio): MultiRow => ({ benchmark: `${name}: throughput`, unit: 'events/s', values: trio.map(eventsPerSecond) });
const latencyRow = (name: string, trio: Trio, p: number, per: string): MultiRow => ({
  benchmark: `${name}: p${p} latency per ${per}`,
  unit: 'ms',
  values: trio.map((m) => percentile(m.latenciesMs, p)),
});

async function singleAppends(systems: Systems, options: Options, writers: number): Promise<MultiRow[]> {
  const perRound = Math.ceil(options.singleAppends / options.rounds);
  const name = `append 1 event × ${count(perRound * options.rounds)}, ${writers} writer${writers > 1 ? 's' : ''}`;
  const trio = await appendAll(systems, name, options.rounds, () => attendancePlan(newDeputies(), perRound, 1), writers);
  return [throughputRow(name, trio), latencyRow(name, trio, 50, 'append'), latencyRow(name, trio, 99, 'append')];
}

async function batchAppends(systems: Systems, options: Options): Promise<MultiRow[]> {
  const { batchSize, rounds } = options;
  const perRound = Math.ceil(options.batches / rounds);
  const name = `append ${count(batchSize)} events to one stream × ${count(perRound * rounds)}, 1 writer`;
  const trio = await appendAll(systems, name, rounds, () => attendancePlan(newDeputies(), perRound, batchSize), 1);
  return [throughputRow(name, trio), latencyRow(name, trio, 50, 'append'), latencyRow(name, trio, 99, 'append')];
}

/**
 * Pages through a whole log by key until a page comes back empty, `read(after)` returning the
 * page's size and last key; `expected` is that log's own row count, read before (untimed). A log
 * that reads back other than it counts cannot be measured: that is said, not guessed around.
 */
async function readAllPages(side: string, expected: number, read: (after: number) => Promise<{ count: number; last: number }>): Promise<Measurement> {
  const latenciesMs: number[] = [];
  let events = 0;
  let after = 0;
  const start = performance.now();
  for (;;) {
    const begun = performance.now();
    const page = await read(after);
    if (page.count === 0) break;
    latenciesMs.push(performance.now() - begun);
    events += page.count;
    if (page.last <= after) throw new Error(`cannot measure reading ${side}'s log: a page after ${after} did not move past it`);
    after = page.last;
  }
  const seconds = (performance.now() - start) / 1000;
  if (events !== expected) throw new Error(`cannot measure reading ${side}'s log: it holds ${expected} events but paging through it read ${events}`);
  return { ops: latenciesMs.length, events, seconds, latenciesMs: latenciesMs.sort((a, b) => a - b) };
}

/** How many rows a table holds. */
async function rowsIn(db: Db, table: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
  return rows[0]!.n;
}

/**
 * The whole log on each side, in pages of `pageSize`, after VACUUM ANALYZE of each table and one
 * untimed pass each (equally warm caches).
 */
async function readWholeLog(systems: Systems, options: Options): Promise<MultiRow[]> {
  const { pageSize } = options;
  const total = (await systems.yingpan.store.head()).position;
  if (systems.plain.nextPosition - 1 !== total) throw new Error(`the baseline table has ${systems.plain.nextPosition - 1} rows, the log ${total}`);
  await indexForPaging(systems.plain.db);
  await systems.plain.db.exec(`VACUUM ANALYZE ${PLAIN_TABLE}`);
  await systems.yingpan.db.exec('VACUUM ANALYZE yingpan.events');
  await systems.emmettAdmin.exec('VACUUM ANALYZE emt_messages');
  // Each log is read back against its own count: a side that stored one event more or fewer is
  // still measured for what it holds (the appends compared the sides; this phase compares reading).
  const [plainRows, yingpanRows, emmettRows] = await Promise.all([
    rowsIn(systems.plain.db, PLAIN_TABLE),
    rowsIn(systems.yingpan.db, 'yingpan.events'),
    rowsIn(systems.emmettAdmin, 'emt_messages'),
  ]);
  const readers = {
    baseline: () => readAllPages('the baseline', plainRows, (after) => readPlainPage(systems.plain.db, after, pageSize)),
    yingpan: () =>
      readAllPages('yingpan', yingpanRows, async (after) => {
        const page = await systems.yingpan.store.readAll({ after, limit: pageSize });
        return { count: page.length, last: page.at(-1)?.position ?? after };
      }),
    // Untimed: until no transaction elsewhere on the server hides Emmett's newest message from its reads.
    emmett: async () => {
      await emmettSettled(systems.emmettAdmin);
      return readAllPages('Emmett', emmettRows, (after) => readEmmettPage(systems.emmett, after, pageSize));
    },
  };
  for (const read of Object.values(readers)) await read();
  const name = `read the whole log, ${count(total)} events × ${options.rounds}, pages of ${count(pageSize)}`;
  const trio = await inRounds(name, options.rounds, (side) => (side === 0 ? readers.yingpan() : side === 1 ? readers.emmett() : readers.baseline()));
  return [throughputRow(name, trio), latencyRow(name, trio, 50, 'page'), latencyRow(name, trio, 99, 'page')];
}

/** Mean bytes of an event's data and metadata as JSON (UTF-8). */
function meanEventBytes(): number {
  const events = attendancePlan(newDeputies(), DEPUTIES, 1).flatMap((request) => request.events);
  const bytes = events.reduce((sum, event) => sum + Buffer.byteLength(JSON.stringify(event.data)) + Buffer.byteLength(JSON.stringify(event.metadata)), 0);
  return Math.round(bytes / events.length);
}

function describeWorkload(options: Options): string[] {
  return [
    `Workload (${options.mode}): \`${EVENT_TYPE}\` events (Chinese training titles, UUIDs, recordedBy metadata; ${meanEventBytes()} bytes of JSON data and metadata each on average), ` +
      `appended round-robin to ${DEPUTIES} deputy streams with exact expected versions (a fresh set of streams per phase; ` +
      `with ${options.writers} writers each writer owns whole streams, so nobody conflicts). The same events go to all three, ` +
      `each in its own fresh database on the same server: yingpan's \`SqlEventStore\` (one advisory lock per append → gap-free positions, hash chain, ` +
      `idempotency by event id), Emmett ${emmettVersion()} \`getPostgreSQLEventStore\` (\`appendToStream\` with \`expectedStreamVersion\`; ` +
      'stream row per stream, positions from a sequence), and the baseline: the same rows into a table with the log’s columns and no keys, ' +
      'indexes or triggers, one autocommitted INSERT per append (an index on position is added before the read phase). ' +
      `Reading: yingpan \`readAll({ after, limit })\`, Emmett \`readMessagesBatch({ after, batchSize })\` (what its consumers page with), ` +
      'baseline `SELECT * … WHERE position > $1 ORDER BY position LIMIT $2`. ' +
      `Each phase runs in ${options.rounds} rounds (fresh streams each round; the whole log read again each round), each round running the three in turn, ` +
      'who goes first rotating from round to round (baseline, yingpan, Emmett; then yingpan, Emmett, baseline; …); a figure pools its side’s rounds ' +
      `(events over summed time; percentiles over all operations). Before the measured phases each side takes ${options.writers * 25} warm-up appends.`,
  ];
}

async function run(urls: { yingpan: string; emmett: string; plain: string }, options: Options): Promise<string> {
  const pool = options.writers + 2;
  const yingpanDb = postgresDb({ connectionString: urls.yingpan, max: pool });
  const plainDb = postgresDb({ connectionString: urls.plain, max: pool });
  const emmettAdmin = postgresDb({ connectionString: urls.emmett, max: 1 });
  const closers: (() => Promise<void>)[] = [() => yingpanDb.close(), () => plainDb.close(), () => emmettAdmin.close()];
  try {
    const store = await SqlEventStore.open(yingpanDb);
    closers.unshift(() => store.close());
    const emmett = await openEmmett(urls.emmett);
    closers.unshift(() => emmett.close());
    await createPlainTable(plainDb);
    const systems: Systems = { yingpan: { db: yingpanDb, store }, emmett, emmettAdmin, plain: { db: plainDb, nextPosition: 1 } };

    await appendAll(systems, 'warm-up', 1, () => attendancePlan(newDeputies(), options.writers * 25, 1), options.writers);
    const rows = [
      ...(await singleAppends(systems, options, 1)),
      ...(await singleAppends(systems, options, options.writers)),
      ...(await batchAppends(systems, options)),
      ...(await readWholeLog(systems, options)),
    ];
    const machine = await describeMachine(yingpanDb);
    return renderDocument(
      titled('yingpan and Emmett, PostgreSQL event stores side by side'),
      machine,
      describeWorkload(options),
      [comparisonTable(COLUMNS, RATIOS, rows)],
      ['A ratio below 1 on events/s, or above 1 on ms, means the first-named system is slower than the second.'],
    );
  } finally {
    for (const close of closers) await close().catch(() => {});
  }
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2), process.env);
  const databases = [await throwAwayDatabase(), await throwAwayDatabase(), await throwAwayDatabase()] as const;
  const dropAll = async () => {
    for (const database of databases) await database.drop();
  };
  try {
    const report = await run({ yingpan: databases[0].url, emmett: databases[1].url, plain: databases[2].url }, options);
    process.stdout.write(report);
    mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
    writeFileSync(RESULTS_FILE, report);
    log(`written to ${RESULTS_FILE}`);
  } finally {
    await dropAll();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
