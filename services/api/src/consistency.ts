/**
 * Read-your-writes without making writes wait for reads. A mutation answers as soon as its events
 * are durable in the log, with their log position (the `position` of its result, and the response
 * extension `logPosition`). A client that must see its own write sends that position back on its
 * next requests, in the header `X-Consistent-With`; the request's database handle then waits,
 * before each statement, until the read models that statement reads (the `rm_<name>` schemas it
 * names) have applied the log up to that position — only those models, only that far. A request
 * without the header reads whatever the read models hold at that moment.
 */
import type { Db, Queryable } from '@yingpan/db';

/** The request header naming the log position a request's reads must reflect. */
export const CONSISTENCY_HEADER = 'x-consistent-with';
/** The response extension carrying the last log position a request's writes reached. */
export const POSITION_EXTENSION = 'logPosition';

/** The position a request asks its reads to reflect: a positive integer, else null (a bad header is ignored). */
export function requestedPosition(header: string | null | undefined): number | null {
  if (!header || !/^\d{1,15}$/.test(header.trim())) return null;
  const position = Number(header.trim());
  return position > 0 ? position : null;
}

/** Read models named by a statement: `rm_<name>.` (the live schema or one being rebuilt beside it). */
const READ_MODEL = /\brm_([a-z0-9_]+?)(?:__next)?\./g;
/** The checkpoints table: a statement reading it (the read cache's key) depends on every model. */
const CHECKPOINTS = /\bprojection_checkpoints\b/;

/** The read models a statement reads, or 'all' when it reads the checkpoints of every one. */
export function modelsRead(sql: string): readonly string[] | 'all' {
  if (CHECKPOINTS.test(sql)) return 'all';
  const names = new Set<string>();
  for (const match of sql.matchAll(READ_MODEL)) names.add(match[1]!);
  return [...names];
}

/** Waits until the named read models (or all) have applied the log up to `position`. */
export type WaitForModels = (models: readonly string[] | 'all', position: number) => Promise<void>;

const UNDERLYING = Symbol('underlying db');

/** The database under a consistent handle (the handle itself when it is not one), e.g. to key caches by. */
export function underlying(db: Db): Db {
  return (db as Db & { [UNDERLYING]?: Db })[UNDERLYING] ?? db;
}

/**
 * `db` for one request that must reflect the log up to `position`: every statement first waits for
 * the read models it names. A model waited for once is not asked again within the request.
 */
export function consistentDb(db: Db, position: number, waitFor: WaitForModels): Db {
  const reached = new Set<string>();
  let all = false;
  const before = async (sql: string) => {
    if (all) return;
    const models = modelsRead(sql);
    if (models === 'all') {
      await waitFor('all', position);
      all = true;
      return;
    }
    const missing = models.filter((model) => !reached.has(model));
    if (missing.length === 0) return;
    await waitFor(missing, position);
    for (const model of missing) reached.add(model);
  };
  const wrap = (target: Queryable): Queryable => ({
    async query(text, params, options) {
      await before(text);
      return target.query(text, params, options);
    },
    async exec(sql) {
      await before(sql);
      return target.exec(sql);
    },
    copyFrom: (table, columns, rows) => target.copyFrom(table, columns, rows),
  });
  const wrapped = wrap(db);
  const transaction: Db['transaction'] = (fn) => db.transaction((tx) => fn(wrap(tx)));
  // Everything else (listening, locks, closing) goes to the database itself.
  return new Proxy(db, {
    get(target, property) {
      if (property === UNDERLYING) return target;
      if (property === 'query') return wrapped.query;
      if (property === 'exec') return wrapped.exec;
      if (property === 'copyFrom') return wrapped.copyFrom;
      if (property === 'transaction') return transaction;
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
