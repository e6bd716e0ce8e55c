/**
 * One small SQL interface over the two PostgreSQL engines yingpan runs on:
 * a real server through `pg`, or PGlite embedded in the process.
 * Everything above this file (event store, projections, API) speaks only `Db`.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';

export interface QueryResult<R> {
  rows: R[];
  rowCount: number;
}

export interface Queryable {
  query<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export type DbKind = 'postgres' | 'pglite';

export interface Db extends Queryable {
  readonly kind: DbKind;
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Calls `onNotify` for every NOTIFY on `channel`; resolves to an unsubscribe function.
   * `onLost` is called if the listening connection dies (e.g. the server restarted).
   */
  listen(channel: string, onNotify: (payload: string) => void, onLost?: () => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

const INT8 = 20;
const NUMERIC = 1700;

/** int8 and numeric come back as JS numbers: positions and counts stay far below 2^53. */
const toNumber = (value: string) => Number(value);

export interface PostgresOptions {
  connectionString: string;
  /** Pool size; the default suits a two-core machine. */
  max?: number;
}

export function postgresDb(options: PostgresOptions): Db {
  const types = {
    getTypeParser(oid: number, format?: string) {
      if (oid === INT8 || oid === NUMERIC) return toNumber;
      return pg.types.getTypeParser(oid, format as 'text');
    },
  };
  const pool = new pg.Pool({ connectionString: options.connectionString, max: options.max ?? 10, types });
  // An idle client that loses its server (a restart) must not crash the process; the pool replaces it.
  pool.on('error', () => {});

  const run = async <R>(client: pg.Pool | pg.PoolClient, text: string, params?: readonly unknown[]) => {
    const result = await client.query(text, params as unknown[]);
    return { rows: result.rows as R[], rowCount: result.rowCount ?? 0 };
  };

  return {
    kind: 'postgres',
    query: (text, params) => run(pool, text, params),
    exec: async (sql) => {
      await pool.query(sql);
    },
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn({
          query: (text, params) => run(client, text, params),
          exec: async (sql) => {
            await client.query(sql);
          },
        });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    async listen(channel, onNotify, onLost) {
      const client = new pg.Client({ connectionString: options.connectionString });
      let lost = false;
      const lose = () => {
        if (lost) return;
        lost = true;
        onLost?.();
      };
      client.on('error', lose);
      client.on('end', lose);
      await client.connect();
      client.on('notification', (message) => {
        if (message.channel === channel) onNotify(message.payload ?? '');
      });
      await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      return async () => {
        lost = true;
        await client.end().catch(() => {});
      };
    },
    close: () => pool.end(),
  };
}

export interface PgliteOptions {
  /** A folder kept between runs, or `memory://` for a throw-away database. */
  dataDir: string;
}

export async function pgliteDb(options: PgliteOptions): Promise<Db> {
  if (!options.dataDir.startsWith('memory://')) mkdirSync(path.dirname(path.resolve(options.dataDir)), { recursive: true });
  const db = await PGlite.create(options.dataDir, { parsers: { [INT8]: toNumber, [NUMERIC]: toNumber } });

  const run = async <R>(target: Pick<PGlite, 'query'>, text: string, params?: readonly unknown[]) => {
    const result = await target.query<R>(text, params as unknown[]);
    return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
  };

  return {
    kind: 'pglite',
    query: (text, params) => run(db, text, params),
    exec: async (sql) => {
      await db.exec(sql);
    },
    // PGlite is one connection: its transaction() holds the connection exclusively, so queries
    // from elsewhere in the process wait until it commits or rolls back.
    transaction: (fn) =>
      db.transaction((tx) =>
        fn({
          query: (text, params) => run(tx, text, params),
          exec: async (sql) => {
            await tx.exec(sql);
          },
        }),
      ),
    async listen(channel, onNotify) {
      const unlisten = await db.listen(channel, onNotify);
      return async () => {
        await unlisten();
      };
    },
    close: () => db.close(),
  };
}

export interface DbConfig {
  /** A PostgreSQL connection string; when absent, the embedded PGlite is used. */
  databaseUrl?: string | undefined;
  /** PGlite's data folder (ignored with `databaseUrl`). */
  dataDir: string;
}

export async function openDb(config: DbConfig): Promise<Db> {
  return config.databaseUrl ? postgresDb({ connectionString: config.databaseUrl }) : pgliteDb({ dataDir: config.dataDir });
}

/** A readable one-line description that never prints a password. */
export function describeDb(config: DbConfig): string {
  if (!config.databaseUrl) return `PGlite (embedded) at ${config.dataDir}`;
  const url = new URL(config.databaseUrl);
  return `PostgreSQL at ${url.hostname}:${url.port || 5432}${url.pathname}`;
}
