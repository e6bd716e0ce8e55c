/**
 * The three comparisons. Each phase runs the baseline and then yingpan on the same prepared rows,
 * with the same concurrency, against the same server, and turns the pair into table rows.
 */
import type { Db } from '@yingpan/db';
import type { AppendRequest, SqlEventStore } from '@yingpan/event-store';
import { DEPUTIES, attendancePlan, chunk, newDeputies } from './events.ts';
import { eventsPerSecond, measure, percentile, type Measurement } from './measure.ts';
import type { Options } from './options.ts';
import { PLAIN_TABLE, indexForPaging, insertRows, readPlainPage, toPlainRows, type PlainRow } from './plain.ts';
import type { ResultRow } from './report.ts';

export interface Bench {
  db: Db;
  store: SqlEventStore;
  options: Options;
  /** The next position handed to a baseline row. */
  plainPosition: number;
}

interface Pair {
  yingpan: Measurement;
  baseline: Measurement;
}

const log = (line: string) => console.error(`[bench] ${line}`);
const count = (n: number) => n.toLocaleString('en-US');
const summary = (m: Measurement) => `${count(m.events)} events in ${m.seconds.toFixed(2)} s (${count(Math.round(eventsPerSecond(m)))}/s)`;

/** Baseline first, then yingpan; one progress line. */
async function compare(name: string, baseline: () => Promise<Measurement>, yingpan: () => Promise<Measurement>): Promise<Pair> {
  log(`${name} …`);
  const pair = { baseline: await baseline(), yingpan: await yingpan() };
  log(`${name}: baseline ${summary(pair.baseline)}; yingpan ${summary(pair.yingpan)}`);
  return pair;
}

function plainRowsFor(bench: Bench, requests: AppendRequest[]): PlainRow[] {
  const rows = toPlainRows(requests, bench.plainPosition);
  bench.plainPosition += rows.length;
  return rows;
}

const throughputRow = (benchmark: string, pair: Pair): ResultRow => ({
  benchmark: `${benchmark}: throughput`,
  unit: 'events/s',
  yingpan: eventsPerSecond(pair.yingpan),
  baseline: eventsPerSecond(pair.baseline),
});

const latencyRow = (benchmark: string, pair: Pair, p: number, per: string): ResultRow => ({
  benchmark: `${benchmark}: p${p} latency per ${per}`,
  unit: 'ms',
  yingpan: percentile(pair.yingpan.latenciesMs, p),
  baseline: percentile(pair.baseline.latenciesMs, p),
});

/**
 * `appends` appends of one event each, round-robin over 200 deputies' streams with exact expected
 * versions, on `writers` writers (each writer owns whole streams, so no append conflicts).
 * Baseline: one single-row INSERT per event, autocommitted, on as many writers.
 */
async function singleAppends(bench: Bench, name: string, appends: number, writers: number): Promise<Pair> {
  if (DEPUTIES % writers !== 0) throw new Error(`${DEPUTIES} streams cannot be shared evenly by ${writers} writers`);
  const requests = attendancePlan(newDeputies(), appends, 1);
  const rows = plainRowsFor(bench, requests);
  return compare(
    name,
    () => measure(appends, writers, (i) => insertRows(bench.db, [rows[i]!])),
    () => measure(appends, writers, async (i) => (await bench.store.append(requests[i]!)).positions.length),
  );
}

/** Opens the pool's connections and warms the JIT on both paths; the rows stay, on both sides alike. */
export async function warmUp(bench: Bench): Promise<void> {
  await singleAppends(bench, 'warm-up', bench.options.writers * 25, bench.options.writers);
}

export async function appendSingleEvents(bench: Bench): Promise<ResultRow[]> {
  const { singleAppends: n, writers } = bench.options;
  const rows: ResultRow[] = [];
  for (const w of [1, writers]) {
    const name = `append 1 event × ${count(n)}, ${w} writer${w > 1 ? 's' : ''}`;
    const pair = await singleAppends(bench, name, n, w);
    rows.push(throughputRow(name, pair), latencyRow(name, pair, 50, 'append'), latencyRow(name, pair, 99, 'append'));
  }
  return rows;
}

/**
 * appendMany with batches of `batchSize` events: each batch appends 5 events to each of the 200
 * deputies' streams (a bulk import of sign-in sheets), exact expected versions, one writer.
 * Baseline: one multi-row INSERT of the batch's rows per statement.
 */
export async function appendBatches(bench: Bench): Promise<ResultRow[]> {
  const { batchedEvents, batchSize } = bench.options;
  const eventsPerAppend = batchSize / DEPUTIES;
  if (!Number.isInteger(eventsPerAppend)) throw new Error(`a batch of ${batchSize} cannot be shared evenly by ${DEPUTIES} streams`);
  const requests = attendancePlan(newDeputies(), batchedEvents / eventsPerAppend, eventsPerAppend);
  const batches = chunk(requests, DEPUTIES);
  const rowBatches = chunk(plainRowsFor(bench, requests), batchSize);
  const name = `appendMany ${count(batchedEvents)} events in batches of ${count(batchSize)}`;
  const pair = await compare(
    name,
    () => measure(rowBatches.length, 1, (i) => insertRows(bench.db, rowBatches[i]!)),
    () => measure(batches.length, 1, async (i) => (await bench.store.appendMany(batches[i]!)).flatMap((r) => r.positions).length),
  );
  return [throughputRow(name, pair), latencyRow(name, pair, 50, 'batch')];
}

/** Pages through a whole table by key, `read(after)` returning the page's size and last key. */
async function readAllPages(total: number, pageSize: number, read: (after: number) => Promise<{ count: number; last: number }>) {
  let after = 0;
  const m = await measure(Math.ceil(total / pageSize), 1, async () => {
    const page = await read(after);
    after = page.last;
    return page.count;
  });
  if (m.events !== total) throw new Error(`read ${m.events} events, expected ${total}`);
  return m;
}

/**
 * The whole log through store.readAll in pages of `pageSize` (rows mapped to StoredEvent), against
 * `SELECT * … WHERE position > $1 ORDER BY position LIMIT $2` on the baseline table, which holds
 * as many rows of the same shape. Both tables are vacuumed and analysed first, so neither read
 * pays for setting hint bits after the bulk writes, and each is read once untimed.
 */
export async function readAll(bench: Bench): Promise<ResultRow[]> {
  const { db, store, options } = bench;
  await indexForPaging(db);
  for (const table of ['yingpan.events', PLAIN_TABLE]) await db.exec(`VACUUM ANALYZE ${table}`);
  const total = (await store.head()).position;
  const plainTotal = bench.plainPosition - 1;
  if (plainTotal !== total) throw new Error(`the baseline table has ${plainTotal} rows, the log ${total}`);

  const readPlain = () => readAllPages(total, options.pageSize, (after) => readPlainPage(db, after, options.pageSize));
  const readStore = () =>
    readAllPages(total, options.pageSize, async (after) => {
      const page = await store.readAll({ after, limit: options.pageSize });
      return { count: page.length, last: page.at(-1)?.position ?? after };
    });
  // One untimed pass each first, so that both tables are equally warm in the caches.
  await readPlain();
  await readStore();
  const name = `readAll ${count(total)} events, pages of ${count(options.pageSize)}`;
  const pair = await compare(name, readPlain, readStore);
  return [throughputRow(name, pair), latencyRow(name, pair, 50, 'page')];
}
