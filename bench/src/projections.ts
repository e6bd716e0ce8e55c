/**
 * The projection benchmark on PostgreSQL. In a throw-away database it builds the demo county
 * (through the domain commands), then measures, each next to a baseline from the same run:
 *   - a full rebuild of every read model, against reading the whole log with a plain keyset SELECT
 *     (what any rebuild must at least do);
 *   - as-of queries ("as it happened" on a date, "as it was known" at a log position) for one
 *     person's scorecard and for the county's score bands and station compliance, against the
 *     same query on the current state.
 *
 *   npm run bench:projections -w @yingpan/bench -- [--quick]   (--quick: the small county)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { postgresDb } from '@yingpan/db';
import { SqlEventStore } from '@yingpan/event-store';
import { allProjections, compliance, NOW, Projector, scorecard, scoresByBand, type AsOf } from '@yingpan/projections';
import { seedCounty } from '@yingpan/seed';
import { percentile } from './measure.ts';
import { DEFAULT_DATABASE_URL } from './options.ts';
import { describeMachine, renderReport, type ResultRow } from './report.ts';

const RESULTS_FILE = fileURLToPath(new URL('../results/projections.md', import.meta.url));
const quick = process.argv.includes('--quick');
const scale = quick ? 'small' : 'county';
const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);

/** Median wall time of `runs` calls, in ms. */
async function medianMs(runs: number, fn: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return percentile(times.sort((a, b) => a - b), 50);
}

async function main(): Promise<void> {
  process.env.DATABASE_URL ??= DEFAULT_DATABASE_URL;
  const { createTestDatabase } = await import('@yingpan/db/testing');
  const database = await createTestDatabase(process.env.DATABASE_URL);
  const db = postgresDb({ connectionString: database.url, max: 4 });
  try {
    const store = await SqlEventStore.open(db);
    log(`building the ${scale} demo county…`);
    const seeded = await seedCounty(store, { seed: 1, scale });
    const total = seeded.events;
    const projector = new Projector(db, store, allProjections, { batchSize: 2000 });
    await projector.prepare();
    await projector.catchUp();

    log('baseline: reading the whole log with a plain SELECT…');
    const readStart = performance.now();
    for (let after = 0; ; ) {
      const { rows } = await db.query<{ position: number }>('SELECT * FROM yingpan.events WHERE position > $1 ORDER BY position LIMIT 2000', [after]);
      if (rows.length === 0) break;
      after = rows[rows.length - 1]!.position;
    }
    const readSeconds = (performance.now() - readStart) / 1000;

    log(`rebuilding ${allProjections.length} read models from zero…`);
    const rebuildStart = performance.now();
    for (const projection of allProjections) await projector.rebuild(projection);
    const rebuildSeconds = (performance.now() - rebuildStart) / 1000;

    const rows: ResultRow[] = [
      { benchmark: `rebuild all ${allProjections.length} read models, ${total.toLocaleString('en')} events (baseline: SELECT the log)`, unit: 'events/s', yingpan: total / rebuildSeconds, baseline: total / readSeconds },
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
        rows.push({ benchmark: `${name}, ${view} (baseline: the same query now)`, unit: 'ms', yingpan: await medianMs(5, () => query(asOf)), baseline: current });
      }
    }

    const machine = await describeMachine(db);
    const workload = [
      `Workload: the ${scale} demo county (seed 1): ${total.toLocaleString('en')} events from ${seeded.commands.toLocaleString('en')} commands, ` +
        `${seeded.people} people, ${seeded.stations} stations. Read models: ${allProjections.map((p) => p.name).join(', ')}. Query times are medians of 5 runs.`,
    ];
    const report = renderReport(`yingpan projection benchmark, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`, machine, workload, rows);
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
