/**
 * Versioned migrations. Each component (the event store, each projection) owns a folder of
 * `NNNN_name.sql` files; they are applied in order, once, on start, under an advisory lock so
 * that two processes starting together do not race. A changed file that was already applied is
 * refused: history is not rewritten, a new file is added instead.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Db } from './db.ts';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export function loadMigrations(dir: string): Migration[] {
  return readdirSync(dir)
    .filter((file) => /^\d{4}_[\w-]+\.sql$/.test(file))
    .sort()
    .map((file) => ({
      version: Number(file.slice(0, 4)),
      name: file.replace(/\.sql$/, ''),
      sql: readFileSync(path.join(dir, file), 'utf8'),
    }));
}

const checksum = (sql: string) => createHash('sha256').update(sql).digest('hex');
const MIGRATION_LOCK = 7_020_001;

export class MigrationChangedError extends Error {
  constructor(component: string, name: string) {
    super(`Migration ${component}/${name} was changed after it was applied; add a new migration instead.`);
  }
}

/** Applies the component's pending migrations; returns the names applied now. */
export async function migrate(db: Db, component: string, migrations: Migration[]): Promise<string[]> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.query('CREATE SCHEMA IF NOT EXISTS yingpan');
    await tx.query(`CREATE TABLE IF NOT EXISTS yingpan.schema_migrations (
      component text NOT NULL,
      version int NOT NULL,
      name text NOT NULL,
      checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (component, version))`);
    const { rows } = await tx.query<{ version: number; name: string; checksum: string }>(
      'SELECT version, name, checksum FROM yingpan.schema_migrations WHERE component = $1',
      [component],
    );
    const applied = new Map(rows.map((row) => [row.version, row]));
    const done: string[] = [];
    for (const migration of migrations) {
      const previous = applied.get(migration.version);
      if (previous) {
        if (previous.checksum !== checksum(migration.sql)) throw new MigrationChangedError(component, migration.name);
        continue;
      }
      await tx.exec(migration.sql);
      await tx.query('INSERT INTO yingpan.schema_migrations (component, version, name, checksum) VALUES ($1, $2, $3, $4)', [
        component,
        migration.version,
        migration.name,
        checksum(migration.sql),
      ]);
      done.push(migration.name);
    }
    return done;
  });
}
