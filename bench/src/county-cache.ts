/**
 * The seeded demo county, cached as a template database on the PostgreSQL server.
 *
 * Building the `county` scale through the domain commands takes about 13 minutes on 2 cores, and
 * its read models another minute or two. The first benchmark that needs a county builds it once,
 * events and read models (`Projector.prepare` + `rebuildAll`), into a database named after the
 * scale, the seed and a fingerprint of the code that decides what is in it:
 *
 *   yingpan_tpl_<scale>_s<seed>_<fingerprint>
 *
 * and every run after that gets its own throw-away copy with `CREATE DATABASE … TEMPLATE …`
 * (seconds). The fingerprint is a SHA-256 of the source of the seed (`services/seed/src`), the
 * domain (`services/domain/src`: commands, deciders, the event registry and upcasters), the event
 * store (`services/event-store/src` and its migrations: the log's layout and hash chain), the
 * projections' migrations: what decides the log. A change to any of these names a new template; the templates of the same scale and seed with another fingerprint are dropped when the
 * new one is built. A template is built under a `_building` name and renamed only once complete,
 * so an interrupted build is never used (it is dropped by the next one). The read models are not
 * in the fingerprint: a model whose `version` the template's checkpoints do not hold (the project's
 * rule: a change to a projection's code bumps its version) is rebuilt in the template itself before
 * the next copy (`refreshModels`: a minute or two for the county, not the hour of seeding it).
 *
 * A built template is vacuumed, frozen and analysed (`VACUUM (FREEZE, ANALYZE)`), as autovacuum
 * would have left a database that has been running a while: this server runs with autovacuum off,
 * and without planner statistics or hint bits every copy's queries plan for a handful of rows and
 * dirty every page they first read. A template built before this step is given it on first use
 * (its summary says `vacuumed`).
 *
 * Force a rebuild with `--rebuild-county` or `BENCH_COUNTY_REBUILD=1`; skip the cache (build into
 * the throw-away database itself, as before) with `BENCH_COUNTY_CACHE=0`. Drop every cached county
 * with `npm run bench:county-cache -w @yingpan/bench -- --drop` (`--list` lists them).
 */
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { postgresDb, type Db } from '@yingpan/db';
import { SqlEventStore } from '@yingpan/event-store';
import { allProjections, Projector } from '@yingpan/projections';
import { seedCounty, type CountySummary, type ScaleName } from '@yingpan/seed';
import { databaseUrl } from './options.ts';
import { throwAwayDatabase, type ThrowAway } from './throwaway.ts';

const log = (line: string) => console.error(`[bench] ${line}`);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PREFIX = 'yingpan_tpl_';

/** The folders whose files decide the county's events and read models (see the module comment). */
const SOURCES = ['services/seed/src', 'services/domain/src', 'services/event-store/src', 'services/event-store/migrations', 'projections/migrations'];

function filesUnder(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const file = path.join(dir, entry);
    if (statSync(file).isDirectory()) found.push(...filesUnder(file));
    else if (!/\.(spec|test)\.ts$/.test(entry)) found.push(file);
  }
  return found;
}

/** A hex fingerprint of the code that decides what a seeded county database holds. */
export function countyFingerprint(): string {
  const hash = createHash('sha256');
  for (const dir of SOURCES) {
    for (const file of filesUnder(path.join(ROOT, dir))) {
      hash.update(path.relative(ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
    }
  }
  return hash.digest('hex').slice(0, 12);
}

export const templateName = (scale: ScaleName, seed: number, fingerprint = countyFingerprint()) => `${PREFIX}${scale}_s${seed}_${fingerprint}`;

const admin = () => postgresDb({ connectionString: databaseUrl(), max: 1 });
const urlOf = (name: string) => {
  const url = new URL(databaseUrl());
  url.pathname = `/${name}`;
  return url.toString();
};

async function exists(db: Db, name: string): Promise<boolean> {
  const { rows } = await db.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  return rows.length > 0;
}

/** What a template's comment keeps: the county's summary, and whether the template was vacuumed and analysed. */
type TemplateSummary = CountySummary & { vacuumed?: boolean };

const commentOn = (name: string, summary: TemplateSummary) => `COMMENT ON DATABASE ${name} IS '${JSON.stringify(summary).replaceAll("'", "''")}'`;

/** VACUUM (FREEZE, ANALYZE) in the database `name` (nobody else connected to it, as it is a template), and says so in its comment. */
async function vacuum(admin: Db, name: string, summary: CountySummary): Promise<void> {
  const started = performance.now();
  const db = postgresDb({ connectionString: urlOf(name), max: 1 });
  try {
    await db.query('VACUUM (FREEZE, ANALYZE)');
  } finally {
    await db.close();
  }
  await admin.query(commentOn(name, { ...summary, vacuumed: true }));
  log(`vacuumed and analysed ${name} in ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

/**
 * Brings the template's read models up to the code: the models whose version its checkpoints do
 * not hold are rebuilt in the template (`Projector.prepare`, as a deployment does), which is then
 * vacuumed and analysed again. Nothing is connected to a template while this runs (copies are made
 * after it).
 */
async function refreshModels(admin: Db, name: string, summary: CountySummary): Promise<void> {
  const db = postgresDb({ connectionString: urlOf(name), max: 4 });
  try {
    const { rows } = await db.query<{ name: string; version: number }>('SELECT name, version FROM yingpan.projection_checkpoints');
    const held = new Map(rows.map((row) => [row.name, row.version]));
    const stale = allProjections.filter((projection) => held.get(projection.name) !== projection.version);
    if (stale.length === 0) return;
    const started = performance.now();
    log(`read models changed since ${name} was built (${stale.map((projection) => projection.name).join(', ')}): rebuilding them in it…`);
    const store = await SqlEventStore.open(db);
    try {
      const projector = new Projector(db, store, allProjections, { batchSize: 2000 });
      await projector.prepare();
      await projector.catchUp();
      const failed = (await projector.status()).filter((status) => status.failure);
      if (failed.length > 0)
        throw new Error(
          `read models failed in ${name}: ${failed.map((status) => `${status.name} at ${status.failure!.position}: ${status.failure!.message}`).join('; ')}`,
        );
    } finally {
      await store.close();
    }
    log(`rebuilt ${stale.length} read model(s) in ${name} in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    await db.close();
  }
  await vacuum(admin, name, summary);
}

/** The county summary kept as the template's comment. */
async function summaryOf(db: Db, name: string): Promise<TemplateSummary | null> {
  const { rows } = await db.query<{ comment: string | null }>(`SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1`, [
    name,
  ]);
  const comment = rows[0]?.comment;
  return comment ? (JSON.parse(comment) as TemplateSummary) : null;
}

/** The cached templates on the server: name, size, and what they hold. */
export async function listTemplates(): Promise<{ name: string; size: string; summary: CountySummary | null }[]> {
  const db = admin();
  try {
    const { rows } = await db.query<{ name: string; size: string; comment: string | null }>(
      `SELECT datname AS name, pg_size_pretty(pg_database_size(datname)) AS size, shobj_description(oid, 'pg_database') AS comment
         FROM pg_database WHERE datname LIKE '${PREFIX}%' ORDER BY datname`,
    );
    return rows.map((row) => ({ name: row.name, size: row.size, summary: row.comment ? (JSON.parse(row.comment) as CountySummary) : null }));
  } finally {
    await db.close();
  }
}

export async function dropTemplates(filter: (name: string) => boolean = () => true): Promise<string[]> {
  const db = admin();
  try {
    const { rows } = await db.query<{ name: string }>(`SELECT datname AS name FROM pg_database WHERE datname LIKE '${PREFIX}%'`);
    const dropped: string[] = [];
    for (const { name } of rows) {
      if (!filter(name)) continue;
      await db.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      dropped.push(name);
    }
    return dropped;
  } finally {
    await db.close();
  }
}

/** Seeds the county into the (empty) database at `url` and builds every read model. */
async function build(url: string, scale: ScaleName, seed: number): Promise<CountySummary> {
  const db = postgresDb({ connectionString: url, max: 4 });
  try {
    const store = await SqlEventStore.open(db);
    const started = performance.now();
    log(`building the ${scale} demo county (seed ${seed}) through the domain commands…`);
    const county = await seedCounty(store, { seed, scale });
    log(`built ${county.events.toLocaleString('en-US')} events in ${((performance.now() - started) / 1000).toFixed(0)} s; building the read models…`);
    const projector = new Projector(db, store, allProjections, { batchSize: 2000 });
    await projector.prepare();
    const failed = await projector.rebuildAll();
    if (failed.length > 0)
      throw new Error(
        `read models failed while building the county: ${failed.map((failure) => `${failure.projection} at ${failure.position}: ${failure.message}`).join('; ')}`,
      );
    await projector.catchUp();
    await store.close();
    log(`the demo county (${scale} scale) and its read models took ${((performance.now() - started) / 1000).toFixed(0)} s`);
    return county;
  } finally {
    await db.close();
  }
}

/** Builds the template `name` (under a temporary name, renamed when complete) and drops its stale siblings. */
async function buildTemplate(name: string, scale: ScaleName, seed: number): Promise<void> {
  const building = `${name}_building`;
  const db = admin();
  try {
    await db.query(`DROP DATABASE IF EXISTS ${building} WITH (FORCE)`);
    await db.query(`CREATE DATABASE ${building}`);
    let county: CountySummary;
    try {
      county = await build(urlOf(building), scale, seed);
      await vacuum(db, building, county);
      await db.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await db.query(`ALTER DATABASE ${building} RENAME TO ${name}`);
    } catch (error) {
      await db.query(`DROP DATABASE IF EXISTS ${building} WITH (FORCE)`).catch(() => undefined);
      throw error;
    }
    log(`cached as the template database ${name}`);
  } finally {
    await db.close();
  }
  const sibling = `${PREFIX}${scale}_s${seed}_`;
  const stale = await dropTemplates((other) => other.startsWith(sibling) && other !== name);
  if (stale.length > 0) log(`dropped stale templates: ${stale.join(', ')}`);
}

export interface CountyDatabase extends ThrowAway {
  county: CountySummary;
  /** Where it came from: the template copied, or 'built' (cache off). */
  source: string;
  /** Seconds to have it (a copy: seconds; a build: minutes). */
  seconds: number;
}

export interface CountyOptions {
  scale: ScaleName;
  seed: number;
  /** Build the template again even when one with the same fingerprint exists. */
  rebuild?: boolean;
}

const envFlag = (value: string | undefined) => value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';

/**
 * A throw-away database holding the demo county (events and caught-up read models), copied from
 * the cached template (built first when missing or when `rebuild`). Drop it with `drop()`.
 */
export async function countyDatabase(options: CountyOptions): Promise<CountyDatabase> {
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  if (process.env.BENCH_COUNTY_CACHE !== undefined && !envFlag(process.env.BENCH_COUNTY_CACHE)) {
    const database = await throwAwayDatabase();
    try {
      const county = await build(database.url, options.scale, options.seed);
      const db = postgresDb({ connectionString: database.url, max: 1 });
      await db.query('VACUUM (FREEZE, ANALYZE)').finally(() => db.close());
      return { ...database, county, source: 'built (BENCH_COUNTY_CACHE=0)', seconds: seconds() };
    } catch (error) {
      await database.drop();
      throw error;
    }
  }
  const name = templateName(options.scale, options.seed);
  const rebuild = options.rebuild || envFlag(process.env.BENCH_COUNTY_REBUILD);
  const db = admin();
  let cached: boolean;
  try {
    cached = !rebuild && (await exists(db, name));
  } finally {
    await db.close();
  }
  if (!cached) {
    log(rebuild ? `rebuilding the cached county ${name} (asked to)` : `no cached county ${name} yet: building it once`);
    await buildTemplate(name, options.scale, options.seed);
  }
  const check = admin();
  let summary: TemplateSummary | null;
  try {
    summary = await summaryOf(check, name);
    if (!summary) throw new Error(`the template ${name} has no county summary: drop it (npm run bench:county-cache -w @yingpan/bench -- --drop) and run again`);
    if (!summary.vacuumed) await vacuum(check, name, summary);
    await refreshModels(check, name, summary);
  } finally {
    await check.close();
  }
  const { vacuumed: _vacuumed, ...county } = summary;
  const database = await copyOf(name);
  log(`database copied from ${name} in ${seconds().toFixed(1)} s`);
  return { ...database, county, source: `copy of ${name}`, seconds: seconds() };
}

/**
 * A throw-away copy of the template. FILE_COPY copies the files (with a checkpoint), much faster
 * than WAL-logging every page for a database this size; PostgreSQL before 15 only copies files.
 * A copy fails while another session is connected to the template (say, another copy starting):
 * that is retried.
 */
async function copyOf(template: string): Promise<ThrowAway> {
  const name = `yingpan_t_${randomBytes(6).toString('hex')}`;
  const db = admin();
  try {
    const { rows } = await db.query<{ version: string }>(`SELECT current_setting('server_version_num') AS version`);
    const strategy = Number(rows[0]!.version) >= 150000 ? ' STRATEGY = FILE_COPY' : '';
    for (let attempt = 1; ; attempt++) {
      try {
        await db.query(`CREATE DATABASE ${name} TEMPLATE ${template}${strategy}`);
        break;
      } catch (error) {
        const busy = error instanceof Error && /being accessed by other users/.test(error.message);
        if (!busy || attempt >= 30) throw error;
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  } finally {
    await db.close();
  }
  return throwAwayDatabase({ existing: name });
}
