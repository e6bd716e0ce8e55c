/**
 * How costs grow with the size of the log: the `small` county, the `county`, and a province
 * sample. Per event, a cost should stay flat as the log grows a hundredfold and more.
 *
 * The province (100 counties, about 30 million events) would take hours to build through the
 * domain on two cores, and hours to rebuild. The sample is the county's whole log written N times
 * over into one log (default 10 counties, about 3 million events), each copy with fresh ids (every
 * UUID in stream ids, data and metadata mapped to another, the same way throughout a copy), so the
 * counties are as independent as the seed's own counties are. Every copy goes through
 * `SqlEventStore.appendMany` (checked, hashed, chained) stream group by stream group, in the
 * county's order.
 *
 * For each dataset, each figure next to a baseline measured in the same run:
 *   - reading the whole log through the store (readAll pages of 5,000) vs a plain keyset SELECT;
 *   - rebuilding every read model in one pass (rebuildAll, a fresh process: rebuild-child.ts) vs a
 *     plain SELECT of the log, as µs per event, with the peak memory of each process;
 *   - a single-event append on top of the whole log (1 writer, p50) vs the same on an empty log;
 *   - the log's and the read models' size on disk per event (no baseline: the figure itself).
 *
 *   npm run bench:scale -w @yingpan/bench -- [--counties N] [--no-province]
 *   (BENCH_SCALE_COUNTIES; the county comes from the county cache, see county-cache.ts)
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { postgresDb, type Db } from '@yingpan/db';
import { SqlEventStore, type AppendRequest, type StoredEvent } from '@yingpan/event-store';
import { migrateProjections } from '@yingpan/projections';
import { countyDatabase } from './county-cache.ts';
import { attendancePlan, newDeputies } from './events.ts';
import { percentile } from './measure.ts';
import { sizeOption } from './options.ts';
import { runPhase, type PhaseResult } from './rebuild-child.ts';
import { comparisonTable, describeMachine, renderDocument, titled, type MultiRow } from './report.ts';
import { throwAwayDatabase, type ThrowAway } from './throwaway.ts';

const RESULTS_FILE = fileURLToPath(new URL('../results/scale.md', import.meta.url));
const log = (line: string) => console.error(`[bench] ${line}`);

const { values: flags } = parseArgs({ options: { counties: { type: 'string' }, 'no-province': { type: 'boolean' } } });
const COUNTIES = sizeOption(flags.counties, process.env.BENCH_SCALE_COUNTIES, 10, '--counties');
const PAGE = 5000;
const SINGLE_APPENDS = 300;

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** A UUID for `id` in copy `copy` (copy 0 keeps the county's own ids). */
function mapUuid(id: string, copy: number): string {
  if (copy === 0) return id;
  const hex = createHash('sha256').update(`${copy}:${id.toLowerCase()}`).digest('hex');
  // Version 8 (custom), RFC 4122 variant.
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** `value` with every UUID in its strings mapped for `copy`. */
function remap<T>(value: T, copy: number): T {
  if (copy === 0) return value;
  return JSON.parse(JSON.stringify(value).replace(UUID, (id) => mapUuid(id, copy))) as T;
}

/** The county's log as append requests of copy `copy`: consecutive events of a stream go together. */
function requestsOf(page: StoredEvent[], copy: number): AppendRequest[] {
  const requests: AppendRequest[] = [];
  for (const event of page) {
    const streamId = remap(event.streamId, copy);
    const { recordedBy, occurredAt, correlationId, causationId, commandId } = event.metadata;
    const next = {
      id: mapUuid(event.id, copy),
      type: event.type,
      schemaVersion: event.schemaVersion,
      data: remap(event.data, copy),
      metadata: remap({ recordedBy, occurredAt, correlationId, causationId, commandId: commandId ?? null }, copy),
    };
    const last = requests.at(-1);
    if (last?.streamId === streamId) last.events.push(next);
    else requests.push({ streamId, expectedVersion: event.streamVersion - 1, events: [next] });
  }
  return requests;
}

/** A throw-away database holding `counties` copies of the county log at `countyUrl`. */
async function provinceSample(countyUrl: string, counties: number): Promise<ThrowAway & { events: number; seconds: number }> {
  const database = await throwAwayDatabase();
  const source = postgresDb({ connectionString: countyUrl, max: 2 });
  const target = postgresDb({ connectionString: database.url, max: 2 });
  try {
    const from = new SqlEventStore(source);
    const to = await SqlEventStore.open(target);
    const total = (await from.head()).position * counties;
    const started = performance.now();
    let written = 0;
    let shown = 0;
    for (let copy = 0; copy < counties; copy++) {
      for (let after = 0; ; ) {
        const page = await from.readAll({ after, limit: PAGE });
        if (page.length === 0) break;
        await to.appendMany(requestsOf(page, copy));
        written += page.length;
        after = page.at(-1)!.position;
        if (written - shown >= total / 50 || written === total) {
          shown = written;
          const rate = written / ((performance.now() - started) / 1000);
          log(
            `province sample: ${written.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} events (${((100 * written) / total).toFixed(0)}%, ${rate.toFixed(0)}/s, ~${((total - written) / rate / 60).toFixed(1)} min left)`,
          );
        }
      }
    }
    await to.close();
    const seconds = (performance.now() - started) / 1000;
    // The projector's own tables (checkpoints); the read models are built by the measured rebuild.
    await migrateProjections(target);
    return { ...database, events: written, seconds };
  } catch (error) {
    await database.drop();
    throw error;
  } finally {
    await source.close();
    await target.close();
  }
}

interface Figures {
  events: number;
  /** µs per event. */
  readStore: number;
  readPlain: number;
  rebuild: PhaseResult;
  read: PhaseResult;
  /** PostgreSQL's buffer accesses (hits and reads) during the rebuild, per event. */
  rebuildBlocks: number;
  /** ms, p50 of single-event appends on top of the log. */
  appendP50: number;
  /** bytes per event. */
  logBytes: number;
  modelBytes: number;
}

async function timeReads(db: Db, store: SqlEventStore): Promise<{ store: number; plain: number; events: number }> {
  const timed = async (page: (after: number) => Promise<{ position: number }[]>) => {
    const started = performance.now();
    let events = 0;
    for (let after = 0; ; ) {
      const rows = await page(after);
      if (rows.length === 0) break;
      events += rows.length;
      after = Number(rows.at(-1)!.position);
    }
    return { ms: performance.now() - started, events };
  };
  const plain = await timed(
    async (after) => (await db.query<{ position: number }>('SELECT * FROM yingpan.events WHERE position > $1 ORDER BY position LIMIT $2', [after, PAGE])).rows,
  );
  const viaStore = await timed((after) => store.readAll({ after, limit: PAGE }));
  if (viaStore.events !== plain.events) throw new Error(`read ${viaStore.events} events through the store, ${plain.events} with SELECT`);
  return { store: (1000 * viaStore.ms) / viaStore.events, plain: (1000 * plain.ms) / plain.events, events: plain.events };
}

/** p50 (ms) of single-event appends by one writer, on new streams (the log's size is what varies). */
async function singleAppendP50(store: SqlEventStore): Promise<number> {
  const latencies: number[] = [];
  for (const request of attendancePlan(newDeputies(20), SINGLE_APPENDS, 1)) {
    const started = performance.now();
    await store.append(request);
    latencies.push(performance.now() - started);
  }
  return percentile(
    latencies.sort((a, b) => a - b),
    50,
  );
}

async function sizes(db: Db): Promise<{ log: number; models: number }> {
  const { rows } = await db.query<{ log: string; models: string }>(
    `SELECT pg_total_relation_size('yingpan.events') AS log,
            (SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE n.nspname LIKE 'rm\\_%' AND c.relkind IN ('r', 'm')) AS models`,
  );
  return { log: Number(rows[0]!.log), models: Number(rows[0]!.models) };
}

async function measureDataset(name: string, url: string): Promise<Figures> {
  const db = postgresDb({ connectionString: url, max: 4 });
  try {
    const store = await SqlEventStore.open(db);
    await db.query('VACUUM ANALYZE yingpan.events');
    log(`${name}: reading the whole log (store, then plain SELECT)…`);
    const reads = await timeReads(db, store);
    log(`${name}: baseline for the rebuild — a process reading the log with a plain SELECT…`);
    const read = await runPhase('read', url);
    log(`${name}: rebuilding every read model in one pass (rebuildAll, in a process of its own)…`);
    const blocks = async () =>
      Number((await db.query<{ n: string }>('SELECT (blks_hit + blks_read)::text AS n FROM pg_stat_database WHERE datname = current_database()')).rows[0]!.n);
    const blocksBefore = await blocks();
    const rebuild = await runPhase('rebuild-all', url);
    // The rebuilding process has exited, so its backend's counts are in; the measuring connection's own are a handful.
    const rebuildBlocks = (await blocks()) - blocksBefore;
    const size = await sizes(db);
    log(`${name}: ${SINGLE_APPENDS} single-event appends on top of the log…`);
    const appendP50 = await singleAppendP50(store);
    await store.close();
    return {
      events: reads.events,
      readStore: reads.store,
      readPlain: reads.plain,
      rebuild,
      read,
      rebuildBlocks: rebuildBlocks / reads.events,
      appendP50,
      logBytes: size.log / reads.events,
      modelBytes: size.models / reads.events,
    };
  } finally {
    await db.close();
  }
}

async function emptyLogAppendP50(): Promise<number> {
  const database = await throwAwayDatabase();
  const db = postgresDb({ connectionString: database.url, max: 2 });
  try {
    const store = await SqlEventStore.open(db);
    const p50 = await singleAppendP50(store);
    await store.close();
    return p50;
  } finally {
    await db.close();
    await database.drop();
  }
}

async function main(): Promise<void> {
  const datasets: { name: string; figures: Figures; source: string }[] = [];
  const small = await countyDatabase({ scale: 'small', seed: 1 });
  try {
    datasets.push({ name: 'small', figures: await measureDataset('small', small.url), source: `the small county (seed 1), ${small.source}` });
  } finally {
    await small.drop();
  }
  const county = await countyDatabase({ scale: 'county', seed: 1 });
  let province: Awaited<ReturnType<typeof provinceSample>> | null = null;
  try {
    // The sample copies the county before the county's own measurement appends to it.
    if (!flags['no-province']) {
      log(`building the province sample: the county's log ${COUNTIES} times over…`);
      province = await provinceSample(county.url, COUNTIES);
    }
    datasets.push({ name: 'county', figures: await measureDataset('county', county.url), source: `the county (seed 1), ${county.source}` });
  } finally {
    await county.drop();
  }
  if (province) {
    try {
      datasets.push({
        name: `province (${COUNTIES} counties)`,
        figures: await measureDataset('province sample', province.url),
        source: `the county's log written ${COUNTIES} times over with fresh ids (${province.events.toLocaleString('en-US')} events, appended with appendMany in ${(province.seconds / 60).toFixed(1)} min: ${(province.events / province.seconds).toFixed(0)} events/s)`,
      });
    } finally {
      await province.drop();
    }
  }
  log('baseline for appends: the same single-event appends on an empty log…');
  const emptyP50 = await emptyLogAppendP50();

  const columns = datasets.map((dataset) => dataset.name);
  const last = columns.length - 1;
  const row = (benchmark: string, unit: MultiRow['unit'], pick: (figures: Figures) => number): MultiRow => ({
    benchmark,
    unit,
    values: datasets.map((dataset) => pick(dataset.figures)),
  });
  const rows: MultiRow[] = [
    row('events in the log', 'events', (f) => f.events),
    row('read the whole log through the store, per event', 'µs', (f) => f.readStore),
    row('baseline: plain SELECT of the log, per event', 'µs', (f) => f.readPlain),
    row('rebuild all read models in one pass (rebuildAll), per event', 'µs', (f) => (1e6 * f.rebuild.seconds) / f.events),
    row('baseline: a process SELECTing the log, per event', 'µs', (f) => (1e6 * f.read.seconds) / f.events),
    row('PostgreSQL buffer accesses during the rebuild (hits and reads), per event', 'pages', (f) => f.rebuildBlocks),
    row('peak RSS of the rebuilding process', 'MiB', (f) => f.rebuild.peak.rssMiB),
    row('baseline: peak RSS of the process SELECTing the log', 'MiB', (f) => f.read.peak.rssMiB),
    row('peak V8 heap of the rebuilding process', 'MiB', (f) => f.rebuild.peak.heapUsedMiB),
    row(`single-event append on top of the log, p50 (on an empty log: ${emptyP50.toFixed(2)} ms)`, 'ms', (f) => f.appendP50),
    row('the log on disk (table and indexes), per event', 'bytes', (f) => f.logBytes),
    row('the read models on disk, per event', 'bytes', (f) => f.modelBytes),
  ];
  const db = postgresDb({ connectionString: process.env.DATABASE_URL!, max: 1 });
  const machine = await describeMachine(db).finally(() => db.close());
  const workload = [
    `Datasets: ${datasets.map((dataset) => `**${dataset.name}**: ${dataset.source}`).join('; ')}.`,
    'Reads page through the log 5,000 events at a time. The rebuild and its baseline each run in a fresh Node.js process (rebuild-child.ts), ' +
      'memory sampled every 25 ms (not PostgreSQL’s). Appends: 300 single-event appends by one writer to 20 new streams, after the rebuild. ' +
      'Sizes: pg_total_relation_size of yingpan.events, and of every table in the rm_* schemas, after the rebuild.',
  ];
  const table = comparisonTable(columns, last > 0 ? [[last, 0], ...(last > 1 ? ([[last, 1]] as [number, number][]) : [])] : [], rows);
  const report = renderDocument(
    titled('yingpan at scale: small → county → province sample'),
    machine,
    workload,
    [table],
    ['Per-event figures should stay flat from column to column (a ratio near 1 in the last columns); a ratio well above 1 is a cost that grows with the log.'],
  );
  process.stdout.write(report);
  mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
  writeFileSync(RESULTS_FILE, report);
}

await main();
