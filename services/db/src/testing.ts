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
import { createHash, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { dumpPglite, pgliteDb, postgresDb, type Db } from './db.ts';

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
  { relaxedCommit = false, template }: { relaxedCommit?: boolean; template?: string } = {},
): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `yingpan_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    await admin.query(template ? `CREATE DATABASE ${name} TEMPLATE ${template}` : `CREATE DATABASE ${name}`);
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

/** The installed PGlite's version: an initialised cluster (`freshPglite`) is kept per version. */
const pgliteVersion = (): string => {
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  for (let folder = path.dirname(entry); folder !== path.dirname(folder); folder = path.dirname(folder)) {
    const manifest = path.join(folder, 'package.json');
    if (existsSync(manifest)) {
      const { name, version } = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; version?: string };
      if (name === '@electric-sql/pglite' && version) return version;
    }
  }
  throw new Error('the version of @electric-sql/pglite was not found');
};

let initialised: Promise<Blob> | null = null;

/**
 * A new, empty PGlite database in memory. A new PGlite runs initdb, some 4–5 s of CPU here; loading
 * the dump of a cluster initdb made costs about a third of that. The dump is kept in `IMAGE_DIR` per
 * PGlite version (initdb's result depends on nothing else), made by the first caller on a machine.
 */
export async function freshPglite(): Promise<Db> {
  if (!initialised) {
    const file = path.join(IMAGE_DIR, `pglite-${pgliteVersion()}-initdb.tar`);
    if (!existsSync(file)) {
      const db = await pgliteDb({ dataDir: 'memory://' });
      const dump = await dumpPglite(db);
      await mkdir(IMAGE_DIR, { recursive: true });
      // Written whole, then renamed: a reader never sees half a file; two makers write equal dumps.
      const partial = `${file}.${process.pid}.${Date.now()}.partial`;
      await writeFile(partial, dump);
      await rename(partial, file);
      initialised = Promise.resolve(new Blob([new Uint8Array(dump)]));
      return db;
    }
    // Read once per process: the package's version and the dump's bytes do not change while it runs.
    initialised = readFile(file).then((bytes) => new Blob([bytes]));
  }
  return pgliteDb({ dataDir: 'memory://', loadDataDir: await initialised });
}

const pglite: TestTarget = {
  name: 'pglite',
  skipReason: null,
  async open() {
    const db = await freshPglite();
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

/**
 * Database images: a database built once (say the demo county with every read model at its head)
 * and then copied for each test file that stands on it. Building the small county takes some
 * 20 s of commands and projection; a copy takes about a second on PostgreSQL (a template database)
 * and a few seconds on PGlite (its data folder's dump, a tar file).
 *
 * An image is named by `key`, which must change whenever what `build` writes would: put the
 * digest of the sources it depends on in it (`digestOfSources`). PostgreSQL keeps images as
 * databases named `yingpan_img_<digest of key>`, built by one process at a time under an advisory
 * lock; images unused for a week are dropped. PGlite images are files in `IMAGE_DIR`.
 */
export const IMAGE_DIR = path.join(tmpdir(), 'yingpan-test-images');

const digests = new Map<string, string>();

/** SHA-256 over the relative path and content of every .ts, .sql and .json file under `folders`. */
export function digestOfSources(folders: readonly string[]): string {
  const memo = folders.join('\n');
  const known = digests.get(memo);
  if (known) return known;
  const hash = createHash('sha256');
  const walk = (root: string, directory: string) => {
    for (const entry of readdirSync(directory).sort()) {
      if (entry === 'node_modules') continue;
      const full = path.join(directory, entry);
      if (statSync(full).isDirectory()) walk(root, full);
      else if (/\.(ts|sql|json)$/.test(entry)) hash.update(path.relative(path.dirname(root), full)).update(readFileSync(full));
    }
  };
  for (const folder of folders) if (existsSync(folder)) walk(folder, folder);
  const digest = hash.digest('hex');
  digests.set(memo, digest);
  return digest;
}

const WEEK_MS = 7 * 24 * 3600 * 1000;

/**
 * The key's image on `target`, built by `build` on a fresh database if there is none yet; a copy of
 * it to use and dispose. `build` gets the database and, on PostgreSQL, its connection string (for a
 * server process to build it; it must have disconnected when `build` resolves).
 */
export async function openImage(target: TestTarget, key: string, build: (db: Db, url: string | null) => Promise<void>): Promise<TestDb> {
  const digest = createHash('sha256').update(key).digest('hex').slice(0, 24);
  return target.name === 'postgres' ? openPostgresImage(digest, build) : openPgliteImage(digest, build);
}

async function openPostgresImage(digest: string, build: (db: Db, url: string | null) => Promise<void>): Promise<TestDb> {
  const base = adminUrl();
  if (!base) throw new Error('DATABASE_URL is not set');
  const image = `yingpan_img_${digest}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    // One builder per image across processes; the others wait, then copy what it built.
    await admin.query('SELECT pg_advisory_lock(hashtext($1))', [image]);
    try {
      const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [image]);
      if (!rowCount) {
        const building = await createTestDatabase(base, { relaxedCommit: true });
        const db = postgresDb({ connectionString: building.url, max: 10 });
        try {
          await build(db, building.url);
        } catch (error) {
          await db.close();
          await building.drop();
          throw error;
        }
        await db.close();
        await admin.query(`ALTER DATABASE ${new URL(building.url).pathname.slice(1)} RENAME TO ${image}`);
      }
      await admin.query(`COMMENT ON DATABASE ${image} IS '${Date.now()}'`);
      const stale = await admin.query<{ datname: string }>(
        `SELECT datname FROM pg_database
          WHERE datname LIKE 'yingpan_img_%' AND datname <> $1
            AND coalesce(shobj_description(oid, 'pg_database'), '0')::bigint < $2`,
        [image, Date.now() - WEEK_MS],
      );
      for (const { datname } of stale.rows) await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    } finally {
      await admin.query('SELECT pg_advisory_unlock(hashtext($1))', [image]);
    }
  } finally {
    await admin.end();
  }
  const { url, drop } = await createTestDatabase(base, { relaxedCommit: true, template: image });
  const db = postgresDb({ connectionString: url, max: 20 });
  return {
    db,
    url,
    async dispose() {
      await db.close();
      await drop();
    },
  };
}

async function openPgliteImage(digest: string, build: (db: Db, url: string | null) => Promise<void>): Promise<TestDb> {
  const file = path.join(IMAGE_DIR, `${digest}.tar`);
  if (!existsSync(file)) {
    const db = await freshPglite();
    try {
      await build(db, null);
      const dump = await dumpPglite(db);
      await mkdir(IMAGE_DIR, { recursive: true });
      // Written whole, then renamed: a reader never sees half a file; two builders write equal images.
      const partial = `${file}.${process.pid}.${Date.now()}.partial`;
      await writeFile(partial, dump);
      await rename(partial, file);
      return { db, url: null, dispose: () => db.close() };
    } catch (error) {
      await db.close();
      throw error;
    }
  }
  const db = await pgliteDb({ dataDir: 'memory://', loadDataDir: new Blob([await readFile(file)]) });
  return { db, url: null, dispose: () => db.close() };
}

/** Both engines: for suites about the engines (PostgreSQL skipped, and said so, without DATABASE_URL). */
export const everyEngine: TestTarget[] = [pglite, postgres];

/** One engine for behaviour suites: PostgreSQL when DATABASE_URL is set, else PGlite (both with YINGPAN_TEST_ENGINES=both). */
export const testTargets: TestTarget[] = process.env.YINGPAN_TEST_ENGINES === 'both' ? everyEngine : [adminUrl() ? postgres : pglite];

for (const target of everyEngine) {
  if (target.skipReason) console.warn(`[yingpan tests] SKIPPED on ${target.name}: ${target.skipReason}`);
}
