/**
 * One small SQL interface over the two PostgreSQL engines yingpan runs on:
 * a real server through `pg`, or PGlite embedded in the process.
 * Everything above this file (event store, projections, API) speaks only `Db`.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyStream } from 'pg-copy-streams';
import { PGlite } from '@electric-sql/pglite';
import { copyText } from './copy.ts';
import { DatabaseUnavailableError, describeHosts, ensureWritable, HostPicker, parseDatabaseUrl, type Target, typedConnectionError } from './hosts.ts';

export interface QueryResult<R> {
  rows: R[];
  rowCount: number;
}

export interface QueryOptions {
  prepared?: string;
}

export interface Queryable {
  /**
   * Runs one statement. `options.prepared` names it: on PostgreSQL each connection then parses and
   * plans it once (a generic plan) and afterwards only binds and executes it (for the few statements
   * every write runs; name only a fixed text whose best plan does not depend on the values). PGlite
   * ignores the name.
   */
  query<R = Record<string, unknown>>(text: string, params?: readonly unknown[], options?: QueryOptions): Promise<QueryResult<R>>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
  /**
   * Appends `rows` to `table` (schema-qualified) with COPY … FROM STDIN: each row gives the
   * `columns` in order; null is SQL NULL, an object is written as JSON, a boolean as t/f. For bulk
   * writes (a read model's rebuild): PostgreSQL parses COPY's text with far less work than an
   * INSERT of the same rows.
   */
  copyFrom(table: string, columns: readonly string[], rows: readonly (readonly unknown[])[]): Promise<void>;
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
  /**
   * Takes the session-level advisory lock `key` on a connection of its own (named `name` in
   * pg_stat_activity), or answers null when another session holds it. The lock lasts until
   * `release()` or until the connection is lost (`lost` then resolves): a process that dies, or a
   * primary that fails over, frees it for another process within seconds. PGlite: one holder per
   * process.
   */
  tryAdvisoryLock(key: number, name: string): Promise<AdvisoryLock | null>;
  close(): Promise<void>;
}

/** A session-level advisory lock held on a dedicated connection (see Db.tryAdvisoryLock). */
export interface AdvisoryLock {
  /** Resolves when the lock is no longer held (released, or its connection lost). */
  readonly lost: Promise<void>;
  release(): Promise<void>;
}

const INT8 = 20;
const NUMERIC = 1700;

/** int8 and numeric come back as JS numbers: positions and counts stay far below 2^53. */
const toNumber = (value: string) => Number(value);

export interface PostgresOptions {
  /**
   * A PostgreSQL connection string. It may list several hosts of a high-availability cluster,
   * `postgres://user@h1:p1,h2:p2/db?target_session_attrs=read-write`: the writable one is used and
   * chosen again after a failover (hosts.ts).
   */
  connectionString: string;
  /** Pool size; the default suits a two-core machine. */
  max?: number;
  /** Called when another host of the list is chosen (a failover). */
  onHostSwitch?: (from: string | null, to: string) => void;
}

export function postgresDb(options: PostgresOptions): Db {
  const types = {
    getTypeParser(oid: number, format?: string) {
      if (oid === INT8 || oid === NUMERIC) return toNumber;
      return pg.types.getTypeParser(oid, format as 'text');
    },
  };
  const { hosts, readWrite } = parseDatabaseUrl(options.connectionString);
  const picker = new HostPicker(
    hosts,
    readWrite,
    (url) => {
      // No JIT: the read models' queries are short, and once the planner's statistics make them look
      // expensive it compiles them, which cost a second on a query that runs in a third of one
      // (docs/performance.md). Generic plans for the named statements (`QueryOptions.prepared`, the
      // only ones with cached plans): they are index lookups and function calls whose plan does not
      // depend on the values, yet over arrays of parameters PostgreSQL would plan each call anew.
      const pool = new pg.Pool({
        connectionString: url,
        max: options.max ?? 10,
        types,
        options: '-c jit=off -c plan_cache_mode=force_generic_plan',
        keepAlive: true,
        connectionTimeoutMillis: 10_000,
        // Only the writable host will do: each new connection checks that it still is (hosts.ts).
        ...(readWrite ? { onConnect: (client: pg.ClientBase) => ensureWritable(client, url) } : {}),
      });
      // An idle client that loses its server (a restart) must not crash the process; the pool replaces it.
      pool.on('error', () => {});
      return pool;
    },
    { onSwitch: options.onHostSwitch },
  );
  /** Connection-class failures become DatabaseUnavailableError, and a lost host is chosen again. */
  const failed = (target: Target, error: unknown, commitUnknown = false) => {
    const typed = typedConnectionError(error, commitUnknown);
    if (typed instanceof DatabaseUnavailableError) picker.lost(target);
    return typed;
  };

  const run = async <R>(client: pg.Pool | pg.PoolClient, text: string, params?: readonly unknown[], options?: QueryOptions) => {
    const result = await (options?.prepared
      ? client.query({ name: options.prepared, text, values: params as unknown[] })
      : client.query(text, params as unknown[]));
    return { rows: result.rows as R[], rowCount: result.rowCount ?? 0 };
  };
  const copy = async (client: pg.PoolClient, table: string, columns: readonly string[], rows: readonly (readonly unknown[])[]) => {
    if (rows.length === 0) return;
    await pipeline(Readable.from([copyText(rows)]), client.query(copyStream(`COPY ${table} (${columns.join(', ')}) FROM STDIN`)));
  };
  const onTarget = async <T>(work: (pool: pg.Pool) => Promise<T>): Promise<T> => {
    const target = await picker.get();
    try {
      return await work(target.pool);
    } catch (error) {
      throw failed(target, error);
    }
  };

  return {
    kind: 'postgres',
    query: (text, params, options) => onTarget((pool) => run(pool, text, params, options)),
    exec: (sql) =>
      onTarget(async (pool) => {
        await pool.query(sql);
      }),
    copyFrom: (table, columns, rows) =>
      onTarget(async (pool) => {
        const client = await pool.connect();
        try {
          await copy(client, table, columns, rows);
        } finally {
          client.release();
        }
      }),
    async transaction(fn) {
      const target = await picker.get();
      let client: pg.PoolClient;
      try {
        client = await target.pool.connect();
      } catch (error) {
        throw failed(target, error);
      }
      // A server that drops the connection mid-transaction emits 'error' on the checked-out client:
      // without a listener that would crash the process. The statement in flight fails anyway; the
      // broken client is then destroyed rather than returned to the pool.
      let lost: Error | undefined;
      const onError = (error: Error) => {
        lost = error;
      };
      client.on('error', onError);
      let committing = false;
      // Statements asked for at once (say, several read models filling their tables) take turns on the connection.
      let queue: Promise<unknown> = Promise.resolve();
      const inTurn = <T>(work: () => Promise<T>): Promise<T> => {
        const turn = queue.then(work, work);
        queue = turn.catch(() => undefined);
        return turn;
      };
      try {
        await client.query('BEGIN');
        const result = await fn({
          query: (text, params, options) => inTurn(() => run(client, text, params, options)),
          exec: (sql) =>
            inTurn(async () => {
              await client.query(sql);
            }),
          copyFrom: (table, columns, rows) => inTurn(() => copy(client, table, columns, rows)),
        });
        committing = true;
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        // A connection lost before COMMIT was sent rolled the transaction back; during COMMIT nobody knows.
        throw failed(target, error, committing);
      } finally {
        client.off('error', onError);
        client.release(lost);
      }
    },
    async listen(channel, onNotify, onLost) {
      const target = await picker.get();
      const client = new pg.Client({ connectionString: target.url, keepAlive: true });
      let lost = false;
      const lose = () => {
        if (lost) return;
        lost = true;
        onLost?.();
      };
      client.on('error', lose);
      client.on('end', lose);
      try {
        await client.connect();
        client.on('notification', (message) => {
          if (message.channel === channel) onNotify(message.payload ?? '');
        });
        await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      } catch (error) {
        lost = true;
        await client.end().catch(() => {});
        throw failed(target, error);
      }
      return async () => {
        lost = true;
        await client.end().catch(() => {});
      };
    },
    async tryAdvisoryLock(key, name) {
      const target = await picker.get();
      const client = new pg.Client({ connectionString: target.url, keepAlive: true, application_name: name.slice(0, 63) });
      let release: () => void = () => {};
      const lost = new Promise<void>((resolve) => {
        release = resolve;
      });
      let heartbeat: NodeJS.Timeout | undefined;
      const lose = () => {
        clearInterval(heartbeat);
        release();
      };
      client.on('error', lose);
      client.on('end', lose);
      try {
        await client.connect();
        // A host that is not writable any more (chosen before a failover) is dropped and chosen again:
        // a lock taken there would elect nobody where the writes go.
        if (readWrite) await ensureWritable(client, target.url);
        const { rows } = await client.query<{ locked: boolean; standby: boolean }>(
          'SELECT pg_try_advisory_lock($1) AS locked, pg_is_in_recovery() AS standby',
          [key],
        );
        if (!rows[0]?.locked || rows[0].standby) {
          await client.end().catch(() => {});
          return null;
        }
      } catch (error) {
        await client.end().catch(() => {});
        throw failed(target, error);
      }
      // A connection that dies is seen at once ('end'); one that hangs, or a host demoted to a standby
      // (its locks then mean nothing), by a heartbeat.
      let beating = false;
      heartbeat = setInterval(async () => {
        if (beating) return;
        beating = true;
        try {
          const answer = client.query<{ standby: boolean }>('SELECT pg_is_in_recovery() AS standby');
          const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('heartbeat timed out')), 3000).unref());
          const { rows } = await Promise.race([answer, timeout]);
          if (rows[0]?.standby) throw new Error('the host is a standby now');
        } catch {
          lose();
          await client.end().catch(() => {});
        } finally {
          beating = false;
        }
      }, 1000);
      heartbeat.unref();
      return {
        lost,
        async release() {
          clearInterval(heartbeat);
          await client.query('SELECT pg_advisory_unlock($1)', [key]).catch(() => {});
          await client.end().catch(() => {});
          release();
        },
      };
    },
    close: () => picker.close(),
  };
}

export interface PgliteOptions {
  /** A folder kept between runs, or `memory://` for a throw-away database. */
  dataDir: string;
  /** Starts from this dump of a data folder (`dumpPglite`) instead of an empty one. */
  loadDataDir?: Blob;
}

/** The PGlite behind each embedded Db, for `dumpPglite`. */
const embedded = new WeakMap<Db, PGlite>();

/** The embedded database's data folder as a tar archive, for `pgliteDb({ loadDataDir })`. */
export async function dumpPglite(db: Db): Promise<Uint8Array> {
  const pglite = embedded.get(db);
  if (!pglite) throw new Error('dumpPglite needs an embedded (PGlite) database');
  const dump = await pglite.dumpDataDir('none');
  return new Uint8Array(await dump.arrayBuffer());
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

/** Whether a process with this id runs on this machine (one owned by another user counts). */
export function isAlive(pid: number): boolean {
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
    db = await PGlite.create(options.dataDir, {
      parsers: { [INT8]: toNumber, [NUMERIC]: toNumber },
      ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    });
  } catch (error) {
    unlock();
    throw error;
  }

  const heldLocks = new Set<number>();
  const run = async <R>(target: Pick<PGlite, 'query'>, text: string, params?: readonly unknown[]) => {
    const result = await target.query<R>(text, params as unknown[]);
    return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
  };
  // PGlite reads COPY's data from a blob named /dev/blob.
  const copy = async (target: Pick<PGlite, 'query'>, table: string, columns: readonly string[], rows: readonly (readonly unknown[])[]) => {
    if (rows.length === 0) return;
    await target.query(`COPY ${table} (${columns.join(', ')}) FROM '/dev/blob'`, [], { blob: new Blob([copyText(rows)]) });
  };

  const handle: Db = {
    kind: 'pglite',
    query: (text, params) => run(db, text, params),
    exec: async (sql) => {
      await db.exec(sql);
    },
    copyFrom: (table, columns, rows) => copy(db, table, columns, rows),
    // PGlite is one connection: its transaction() holds the connection exclusively, so queries
    // from elsewhere in the process wait until it commits or rolls back.
    transaction: (fn) =>
      db.transaction((tx) =>
        fn({
          query: (text, params) => run(tx, text, params),
          exec: async (sql) => {
            await tx.exec(sql);
          },
          copyFrom: (table, columns, rows) => copy(tx, table, columns, rows),
        }),
      ),
    async listen(channel, onNotify) {
      const unlisten = await db.listen(channel, onNotify);
      return async () => {
        await unlisten();
      };
    },
    // One process holds the embedded database, so the lock only has to be exclusive within it.
    async tryAdvisoryLock(key) {
      if (heldLocks.has(key)) return null;
      heldLocks.add(key);
      let release: () => void = () => {};
      const lost = new Promise<void>((resolve) => {
        release = resolve;
      });
      return {
        lost,
        async release() {
          heldLocks.delete(key);
          release();
        },
      };
    },
    async close() {
      await db.close();
      unlock();
    },
  };
  embedded.set(handle, db);
  return handle;
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
  return `PostgreSQL at ${describeHosts(config.databaseUrl)}`;
}
