/**
 * What the log's Merkle tree costs (docs/decisions.md §11), in two parts.
 *
 * 1. Appends with the tree kept vs without it, on each engine (PostgreSQL and PGlite). In one
 *    throw-away database per engine, rounds alternate between appends with the tree kept by its
 *    trigger and the same appends with the trigger disabled (the baseline, measured in the same
 *    run on the same log), for single-event appends by one writer and for batches of 500 events;
 *    then the time of a root and of an inclusion and a consistency proof on the grown log, next to
 *    reading one event by position, and the tree's size on disk next to the log's.
 * 2. Inclusion proofs in a tree of 3 million leaves (the province sample), on PostgreSQL
 *    (PGlite when no server is given). Writing 3 million real events takes ~10 minutes here
 *    (bench:scale), so the tree's stored nodes are built directly: leaf i is a stand-in chain
 *    hash, SHA-256 of the position's 8 bytes, and every complete subtree above the leaves is
 *    computed level by level with the same SQL the log's trigger runs — the table the product
 *    reads, at the product's size. Events rows are written (triggers off) only at the positions
 *    sampled, so `TransparencyLog.inclusionProof`, the product's own call (leaf checked against
 *    its event, ~log₂ n stored nodes in one query, root), is what is timed: p50 and p99 over
 *    random positions, next to reading one stored node by primary key from the same table, and
 *    the same proof in the tree's first 4,096 leaves. Then verifying: the Merkle path alone
 *    (`verifyInclusion`) and a whole proof file as `yingpan verify-proof` checks it (the
 *    checkpoint's Ed25519 signature and origin, then the path).
 *
 *   node --import tsx src/merkle.ts [--quick] [--engines postgres,pglite] [--leaves N]
 *   (DATABASE_URL: a PostgreSQL server; without it only PGlite runs)
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { pgliteDb, postgresDb, type Db } from '@yingpan/db';
import {
  SqlEventStore,
  TransparencyLog,
  checkProofFile,
  checkpointBody,
  generateSignerKey,
  leafHash,
  signNote,
  signerFromKey,
  verifierFromKey,
  verifierKeyOf,
  verifyInclusion,
  type InclusionProofFile,
} from '@yingpan/event-store';
import { attendancePlan, newDeputies } from './events.ts';
import { describeMachine, markdownTable, renderDocument, type ResultRow } from './report.ts';

const RESULTS_FILE = fileURLToPath(new URL('../results/merkle.md', import.meta.url));
const { values: flags } = parseArgs({
  args: process.argv.slice(2),
  options: { quick: { type: 'boolean' }, engines: { type: 'string' }, leaves: { type: 'string' } },
});
const quick = flags.quick === true;
const ROUNDS = quick ? 2 : 4;
const SINGLES = quick ? 300 : 1000;
const BATCHES = quick ? 4 : 10;
const BATCH = 500;
const LEAVES = Number(flags.leaves ?? process.env.BENCH_MERKLE_LEAVES ?? (quick ? 300_000 : 3_000_000));
const PROOFS = quick ? 300 : 1000;
const SMALL_TREE = 4096;
const ORIGIN = 'bench.yingpan/county-record';

type Engine = 'postgres' | 'pglite';
const BASE_URL = process.env.DATABASE_URL;
const ENGINES: Engine[] = (flags.engines?.split(',') ?? (BASE_URL ? ['postgres', 'pglite'] : ['pglite'])) as Engine[];

const median = (values: number[]) => quantile(values, 0.5);
function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}
const mib = (bytes: number) => bytes / 1024 / 1024;

/** A throw-away database of the engine: PostgreSQL on DATABASE_URL's server, PGlite in a temporary folder on disk (as `npm start` keeps it). */
async function openEngine(engine: Engine): Promise<{ db: Db; dispose: () => Promise<void> }> {
  if (engine === 'postgres') {
    if (!BASE_URL) throw new Error('DATABASE_URL must name a PostgreSQL server for the postgres engine');
    const { createTestDatabase } = await import('@yingpan/db/testing');
    const { url, drop } = await createTestDatabase(BASE_URL);
    const db = postgresDb({ connectionString: url, max: 4 });
    return {
      db,
      async dispose() {
        await db.close();
        await drop();
      },
    };
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'yingpan-bench-merkle-'));
  const db = await pgliteDb({ dataDir: path.join(dir, 'pglite') });
  return {
    db,
    async dispose() {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function timeIt(work: () => Promise<unknown> | unknown, times: number): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const started = performance.now();
    await work();
    samples.push(performance.now() - started);
  }
  return samples;
}

/** Part 1 on one engine. */
async function appendCost(engine: Engine): Promise<ResultRow[]> {
  const { db, dispose } = await openEngine(engine);
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
      console.error(`[merkle] ${engine}: round ${round + 1} of ${ROUNDS}`);
    }
    await withTree(true);
    const size = await tree.catchUp();

    const somePosition = () => 1 + Math.floor(Math.random() * size);
    const readOne = median(await timeIt(() => store.readAll({ after: somePosition() - 1, limit: 1 }), 200));
    const root = median(await timeIt(() => tree.root(somePosition()), 200));
    const inclusion = median(await timeIt(() => tree.inclusionProof(somePosition()), 200));
    const consistency = median(await timeIt(() => tree.consistencyProof(somePosition()), 200));
    const sizes =
      engine === 'postgres'
        ? (
            await db.query<{ events: number; nodes: number }>(
              `SELECT pg_total_relation_size('yingpan.events') AS events, pg_total_relation_size('yingpan.merkle_nodes') AS nodes`,
            )
          ).rows[0]!
        : null;
    await store.close();
    const on = engine === 'postgres' ? 'PostgreSQL' : 'PGlite';
    return [
      {
        benchmark: `${on}: append 1 event, 1 writer: tree kept vs trigger off (median of rounds)`,
        unit: 'events/s',
        yingpan: median(singles.on),
        baseline: median(singles.off),
      },
      {
        benchmark: `${on}: appendMany, ${BATCH} events a call: tree kept vs trigger off`,
        unit: 'events/s',
        yingpan: median(batches.on),
        baseline: median(batches.off),
      },
      { benchmark: `${on}: root of a tree of random size (log of ${size} events) vs reading one event`, unit: 'ms', yingpan: root, baseline: readOne },
      { benchmark: `${on}: inclusion proof of a random event vs reading one event`, unit: 'ms', yingpan: inclusion, baseline: readOne },
      { benchmark: `${on}: consistency proof from a random size vs reading one event`, unit: 'ms', yingpan: consistency, baseline: readOne },
      ...(sizes
        ? [
            {
              benchmark: `${on}: disk: the tree (yingpan.merkle_nodes) vs the log (yingpan.events)`,
              unit: 'MiB' as const,
              yingpan: mib(Number(sizes.nodes)),
              baseline: mib(Number(sizes.events)),
            },
          ]
        : []),
    ];
  } finally {
    await dispose();
  }
}

/** Part 2: a tree of `LEAVES` leaves built in the table, proofs timed through the product's call. */
async function largeTree(engine: Engine): Promise<{ rows: ResultRow[]; buildSeconds: number; db: string }> {
  const { db, dispose } = await openEngine(engine);
  try {
    await SqlEventStore.open(db); // the schema, with the tree's table and its trigger
    const started = performance.now();
    const CHUNK = 500_000;
    for (let from = 0; from < LEAVES; from += CHUNK) {
      // leaf idx i stands for position i + 1, whose stand-in chain hash is SHA-256 of the position's 8 bytes
      await db.query(
        `INSERT INTO yingpan.merkle_nodes (level, idx, hash)
         SELECT 0, i, sha256('\\x00'::bytea || sha256(int8send(i + 1))) FROM generate_series($1::bigint, $2::bigint) AS i`,
        [from, Math.min(LEAVES, from + CHUNK) - 1],
      );
      console.error(`[merkle] ${engine}: ${Math.min(LEAVES, from + CHUNK).toLocaleString('en-US')} of ${LEAVES.toLocaleString('en-US')} leaves`);
    }
    // Every complete subtree above them, level by level: the statement yingpan.merkle_catch_up() runs.
    for (let level = 0; ; level++) {
      const { rowCount } = await db.query(
        `INSERT INTO yingpan.merkle_nodes (level, idx, hash)
         SELECT $1::int + 1, r.idx / 2, sha256('\\x01'::bytea || l.hash || r.hash)
           FROM yingpan.merkle_nodes r JOIN yingpan.merkle_nodes l ON l.level = $1 AND l.idx = r.idx - 1
          WHERE r.level = $1 AND r.idx % 2 = 1`,
        [level],
      );
      if (rowCount === 0) break;
    }
    await db.exec('ANALYZE yingpan.merkle_nodes');
    const buildSeconds = (performance.now() - started) / 1000;
    const tree = new TransparencyLog(db);
    const size = await tree.size();
    if (size !== LEAVES) throw new Error(`built ${size} leaves, not ${LEAVES}`);
    console.error(`[merkle] ${engine}: tree of ${size.toLocaleString('en-US')} leaves built in ${buildSeconds.toFixed(0)} s`);

    // Event rows at the sampled positions only (triggers off: the tree already holds their leaves).
    const positions = Array.from({ length: PROOFS }, () => 1 + Math.floor(Math.random() * LEAVES));
    const smallPositions = Array.from({ length: PROOFS }, () => 1 + Math.floor(Math.random() * SMALL_TREE));
    const sampled = [...new Set([...positions, ...smallPositions])];
    await db.transaction(async (tx) => {
      await tx.query('SET LOCAL session_replication_role = replica');
      await tx.query(
        `INSERT INTO yingpan.events (position, event_id, stream_id, stream_version, type, schema_version, data, metadata, occurred_at, recorded_at, prev_hash, hash)
         SELECT p, gen_random_uuid(), 'bench:' || p, 1, 'BenchStandIn', 1, '{}', '{}', now(), now(), repeat('0', 64), encode(sha256(int8send(p)), 'hex')
           FROM unnest($1::bigint[]) AS p`,
        [sampled],
      );
    });

    const { root } = await tree.root(LEAVES);
    const signer = signerFromKey(generateSignerKey(ORIGIN));
    const verifier = verifierFromKey(verifierKeyOf(signer));
    const checkpoint = signNote(checkpointBody({ origin: ORIGIN, treeSize: LEAVES, rootHash: root }), [signer]);

    const somePosition = () => positions[Math.floor(Math.random() * positions.length)]!;
    const proofTimes = await timeIt(() => tree.inclusionProof(somePosition(), LEAVES), PROOFS);
    const smallTimes = await timeIt(() => tree.inclusionProof(smallPositions[Math.floor(Math.random() * smallPositions.length)]!, SMALL_TREE), PROOFS);
    const nodeTimes = await timeIt(
      () => db.query('SELECT hash FROM yingpan.merkle_nodes WHERE level = 0 AND idx = $1', [Math.floor(Math.random() * LEAVES)]),
      PROOFS,
    );

    const proofs = await Promise.all(positions.slice(0, 200).map((position) => tree.inclusionProof(position, LEAVES)));
    const longest = Math.max(...proofs.map((proof) => proof.hashes.length));
    let i = 0;
    const next = () => proofs[i++ % proofs.length]!;
    const pathTimes = await timeIt(() => {
      const proof = next();
      const check = verifyInclusion(leafHash(Buffer.from(proof.eventHash, 'hex')), proof.leafIndex, proof.treeSize, proof.hashes, root);
      if (!check.ok) throw new Error(check.reason);
    }, PROOFS);
    const files: InclusionProofFile[] = proofs.map((proof) => ({
      format: 'yingpan-inclusion-proof/v1',
      position: proof.position,
      treeSize: proof.treeSize,
      eventHash: proof.eventHash,
      hashes: proof.hashes.map((hash) => hash.toString('hex')),
      checkpoint,
    }));
    const fileTimes = await timeIt(() => {
      const check = checkProofFile(files[i++ % files.length], verifier, ORIGIN);
      if (!check.ok) throw new Error(check.reason);
    }, PROOFS);
    const sizes =
      engine === 'postgres'
        ? (
            await db.query<{ nodes: number; count: number }>(
              `SELECT pg_total_relation_size('yingpan.merkle_nodes') AS nodes, count(*) AS count FROM yingpan.merkle_nodes`,
            )
          ).rows[0]!
        : null;

    const n = LEAVES.toLocaleString('en-US');
    const rows: ResultRow[] = [
      {
        benchmark: `inclusion proof in a tree of ${n} leaves, p50 vs reading one stored node by key (same table)`,
        unit: 'ms',
        yingpan: quantile(proofTimes, 0.5),
        baseline: quantile(nodeTimes, 0.5),
      },
      {
        benchmark: `inclusion proof in a tree of ${n} leaves, p99 vs reading one stored node, p99`,
        unit: 'ms',
        yingpan: quantile(proofTimes, 0.99),
        baseline: quantile(nodeTimes, 0.99),
      },
      {
        benchmark: `inclusion proof, p50: a tree of ${n} leaves vs its first ${SMALL_TREE.toLocaleString('en-US')}`,
        unit: 'ms',
        yingpan: quantile(proofTimes, 0.5),
        baseline: quantile(smallTimes, 0.5),
      },
      {
        benchmark: `proof size at ${n} leaves (the longest of 200) vs 32 bytes × ⌈log₂ n⌉`,
        unit: 'bytes',
        yingpan: longest * 32,
        baseline: 32 * Math.ceil(Math.log2(LEAVES)),
      },
      {
        benchmark: 'verifying a proof file (checkpoint signature + path), p50 vs the Merkle path alone',
        unit: 'µs',
        yingpan: quantile(fileTimes, 0.5) * 1000,
        baseline: quantile(pathTimes, 0.5) * 1000,
      },
      {
        benchmark: 'verifying a proof file, p99 vs the Merkle path alone, p99',
        unit: 'µs',
        yingpan: quantile(fileTimes, 0.99) * 1000,
        baseline: quantile(pathTimes, 0.99) * 1000,
      },
      ...(sizes
        ? [
            {
              benchmark: `disk: the tree of ${n} leaves (${Number(sizes.count).toLocaleString('en-US')} stored nodes) vs their hashes alone`,
              unit: 'MiB' as const,
              yingpan: mib(Number(sizes.nodes)),
              baseline: mib(Number(sizes.count) * 32),
            },
          ]
        : []),
    ];
    return { rows, buildSeconds, db: engine === 'postgres' ? 'PostgreSQL' : 'PGlite' };
  } finally {
    await dispose();
  }
}

async function main(): Promise<void> {
  const machineEngine = await openEngine(ENGINES[0]!);
  let machine: string[];
  try {
    machine = await describeMachine(machineEngine.db);
  } finally {
    await machineEngine.dispose();
  }
  const appendRows: ResultRow[] = [];
  for (const engine of ENGINES) appendRows.push(...(await appendCost(engine)));
  const large = await largeTree(ENGINES[0]!);

  const report = renderDocument(
    `yingpan Merkle tree benchmark, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    machine,
    [
      `Engines: ${ENGINES.join(', ')} (PGlite on disk, in a temporary folder). ${ROUNDS} rounds on each, alternating which goes first: ${SINGLES} single-event appends ` +
        `and ${BATCHES} appendMany calls of ${BATCH} events (5 streams × 100), once with the tree kept by its trigger and once with the trigger disabled, ` +
        'on the same growing log. Proof and root times: the median of 200 requests at random positions, through TransparencyLog, next to reading one event by position.',
    ],
    [
      '## Appends with the tree kept, and proofs on the grown log',
      markdownTable(appendRows),
      `## Inclusion proofs in a tree of ${LEAVES.toLocaleString('en-US')} leaves (${large.db})`,
      `What was measured: the tree's stored nodes (yingpan.merkle_nodes) for ${LEAVES.toLocaleString('en-US')} leaves, built directly in ${large.buildSeconds.toFixed(0)} s — ` +
        "leaf i a stand-in chain hash (SHA-256 of position i + 1's 8 bytes), every complete subtree above computed by the SQL the log's trigger runs — " +
        `not ${LEAVES.toLocaleString('en-US')} real events (bench:scale writes those, in ~10 min). Event rows exist only at the ${PROOFS.toLocaleString('en-US')} sampled positions ` +
        `(and ${PROOFS.toLocaleString('en-US')} in the first ${SMALL_TREE.toLocaleString('en-US')}), so TransparencyLog.inclusionProof runs as in the product: the leaf checked ` +
        "against its event, the proof's stored nodes in one query, the root. Each figure over that many proofs at random positions, one at a time; verifying over 200 of those proofs.",
      markdownTable(large.rows),
    ],
    ['A ratio below 1 on events/s, or above 1 on ms, µs, bytes and MiB, is what keeping the tree and proving from it costs.'],
  );
  mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
  writeFileSync(RESULTS_FILE, report);
  console.log(report);
}

await main();
