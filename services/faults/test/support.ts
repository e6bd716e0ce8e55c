/**
 * Shared pieces of the fault suite: the server it must run against, throw-away databases, read-model
 * dumps and the PostgreSQL cluster's controls (and, from common.ts, figure lines).
 */
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { promisify } from 'node:util';
import { createHttpServer, type Runtime } from '@yingpan/api';
import { postgresDb, type Db, type Queryable } from '@yingpan/db';
import { createTestDatabase } from '@yingpan/db/testing';
import type { EventStore } from '@yingpan/event-store';
import { Projector, allProjections, schemaOf } from '@yingpan/projections';
import { rows, sleep } from './common.ts';

/**
 * The suite exists to run against a real PostgreSQL server: without DATABASE_URL it fails (every
 * scenario but the failover one, which starts a cluster of its own, imports this module), it never skips.
 */
export function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) {
    throw new Error(
      '[faults] DATABASE_URL is not set. The fault suite only runs against a real PostgreSQL server, e.g. ' +
        'DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm run test:faults',
    );
  }
  return url;
}

export const DATABASE_URL = databaseUrl();

export { figure, rows, sleep } from './common.ts';

/** The URL of database `name` on the server of DATABASE_URL. */
export function urlOf(name: string): string {
  const url = new URL(DATABASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export interface Throwaway {
  url: string;
  db: Db;
  /** Closes `db` and drops the database. */
  dispose(): Promise<void>;
}

/**
 * A fresh database on the server, dropped by `dispose`: empty, or a copy of `template` (the suite's
 * seeded county is `inject('countyTemplate')`).
 */
export async function throwaway(max = 10, template?: string): Promise<Throwaway> {
  const { url, drop } = template ? await copyDatabase(template) : await createTestDatabase(DATABASE_URL);
  const db = postgresDb({ connectionString: url, max });
  return {
    url,
    db,
    async dispose() {
      await db.close().catch(() => {});
      await drop();
    },
  };
}

/** A copy of database `template` (nothing may be connected to it meanwhile). */
export async function copyDatabase(template: string): Promise<{ name: string; url: string; drop: () => Promise<void> }> {
  const name = `yingpan_t_faults_${randomBytes(6).toString('hex')}`;
  const admin = postgresDb({ connectionString: DATABASE_URL, max: 1 });
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  } finally {
    await admin.close();
  }
  return {
    name,
    url: urlOf(name),
    async drop() {
      const again = postgresDb({ connectionString: DATABASE_URL, max: 1 });
      try {
        await again.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await again.close();
      }
    },
  };
}

/**
 * Every row of every table of each read model, as text, sorted: a deterministic dump that two
 * builds of the same log must give identically.
 */
export async function dumpReadModels(db: Queryable): Promise<Record<string, string[]>> {
  const dump: Record<string, string[]> = {};
  for (const projection of allProjections) {
    const schema = schemaOf(projection);
    const tables = await rows<{ table_name: string }>(db, `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name`, [
      schema,
    ]);
    for (const { table_name: table } of tables) {
      const content = await rows<{ row: string }>(db, `SELECT t::text AS row FROM ${schema}."${table}" AS t ORDER BY 1`);
      dump[`${schema}.${table}`] = content.map((row) => row.row);
    }
  }
  return dump;
}

/** Tables whose contents differ between two dumps, with a few rows only one side has. */
export function dumpDifferences(a: Record<string, string[]>, b: Record<string, string[]>): string[] {
  const problems: string[] = [];
  for (const table of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const left = a[table] ?? [];
    const right = b[table] ?? [];
    if (left.length === right.length && left.every((row, i) => row === right[i])) continue;
    const rightSet = new Set(right);
    const leftSet = new Set(left);
    const onlyLeft = left.filter((row) => !rightSet.has(row)).slice(0, 3);
    const onlyRight = right.filter((row) => !leftSet.has(row)).slice(0, 3);
    problems.push(`${table}: ${left.length} rows vs ${right.length}; only live: ${JSON.stringify(onlyLeft)}; only rebuilt: ${JSON.stringify(onlyRight)}`);
  }
  return problems;
}

/** Rebuilds every read model from position zero in one pass (beside the live ones, then switched). */
export async function rebuildAll(db: Db, store: EventStore): Promise<void> {
  const failures = await new Projector(db, store, allProjections, { batchSize: 5000 }).rebuildAll();
  if (failures.length > 0) throw new Error(`rebuild failed: ${JSON.stringify(failures)}`);
}

/**
 * Serves `runtime` over HTTP on an ephemeral port of 127.0.0.1 with its projector following the
 * log, as `npm start` does; the server is closed by a cleanup pushed onto `cleanups`.
 */
export async function serveApi(runtime: Runtime, cleanups: (() => Promise<unknown>)[]): Promise<string> {
  runtime.startProjector();
  const server = createHttpServer(runtime);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanups.push(async () => {
    server.closeAllConnections();
    server.close();
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

// ---------------------------------------------------------------------------------------------
// The PostgreSQL cluster (Debian's pg_ctlcluster; we run as root on the test machine).

/** The cluster's version folder under /etc/postgresql, e.g. "15" (FAULTS_PG_VERSION overrides it). */
export function clusterVersion(): string {
  if (process.env.FAULTS_PG_VERSION) return process.env.FAULTS_PG_VERSION;
  const versions = readdirSync('/etc/postgresql');
  if (versions.length !== 1)
    throw new Error(`[faults] expected one PostgreSQL version under /etc/postgresql, found ${versions.join(', ')}; set FAULTS_PG_VERSION`);
  return versions[0]!;
}

export const CLUSTER_NAME = process.env.FAULTS_PG_CLUSTER || 'main';

/** Runs `pg_ctlcluster <version> main <action>`; resolves with the time it took (ms). */
export async function pgCtl(action: 'stop' | 'start' | 'restart'): Promise<number> {
  const started = Date.now();
  await promisify(execFile)('pg_ctlcluster', ['--skip-systemctl-redirect', clusterVersion(), CLUSTER_NAME, action], { timeout: 120_000 });
  return Date.now() - started;
}

/** Whether the server accepts a query now. */
export async function serverAnswers(): Promise<boolean> {
  const probe = postgresDb({ connectionString: DATABASE_URL, max: 1 });
  try {
    await probe.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await probe.close().catch(() => {});
  }
}

/** Starts the cluster if it is down (a scenario's cleanup: the server must be left running). */
export async function ensureServerRunning(): Promise<void> {
  if (await serverAnswers()) return;
  await pgCtl('start').catch(() => {});
  for (let i = 0; i < 60 && !(await serverAnswers()); i++) await sleep(500);
}
