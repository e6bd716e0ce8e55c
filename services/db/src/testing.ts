/**
 * Throw-away databases for integration tests: every test file gets its own, on each engine.
 * PGlite runs always (in memory); PostgreSQL runs when DATABASE_URL names a server, in a fresh
 * database created for the test and dropped after it.
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

export async function createTestDatabase(baseUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `yingpan_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
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

export const testTargets: TestTarget[] = [
  {
    name: 'pglite',
    skipReason: null,
    async open() {
      const db = await pgliteDb({ dataDir: 'memory://' });
      return { db, url: null, dispose: () => db.close() };
    },
  },
  {
    name: 'postgres',
    skipReason: adminUrl() ? null : 'DATABASE_URL is not set, so the PostgreSQL run of this suite is skipped',
    async open() {
      const base = adminUrl();
      if (!base) throw new Error('DATABASE_URL is not set');
      const { url, drop } = await createTestDatabase(base);
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
  },
];

for (const target of testTargets) {
  if (target.skipReason) console.warn(`[yingpan tests] SKIPPED on ${target.name}: ${target.skipReason}`);
}
