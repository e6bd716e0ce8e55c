/**
 * Running as one of several API processes against a PostgreSQL cluster that may fail over:
 *
 * - **Projector leadership.** Every process may follow the log, but exactly one does: the holder
 *   of a session advisory lock (`PROJECTOR_LOCK`) on a connection of its own. The others try again
 *   every second, so when the holder dies (its connection closes and PostgreSQL frees the lock) or
 *   the primary fails over (the lock's connection is lost; the new primary has no holder), another
 *   process takes over within seconds. The projection engine's checkpoint row locks keep a batch
 *   from being applied twice even if two ran at once for a moment.
 * - **Commands across a failover.** A command whose database work failed because the server went
 *   away (`DatabaseUnavailableError`) is run again, for a bounded time, until a writable host
 *   answers: its event ids derive from the command id, so a retry of a transaction that did in
 *   fact commit is recognised and writes nothing. After the bound the client gets the typed
 *   retryable error (`database-unavailable`), never a 500 or a hang.
 */
import { DatabaseUnavailableError, isConnectionLoss, typedConnectionError, type Db } from '@yingpan/db';
import type { CommandBus } from '@yingpan/domain';
import { requestError } from './errors.ts';

/** The advisory lock whose holder runs the projector (beside the migrations' 7_020_001). */
export const PROJECTOR_LOCK = 7_020_002;

/** The advisory lock under which a process prepares the read models (creates or rebuilds them) on start. */
export const PREPARE_LOCK = 7_020_003;

/**
 * Runs `work` while holding the prepare lock, waiting for it while another process holds it: two
 * API processes started together on a new database would otherwise both create the read models'
 * schemas (and one fail), or both rebuild a projection whose version changed.
 */
export async function preparedAlone<T>(db: Db, work: () => Promise<T>): Promise<T> {
  for (;;) {
    const lock = await db.tryAdvisoryLock(PREPARE_LOCK, `yingpan preparing read models pid ${process.pid}`);
    if (lock) {
      try {
        return await work();
      } finally {
        await lock.release();
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The projector-lock connection's application_name: pg_stat_activity shows which process leads. */
export const leaderName = (pid = process.pid) => `yingpan projector leader pid ${pid}`;

export interface LeadershipOptions {
  /** Stops following: the projector is stopped and the lock released; `done` then resolves. */
  signal: AbortSignal;
  /** How often a process that does not lead tries to take the lock. */
  retryMs?: number;
  onChange?: (leading: boolean) => void;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });

/**
 * Runs `follow` (the projector) while this process holds the projector lock, and tries to take it
 * every `retryMs` while another process does; `follow` is aborted when the lock is lost. `done`
 * resolves once `signal` has aborted and everything is stopped.
 */
export function leadProjector(
  db: Db,
  follow: (signal: AbortSignal) => Promise<void>,
  options: LeadershipOptions,
): { done: Promise<void>; isLeader(): boolean } {
  const { signal, retryMs = 1000, onChange } = options;
  let leading = false;
  const done = (async () => {
    while (!signal.aborted) {
      const lock = await db.tryAdvisoryLock(PROJECTOR_LOCK, leaderName()).catch(() => null);
      if (!lock) {
        await sleep(retryMs, signal);
        continue;
      }
      if (signal.aborted) {
        await lock.release();
        break;
      }
      leading = true;
      onChange?.(true);
      const following = new AbortController();
      const stop = () => following.abort();
      signal.addEventListener('abort', stop, { once: true });
      const run = follow(following.signal).catch((error: unknown) => console.error('[projector] stopped:', error instanceof Error ? error.message : error));
      await Promise.race([lock.lost, run, new Promise((resolve) => following.signal.addEventListener('abort', resolve, { once: true }))]);
      following.abort();
      signal.removeEventListener('abort', stop);
      await run;
      await lock.release();
      leading = false;
      onChange?.(false);
      // Lost with the projections still to follow (a failover, a dropped connection): take part in the next election at once.
    }
  })();
  return { done, isLeader: () => leading };
}

export interface CommandRetryOptions {
  /** How long a command is retried while the database is away before the client is told. */
  windowMs: number;
  /** Before each retry (e.g. to forget cached stream states read from a host that failed). */
  onRetry?: (error: DatabaseUnavailableError, attempt: number) => void;
}

/**
 * Makes `bus.execute` retry a command that failed because the database went away, until a
 * writable host answers or `windowMs` has passed; then the DatabaseUnavailableError is thrown.
 */
export function retryCommandsAcrossFailover(bus: CommandBus, options: CommandRetryOptions): CommandBus {
  const execute = bus.execute.bind(bus);
  bus.execute = async (name, input, context) => {
    const deadline = Date.now() + options.windowMs;
    for (let attempt = 1; ; attempt++) {
      try {
        return await execute(name, input, context);
      } catch (error) {
        if (!isConnectionLoss(error)) throw error;
        const typed = typedConnectionError(error) as DatabaseUnavailableError;
        if (Date.now() + 250 > deadline) throw typed;
        options.onRetry?.(typed, attempt);
        await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 100 * 2 ** Math.min(attempt, 4))));
      }
    }
  };
  return bus;
}

/** The answer a client gets when the database is away: a typed error it may retry (same command id). */
export function unavailableAnswer() {
  return requestError(
    'database-unavailable',
    {
      zh: '数据库暂时不可用，请稍后用同一请求重试。',
      en: 'The database is unavailable for a moment; retry the same request (a mutation with the same command id is recorded once).',
    },
    { retryable: true, message: 'zh' },
  );
}

/**
 * Yoga's maskError: a DatabaseUnavailableError (anywhere in the error's causes) becomes the typed
 * database-unavailable answer; everything else is masked as before.
 */
export function maskUnavailable(mask: (error: unknown, message: string, isDev?: boolean) => Error) {
  return (error: unknown, message: string, isDev?: boolean): Error => {
    for (let current: unknown = error, depth = 0; current instanceof Error && depth < 5; depth++) {
      if (current instanceof DatabaseUnavailableError || (current as { name?: string }).name === 'DatabaseUnavailableError') return unavailableAnswer();
      current = (current as { originalError?: unknown }).originalError ?? current.cause;
    }
    return mask(error, message, isDev);
  };
}
