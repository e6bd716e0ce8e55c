/**
 * The event-store benchmark on PostgreSQL. In a throw-away database it measures SqlEventStore's
 * append, appendMany and readAll, each next to a baseline measured in the same run on the same
 * server with rows of the same shape: plain INSERTs into, and keyset SELECTs from, a table with
 * the log's columns and nothing else (see plain.ts). The ratio is what the store's guarantees —
 * one global order, no gaps, a hash chain, idempotent retries, optimistic concurrency — cost.
 *
 *   npm run bench -w @yingpan/bench -- [--quick] [--scale N]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { postgresDb, type Db } from '@yingpan/db';
import { SqlEventStore } from '@yingpan/event-store';
import { DEPUTIES, EVENT_TYPE } from './events.ts';
import { parseOptions, type Options } from './options.ts';
import { appendBatches, appendSingleEvents, readAll, warmUp, type Bench } from './phases.ts';
import { createPlainTable } from './plain.ts';
import { describeMachine, renderReport, type ResultRow } from './report.ts';

const RESULTS_FILE = fileURLToPath(new URL('../results/latest.md', import.meta.url));

function describeWorkload(options: Options): string[] {
  return [
    `Workload (${options.mode}): \`${EVENT_TYPE}\` events (Chinese training titles, UUIDs, recordedBy metadata), ` +
      `appended to ${DEPUTIES} deputy streams \`person:<uuid>\` round-robin with exact expected versions ` +
      `(a fresh set of streams per phase; ${options.writers} writers each own whole streams). ` +
      `Batches: ${DEPUTIES} appends × ${options.batchSize / DEPUTIES} events. ` +
      'Baseline: the same rows into a table with the same columns and no keys, indexes or triggers ' +
      '(an index on position is added before the read phase, for keyset paging). Single-row and batch baselines autocommit each statement.',
  ];
}

async function measureAll(bench: Bench): Promise<ResultRow[]> {
  await warmUp(bench);
  return [...(await appendSingleEvents(bench)), ...(await appendBatches(bench)), ...(await readAll(bench))];
}

async function run(db: Db, options: Options): Promise<string> {
  const store = await SqlEventStore.open(db);
  await createPlainTable(db);
  const bench: Bench = { db, store, options, plainPosition: 1 };
  const machine = await describeMachine(db);
  // store.close() releases the store's own resources; the database itself is closed by main.
  const rows = await measureAll(bench).finally(() => store.close());
  const title = `yingpan event-store benchmark, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return renderReport(title, machine, describeWorkload(options), rows);
}

/** Memoises a cleanup so the signal handler and `finally` do it once. */
function once(fn: () => Promise<void>): () => Promise<void> {
  let promise: Promise<void> | undefined;
  return () => (promise ??= fn());
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2), process.env);
  // @yingpan/db/testing warns on load when DATABASE_URL is unset, so it is settled before the import.
  process.env.DATABASE_URL = options.databaseUrl;
  const { createTestDatabase } = await import('@yingpan/db/testing');
  const database = await createTestDatabase(options.databaseUrl);
  const drop = once(database.drop);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void drop().finally(() => process.exit(130)));
  }
  const db = postgresDb({ connectionString: database.url, max: options.writers + 2 });
  try {
    const report = await run(db, options);
    process.stdout.write(report);
    mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
    writeFileSync(RESULTS_FILE, report);
    console.error(`[bench] written to ${RESULTS_FILE}`);
  } finally {
    await db.close().catch(() => {});
    await drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
