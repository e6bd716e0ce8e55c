/**
 * The composition root: opens the database, the event log and the projector, and hands them to
 * the API. Environment variables are read once, in `configFromEnv`, and nowhere else.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describeDb, openDb, type Db } from '@yingpan/db';
import { createDomain, type CommandBus } from '@yingpan/domain';
import { SqlEventStore, type EventStore } from '@yingpan/event-store';
import { Projector, allProjections } from '@yingpan/projections';
import { ephemeralSecret, loadTokenSecret, tokenIssuer, type TokenIssuer } from './auth.ts';

export { mintProblem, tokenIssuer, type MintOptions, type TokenIssuer } from './auth.ts';

/** The token issuer for a configuration (see auth.ts for where the secret comes from). */
export function tokensFor(config: RuntimeConfig): TokenIssuer {
  const secret =
    config.tokenSecret !== undefined || config.tokenSecretFile !== undefined
      ? loadTokenSecret({ secret: config.tokenSecret, file: config.tokenSecretFile ?? '' })
      : ephemeralSecret();
  return tokenIssuer(secret);
}

export interface RuntimeConfig {
  /** PostgreSQL for the log and the read models; PGlite in `dataDir` when absent. */
  databaseUrl?: string | undefined;
  dataDir: string;
  /** Put the event log in KurrentDB (read models stay in PostgreSQL/PGlite). */
  kurrentdbUrl?: string | undefined;
  /** The token-signing secret (YINGPAN_TOKEN_SECRET); else the one kept in `tokenSecretFile`. */
  tokenSecret?: string | undefined;
  /** Where the local signing secret is kept; with neither, a secret lives as long as the process. */
  tokenSecretFile?: string | undefined;
}

export const DEFAULT_DATA_DIR = '.data/pglite';
export const DEFAULT_TOKEN_SECRET_FILE = '.data/token-secret';

/** The repository root (the package.json with workspaces) above the working directory, else the working directory. */
function repoRoot(): string {
  for (let dir = process.cwd(); ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && 'workspaces' in JSON.parse(readFileSync(manifest, 'utf8'))) return dir;
    if (path.dirname(dir) === dir) return process.cwd();
  }
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): RuntimeConfig {
  return {
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: path.resolve(repoRoot(), env.YINGPAN_DATA_DIR || DEFAULT_DATA_DIR),
    kurrentdbUrl: env.KURRENTDB_URL || undefined,
    tokenSecret: env.YINGPAN_TOKEN_SECRET || undefined,
    tokenSecretFile: path.resolve(repoRoot(), env.YINGPAN_TOKEN_SECRET_FILE || DEFAULT_TOKEN_SECRET_FILE),
  };
}

export function describeConfig(config: RuntimeConfig): string {
  const log = config.kurrentdbUrl ? `event log in KurrentDB, read models in ${describeDb(config)}` : describeDb(config);
  return log;
}

export interface Runtime {
  db: Db;
  store: EventStore;
  commands: CommandBus;
  projector: Projector;
  /** Mints and checks sign-in tokens. */
  tokens: TokenIssuer;
  /** Follows the log until `close()`. */
  startProjector(): void;
  waitForProjections(position: number, timeoutMs?: number): Promise<void>;
  /** How many batches this process's projector has committed (or projections it stopped) so far. */
  projectorBatches(): number;
  /** Resolves once the count passes `after`, or after `timeoutMs`, or on abort. */
  waitForBatch(after: number, timeoutMs: number, signal?: AbortSignal): Promise<void>;
  close(): Promise<void>;
}

async function openStore(config: RuntimeConfig, db: Db): Promise<EventStore> {
  if (!config.kurrentdbUrl) return SqlEventStore.open(db);
  const { KurrentDbEventStore } = await import('@yingpan/event-store');
  return KurrentDbEventStore.open(config.kurrentdbUrl);
}

/**
 * The event log alone, opened without touching anything: no migrations, no projector, no secret.
 * For `yingpan verify`, which must only read.
 */
export async function openLogReadOnly(config: RuntimeConfig): Promise<{ store: EventStore; close(): Promise<void> }> {
  if (config.kurrentdbUrl) {
    const { KurrentDbEventStore } = await import('@yingpan/event-store');
    const store = await KurrentDbEventStore.open(config.kurrentdbUrl);
    return { store, close: () => store.close() };
  }
  const db = await openDb(config);
  const store = new SqlEventStore(db);
  return {
    store,
    async close() {
      await store.close();
      await db.close();
    },
  };
}

export async function openRuntime(config: RuntimeConfig, db?: Db): Promise<Runtime> {
  const database = db ?? (await openDb(config));
  const store = await openStore(config, database);
  const applied = new Map<string, number>();
  /** Projections stopped at an event they could not apply: nobody waits for them. */
  const failed = new Set<string>();
  const waiters = new Set<() => void>();
  /** Batches committed (or projections stopped) by this process's projector so far. */
  let batches = 0;
  const wakeAll = () => {
    batches += 1;
    for (const wake of waiters) wake();
  };
  const retryReported = new Map<string, string>();
  const projector = new Projector(database, store, allProjections, {
    pollIntervalMs: 500,
    onBatch(name, position) {
      applied.set(name, position);
      retryReported.delete(name);
      wakeAll();
    },
    onFailure(name, failure) {
      failed.add(name);
      console.error(`[projector] ${name} stopped at position ${failure.position} (${failure.eventType} ${failure.eventId}): ${failure.message}`);
      wakeAll();
    },
    onRetry(name, error) {
      const message = error instanceof Error ? error.message : String(error);
      if (retryReported.get(name) === message) return;
      retryReported.set(name, message);
      console.error(`[projector] ${name} will retry: ${message}`);
    },
  });
  await projector.prepare();
  for (const status of await projector.status()) {
    applied.set(status.name, status.position);
    if (status.failure) failed.add(status.name);
  }
  const abort = new AbortController();
  let running: Promise<void> | null = null;

  const reached = (position: number) =>
    allProjections.every((projection) => failed.has(projection.name) || (applied.get(projection.name) ?? 0) >= position);

  return {
    db: database,
    store,
    commands: createDomain(store).bus,
    projector,
    tokens: tokensFor(config),
    startProjector() {
      running ??= projector.run(abort.signal);
    },
    async waitForProjections(position, timeoutMs = 3000) {
      if (reached(position)) return;
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        const check = () => {
          if (reached(position)) done();
        };
        const timer = setTimeout(done, timeoutMs);
        waiters.add(check);
      });
    },
    projectorBatches: () => batches,
    async waitForBatch(after, timeoutMs, signal) {
      if (batches > after || signal?.aborted) return;
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          waiters.delete(check);
          signal?.removeEventListener('abort', done);
          resolve();
        };
        const check = () => {
          if (batches > after) done();
        };
        const timer = setTimeout(done, timeoutMs);
        waiters.add(check);
        signal?.addEventListener('abort', done, { once: true });
      });
    },
    async close() {
      abort.abort();
      await running;
      await store.close();
      if (!db) await database.close();
    },
  };
}
