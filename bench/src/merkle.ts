/**
 * What keeping the log's Merkle tree costs appends (docs/decisions.md §11), on PostgreSQL. In one
 * throw-away database, rounds alternate between appends with the tree kept by its trigger and the
 * same appends with the trigger disabled (the baseline, measured in the same run on the same log),
 * for single-event appends by one writer and for batches of 500 events; then the time of a root
 * and of an inclusion and a consistency proof on the grown log, next to reading one event by
 * position, and the tree's size on disk next to the log's.
 *
 *   node --import tsx src/merkle.ts [--quick]     (DATABASE_URL: a PostgreSQL server)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { postgresDb } from '@yingpan/db';
import { SqlEventStore, TransparencyLog } from '@yingpan/event-store';
import { attendancePlan, newDeputies } from './events.ts';
import { describeMachine, renderReport, type ResultRow } from './report.ts';

const RESULTS_FILE = fileURLToPath(new URL('../results/merkle.md', import.meta.url));
const quick = process.argv.includes('--quick');
const ROUNDS = quick ? 2 : 4;
const SINGLES = quick ? 300 : 1000;
const BATCHES = quick ? 4 : 10;
const BATCH = 500;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main(): Promise<void> {
  const base = process.env.DATABASE_URL;
  if (!base) throw new Error('DATABASE_URL must name a PostgreSQL server');
  const { createTestDatabase } = await import('@yingpan/db/testing');
  const { url, drop } = await createTestDatabase(base);
  const db = postgresDb({ connectionString: url, max: 4 });
  try {
    const store = await SqlEventStore.open(db);
    const tree = new TransparencyLog(db);
    const deputies = newDeputies();
    const versions = new Map<string, number>();
    const plan = (appends: number, size: number) =>
      attendancePlan(deputies, appends, size).map((request) => {
        const expected = versions.get(request.streamId) ?? 0;
        versions.set(request.streamId, expected + request.events.length);
        return { ...request, expectedVersion: expected };
      });
    const withTree = (on: boolean) => db.exec(`ALTER TABLE yingpan.events ${on ? 'ENABLE' : 'DISABLE'} TRIGGER events_merkle_tree`);

    const singles = { on: [] as number[], off: [] as number[] };
    const batches = { on: [] as number[], off: [] as number[] };
    for (let round = 0; round < ROUNDS; round++) {
      for (const on of round % 2 === 0 ? [true, false] : [false, true]) {
        await withTree(on);
        const requests = plan(SINGLES, 1);
        let started = performance.now();
        for (const request of requests) await store.append(request);
        (on ? singles.on : singles.off).push(SINGLES / ((performance.now() - started) / 1000));
        const groups = plan(BATCHES * (BATCH / 100), 100);
        started = performance.now();
        for (let i = 0; i < groups.length; i += BATCH / 100) await store.appendMany(groups.slice(i, i + BATCH / 100));
        (on ? batches.on : batches.off).push((BATCHES * BATCH) / ((performance.now() - started) / 1000));
        // The rows appended with the trigger off join the tree now (outside the timing), as the next append would.
        if (!on) await tree.catchUp();
      }
    }
    await withTree(true);
    const size = await tree.catchUp();

    const timeIt = async (work: () => Promise<unknown>, times = 200) => {
      const samples: number[] = [];
      for (let i = 0; i < times; i++) {
        const started = performance.now();
        await work();
        samples.push(performance.now() - started);
      }
      return median(samples);
    };
    const somePosition = () => 1 + Math.floor(Math.random() * size);
    const readOne = await timeIt(() => store.readAll({ after: somePosition() - 1, limit: 1 }));
    const root = await timeIt(() => tree.root(somePosition()));
    const inclusion = await timeIt(() => tree.inclusionProof(somePosition()));
    const consistency = await timeIt(() => tree.consistencyProof(somePosition()));
    const { rows } = await db.query<{ events: number; nodes: number }>(
      `SELECT pg_total_relation_size('yingpan.events') AS events, pg_total_relation_size('yingpan.merkle_nodes') AS nodes`,
    );
    const mib = (bytes: number) => bytes / 1024 / 1024;

    const results: ResultRow[] = [
      {
        benchmark: 'append 1 event, 1 writer: tree kept vs trigger off (median of rounds)',
        unit: 'events/s',
        yingpan: median(singles.on),
        baseline: median(singles.off),
      },
      {
        benchmark: `appendMany, ${BATCH} events a call: tree kept vs trigger off`,
        unit: 'events/s',
        yingpan: median(batches.on),
        baseline: median(batches.off),
      },
      { benchmark: `root of a tree of random size (log of ${size} events) vs reading one event`, unit: 'ms', yingpan: root, baseline: readOne },
      { benchmark: 'inclusion proof of a random event vs reading one event', unit: 'ms', yingpan: inclusion, baseline: readOne },
      { benchmark: 'consistency proof from a random size vs reading one event', unit: 'ms', yingpan: consistency, baseline: readOne },
      {
        benchmark: 'disk: the tree (yingpan.merkle_nodes) vs the log (yingpan.events)',
        unit: 'MiB',
        yingpan: mib(Number(rows[0]!.nodes)),
        baseline: mib(Number(rows[0]!.events)),
      },
    ];
    const report = renderReport(
      `yingpan Merkle tree benchmark, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
      await describeMachine(db),
      [
        `${ROUNDS} rounds, alternating which goes first: ${SINGLES} single-event appends and ${BATCHES} appendMany calls of ${BATCH} events ` +
          '(5 streams × 100), once with the tree kept by its trigger and once with the trigger disabled, on the same growing log. ' +
          'Proof and root times: the median of 200 requests at random positions, through TransparencyLog, next to reading one event by position.',
      ],
      results,
      ['A ratio below 1 on events/s, or above 1 on ms and MiB, is what keeping the tree and proving from it costs.'],
    );
    mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
    writeFileSync(RESULTS_FILE, report);
    console.log(report);
    await store.close();
  } finally {
    await db.close();
    await drop();
  }
}

await main();
