/**
 * The projection benchmark on PostgreSQL. In a throw-away copy of the demo county (built through
 * the domain commands once, then cached as a template database: see county-cache.ts) it measures, each next to a baseline from the same run:
 *   - a full rebuild of every read model (in one pass, rebuildAll, and one model after another),
 *     against reading the whole log with a plain keyset SELECT (what any rebuild must at least do),
 *     with the peak memory of the process doing each, and against the least its writes can cost
 *     (every read model's rows copied table to table inside PostgreSQL: write-floor.ts);
 *   - as-of queries ("as it happened" on a date, "as it was known" at a log position) for one
 *     person's scorecard and for the county's score bands and station compliance, against the
 *     same query on the current state.
 *
 *   npm run bench:projections -w @yingpan/bench -- [--quick] [--scale small|county]
 *   (--quick: the small county; or BENCH_PROJECTIONS_SCALE)
 *
 * The rebuild and its baseline run in child processes (rebuild-child.ts), which also report their
 * peak memory.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { postgresDb } from '@yingpan/db';
import { SqlEventStore } from '@yingpan/event-store';
import { allProjections, compliance, NOW, scorecard, scoresByBand, type AsOf } from '@yingpan/projections';
import { countyDatabase } from './county-cache.ts';
import { percentile } from './measure.ts';
import { runPhase, type PhaseResult } from './rebuild-child.ts';
import { DEFAULT_FOOTNOTE, describeMachine, renderReport, type ResultRow } from './report.ts';
import { readModelWriteFloor } from './write-floor.ts';

const RESULTS_FILE = fileURLToPath(new URL('../results/projections.md', import.meta.url));
const quick = process.argv.includes('--quick');
const scaleFlag = process.argv.indexOf('--scale');
const scaleText = (scaleFlag >= 0 ? process.argv[scaleFlag + 1] : process.env.BENCH_PROJECTIONS_SCALE) || (quick ? 'small' : 'county');
if (scaleText !== 'small' && scaleText !== 'county') throw new Error(`--scale must be small or county, got ${scaleText}`);
const scale: 'small' | 'county' = scaleText;
const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);

/** Median wall time of `runs` calls, in ms. */
async function medianMs(runs: number, fn: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return percentile(
    times.sort((a, b) => a - b),
    50,
  );
}

async function main(): Promise<void> {
  // The county with its read models caught up (a copy of the cached template; built first when there is none).
  const database = await countyDatabase({ scale, seed: 1, rebuild: process.argv.includes('--rebuild-county') });
  const seeded = database.county;
  const db = postgresDb({ connectionString: database.url, max: 4 });
  try {
    const store = await SqlEventStore.open(db);
    const total = seeded.events;

    // Each in a fresh process, so its memory is its own (not what building the county left here).
    log('baseline: reading the whole log with a plain SELECT (in a process of its own)…');
    const read = await runPhase('read', database.url);
    log(`rebuilding ${allProjections.length} read models from zero in one pass (rebuildAll, in a process of its own)…`);
    const together = await runPhase('rebuild-all', database.url);
    log(`rebuilding ${allProjections.length} read models from zero one after another (rebuild each, in a process of its own)…`);
    const oneByOne = await runPhase('rebuild', database.url);
    const models = `all ${allProjections.length} read models`;
    const rebuildRows = (how: string, rebuilt: PhaseResult): ResultRow[] => [
      {
        benchmark: `rebuild ${models} ${how}, ${total.toLocaleString('en')} events (baseline: SELECT the log)`,
        unit: 'events/s',
        yingpan: total / rebuilt.seconds,
        baseline: total / read.seconds,
      },
      {
        benchmark: `peak RSS of the process rebuilding ${models} ${how} (baseline: a process SELECTing the log)`,
        unit: 'MiB',
        yingpan: rebuilt.peak.rssMiB,
        baseline: read.peak.rssMiB,
      },
      {
        benchmark: `peak V8 heap used of the process rebuilding ${models} ${how} (baseline: the same)`,
        unit: 'MiB',
        yingpan: rebuilt.peak.heapUsedMiB,
        baseline: read.peak.heapUsedMiB,
      },
    ];
    log('baseline: copying every read model’s rows table to table inside PostgreSQL (the least the rebuild’s writes cost)…');
    const floor = await readModelWriteFloor(db);
    const rows: ResultRow[] = [
      ...rebuildRows('in one pass (rebuildAll)', together),
      {
        benchmark: `rebuild ${models} in one pass (baseline: PostgreSQL copying the ${floor.rows.toLocaleString('en')} rows it wrote, table to table, indexes kept)`,
        unit: 'events/s',
        yingpan: total / together.seconds,
        baseline: total / floor.seconds,
      },
      ...rebuildRows('one after another (rebuild each)', oneByOne),
    ];

    const { rows: people } = await db.query<{ person_id: string }>(
      `SELECT person_id FROM rm_facts.record_versions WHERE valid_to_position IS NULL GROUP BY person_id ORDER BY count(*) DESC LIMIT 1`,
    );
    const personId = people[0]!.person_id;
    const head = (await store.head()).position;
    const views: [string, AsOf][] = [
      ['as it happened on 2024-06-30', { view: 'happened', date: '2024-06-30' }],
      ['as it was known at half the log', { view: 'known', position: Math.floor(head / 2) }],
    ];
    const { rows: townships } = await db.query<{ township: string }>('SELECT township FROM rm_stations.stations LIMIT 1');
    const queries: [string, (asOf: AsOf) => Promise<unknown>][] = [
      ['one person’s scorecard for 2024', (asOf) => scorecard(db, { personId, year: 2024 }, asOf)],
      ['county score bands for 2024', (asOf) => scoresByBand(db, { year: 2024 }, asOf)],
      ['a township’s station compliance for 2024', (asOf) => compliance(db, { township: townships[0]!.township, year: 2024, asOf })],
    ];
    for (const [name, query] of queries) {
      log(`as-of query: ${name}…`);
      const current = await medianMs(5, () => query(NOW));
      for (const [view, asOf] of views) {
        rows.push({
          benchmark: `${name}, ${view} (baseline: the same query now)`,
          unit: 'ms',
          yingpan: await medianMs(5, () => query(asOf)),
          baseline: current,
        });
      }
    }

    const machine = await describeMachine(db);
    const workload = [
      `Workload: the ${scale} demo county (seed 1): ${total.toLocaleString('en')} events from ${seeded.commands.toLocaleString('en')} commands, ` +
        `${seeded.people} people, ${seeded.stations} stations. Read models: ${allProjections.map((p) => p.name).join(', ')}. Query times are medians of 5 runs. ` +
        'The rebuild and its baseline each run in a fresh Node.js process (rebuild-child.ts): the baseline pages through the log with a plain keyset SELECT ' +
        '(2,000 rows a page, rows dropped as read); the rebuild runs twice: Projector.rebuildAll (each page read once and applied to every model, as `yingpan rebuild` does), ' +
        'then Projector.rebuild for each model in turn (a pass over the log per model); batches of 2,000. ' +
        `The write floor (write-floor.ts): the ${floor.rows.toLocaleString('en')} rows of the ${floor.tables} read-model tables (${(floor.rows / total).toFixed(2)} an event) copied with INSERT … SELECT into empty tables with the same indexes, one statement a table, in ${floor.seconds.toFixed(2)} s. ` +
        `Memory: that process only (not PostgreSQL), sampled every 25 ms; at rest after opening the database: ${read.rest.rssMiB.toFixed(0)} MiB RSS (baseline process), ` +
        `${together.rest.rssMiB.toFixed(0)} and ${oneByOne.rest.rssMiB.toFixed(0)} MiB RSS (rebuilding processes).`,
    ];
    const report = renderReport(`yingpan projection benchmark, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`, machine, workload, rows, [
      `${DEFAULT_FOOTNOTE} On MiB, a ratio above 1 means the rebuild holds more memory than reading the log does.`,
    ]);
    process.stdout.write(report);
    mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
    writeFileSync(RESULTS_FILE, report);
    await store.close();
  } finally {
    await db.close();
    await database.drop();
  }
}

await main();
