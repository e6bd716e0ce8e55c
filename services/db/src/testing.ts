/**
 * Throw-away databases for integration tests: every test file gets its own. PGlite runs in memory;
 * PostgreSQL runs when DATABASE_URL names a server, in a fresh database created for the test and
 * dropped after it.
 *
 * Two lists, for two kinds of suite:
 * - `everyEngine`: suites about the engines themselves — the event store's contract, the SQL of the
 *   read models, replay — run on PGlite and, with DATABASE_URL, on PostgreSQL too.
 * - `testTargets`: suites about behaviour (the domain's commands, the API, the command line) run on
 *   one engine: PostgreSQL when DATABASE_URL is set, else PGlite. What they exercise below the
 *   command bus is the same store and read-model code the engine suites cover on both; running
 *   them twice doubled the test time and found nothing the engine suites did not.
 *   `YINGPAN_TEST_ENGINES=both` runs them on both engines as well.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { pgliteDb, postgresDb, type Db } from './db.ts';

export interface TestTarget {
  name: 'pglite' | 'postgres';
  /** Why this target does not run here, or null when it does. */
  skipReason: string | null;
  open(): Promise<TestDb>;
}

export interface TestDb {
  db: Db;
  /** A connection string for this very database (postgres only), e.g. for a second process. */
  url: string | null;
  dispose(): Promise<void>;
}

const adminUrl = () => process.env.DATABASE_URL;

/**
 * A fresh database on the server `baseUrl` names. `relaxedCommit`: its transactions commit without
 * waiting for the WAL's flush to disk (`synchronous_commit = off`). Nothing changes for what a test
 * can see — a server that stays up loses nothing, and the order and atomicity of commits hold —
 * only a crash of PostgreSQL itself could lose the last commits. The integration suites commit tens
 * of thousands of small transactions (a projector stepping one event at a time) and do not crash
 * the server; the fault suite does, and keeps every commit durable.
 */
export async function createTestDatabase(
  baseUrl: string,
  { relaxedCommit = false }: { relaxedCommit?: boolean } = {},
): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `yingpan_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
    if (relaxedCommit) await admin.query(`ALTER DATABASE ${name} SET synchronous_commit = off`);
  } finally {
    await admin.end();
  }
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: baseUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

const pglite: TestTarget = {
  name: 'pglite',
  skipReason: null,
  async open() {
    const db = await pgliteDb({ dataDir: 'memory://' });
    return { db, url: null, dispose: () => db.close() };
  },
};

const postgres: TestTarget = {
  name: 'postgres',
  skipReason: adminUrl() ? null : 'DATABASE_URL is not set, so the PostgreSQL run of this suite is skipped',
  async open() {
    const base = adminUrl();
    if (!base) throw new Error('DATABASE_URL is not set');
    const { url, drop } = await createTestDatabase(base, { relaxedCommit: true });
    const db = postgresDb({ connectionString: url, max: 20 });
    return {
      db,
      url,
      async dispose() {
        await db.close();
        await drop();
      },
    };
  },
};

/** Both engines: for suites about the engines (PostgreSQL skipped, and said so, without DATABASE_URL). */
export const everyEngine: TestTarget[] = [pglite, postgres];

/** One engine for behaviour suites: PostgreSQL when DATABASE_URL is set, else PGlite (both with YINGPAN_TEST_ENGINES=both). */
export const testTargets: TestTarget[] = process.env.YINGPAN_TEST_ENGINES === 'both' ? everyEngine : [adminUrl() ? postgres : pglite];

for (const target of everyEngine) {
  if (target.skipReason) console.warn(`[yingpan tests] SKIPPED on ${target.name}: ${target.skipReason}`);
}
