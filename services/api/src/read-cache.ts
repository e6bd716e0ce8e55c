/**
 * Answers of the slowest read queries (score bands, station compliance: every mandate of a county
 * scored or checked period by period), kept in this process for as long as nothing they read from
 * can have changed. An answer is a function of its arguments, of the read models' contents and of
 * today's date (a year still running is scored up to today). The read models' contents are named by
 * their checkpoints (name, version and position of each: a projection applies the log
 * deterministically), so the key is the query, its arguments, today and every checkpoint: any
 * event applied anywhere starts a new key, and the old answers age out of a small LRU.
 *
 * Reading the checkpoints is one small query; concurrent asks for the same key share one
 * computation. Answers are shared between requests: callers must not change them.
 */
import type { Db } from '@yingpan/db';
import { countyToday } from '@yingpan/domain';
import { underlying } from './consistency.ts';

const ENTRIES = 100;
const caches = new WeakMap<Db, Map<string, Promise<unknown>>>();

/** The state statement being answered on each handle: a request's cached reads started together share it. */
const asking = new WeakMap<Db, Promise<string>>();

/**
 * How the read models stand now: every checkpoint, in name order. Reads that ask while the same
 * handle's statement is on its way share its answer (a dashboard's several cached figures: one
 * statement, not one each). A request that waits for a position has a handle of its own
 * (consistency.ts), so it never takes a state read begun before the position it waited for; requests
 * without one share the process's handle and may share a statement begun a moment before theirs,
 * which is what they ask for: whatever the read models hold.
 */
function readModelState(db: Db): Promise<string> {
  let state = asking.get(db);
  if (!state) {
    state = db
      .query<{ state: string | null }>(
        `SELECT string_agg(name || ':' || version || ':' || position, ',' ORDER BY name) AS state FROM yingpan.projection_checkpoints`,
        [],
        { prepared: 'yingpan_read_model_state' },
      )
      .then((result) => result.rows[0]?.state ?? '')
      .finally(() => asking.delete(db));
    asking.set(db, state);
  }
  return state;
}

export async function cachedWhileUnchanged<T>(db: Db, query: string, args: unknown, compute: () => Promise<T>): Promise<T> {
  const today = countyToday();
  const key = `${query}\n${JSON.stringify(args)}\n${today}\n${await readModelState(db)}`;
  // One cache per database, shared by requests whose handle waits for a position (consistency.ts).
  let cache = caches.get(underlying(db));
  if (!cache) {
    cache = new Map();
    caches.set(underlying(db), cache);
  }
  const hit = cache.get(key);
  if (hit) {
    // Most recently used last.
    cache.delete(key);
    cache.set(key, hit);
    return hit as Promise<T>;
  }
  const answer = compute();
  cache.set(key, answer);
  answer.catch(() => cache.delete(key));
  while (cache.size > ENTRIES) cache.delete(cache.keys().next().value!);
  return answer;
}
