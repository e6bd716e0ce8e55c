/**
 * One small SQL interface over the two PostgreSQL engines yingpan runs on:
 * a real server through `pg`, or PGlite embedded in the process.
 * Everything above this file (event store, projections, API) speaks only `Db`.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
  // No JIT: the read models' queries are short, and once the planner's statistics make them look
  // expensive it compiles them, which cost a second on a query that runs in a third of one
  // (docs/performance.md).
  const pool = new pg.Pool({ connectionString: options.connectionString, max: options.max ?? 10, types, options: '-c jit=off' });
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
      // A server that drops the connection mid-transaction emits 'error' on the checked-out client:
      // without a listener that would crash the process. The statement in flight fails anyway; the
      // broken client is then destroyed rather than returned to the pool.
      let lost: Error | undefined;
      const onError = (error: Error) => {
        lost = error;
      };
      client.on('error', onError);
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
        client.off('error', onError);
        client.release(lost);
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

/** The data folder is in use by another process. */
export class DataDirInUseError extends Error {
  constructor(dataDir: string, pid: number) {
    super(`The embedded database at ${dataDir} is in use by process ${pid}; stop it first (PGlite allows one process at a time).`);
  }
}

/** PGlite must never be opened by two processes at once: a pid file next to the folder guards it. */
function lockDataDir(dataDir: string): () => void {
  const lockFile = `${path.resolve(dataDir)}.lock`;
  for (;;) {
    try {
      writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
      return () => rmSync(lockFile, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number(readFileSync(lockFile, 'utf8'));
      if (pid && pid !== process.pid && isAlive(pid)) throw new DataDirInUseError(dataDir, pid);
      rmSync(lockFile, { force: true }); // left by a process that died
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function pgliteDb(options: PgliteOptions): Promise<Db> {
  const inMemory = options.dataDir.startsWith('memory://');
  let unlock = () => {};
  if (!inMemory) {
    mkdirSync(path.dirname(path.resolve(options.dataDir)), { recursive: true });
    unlock = lockDataDir(options.dataDir);
  }
  let db: PGlite;
  try {
    db = await PGlite.create(options.dataDir, { parsers: { [INT8]: toNumber, [NUMERIC]: toNumber } });
  } catch (error) {
    unlock();
    throw error;
  }

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
    async close() {
      await db.close();
      unlock();
    },
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
