/**
 * The composition root: opens the database, the event log and the projector, and hands them to
 * the API. Environment variables are read once, in `configFromEnv`, and nowhere else.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describeDb, openDb, isClusterUrl, type Db } from '@yingpan/db';
import { clockOn, createDomain, setClock, StateCache, type CommandBus } from '@yingpan/domain';
import { SqlEventStore, TransparencyLog, migrateEventStore, type EventStore, type NoteSigner } from '@yingpan/event-store';
import { FolderFileStore, type FileStore } from '@yingpan/files';
import { Projector, allProjections } from '@yingpan/projections';
import { ephemeralSecret, loadTokenSecret, tokenIssuer, type TokenIssuer } from './auth.ts';
import { type RelyingParty, relyingPartyFrom } from './auth-passkeys.ts';
import { loadCheckpointSigner } from './checkpoints.ts';
import { leadProjector, preparedAlone, retryCommandsAcrossFailover } from './ha.ts';
import { DEFAULT_OIDC_CLAIM, DEFAULT_OIDC_LABEL, type OidcSettings } from './auth-sso.ts';

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
  /** Where evidence files are kept (YINGPAN_FILES_DIR, default `.data/files`); absent: a temporary folder (tests). */
  filesDir?: string | undefined;
  /** Put the event log in KurrentDB (read models stay in PostgreSQL/PGlite). */
  kurrentdbUrl?: string | undefined;
  /**
   * How long a command is retried while the database is away (YINGPAN_COMMAND_RETRY_MS), e.g. across
   * a failover; then the client gets the typed database-unavailable error. Default: 20 s when
   * DATABASE_URL lists a cluster (several hosts or target_session_attrs), else 0 (answer at once).
   */
  commandRetryMs?: number | undefined;
  /** The token-signing secret (YINGPAN_TOKEN_SECRET); else the one kept in `tokenSecretFile`. */
  tokenSecret?: string | undefined;
  /** Where the local signing secret is kept; with neither, a secret lives as long as the process. */
  tokenSecretFile?: string | undefined;
  /** The county's date today (YINGPAN_TODAY, YYYY-MM-DD): the clock runs from noon of that day. Absent: the system clock. */
  today?: string | undefined;
  /** The checkpoints' origin line (YINGPAN_CHECKPOINT_ORIGIN): names this log; also the name of a key created for it. */
  checkpointOrigin?: string | undefined;
  /** Where the checkpoint signing key is kept (YINGPAN_CHECKPOINT_KEY_FILE); absent: a key for the process's life. */
  checkpointKeyFile?: string | undefined;
  /** Sign-in through a single sign-on provider (YINGPAN_OIDC_*); absent: password sign-in only. */
  oidc?: OidcSettings | undefined;
  /** The web's address (WEB_URL, default `http://localhost:$PORT`): the passkeys' origin unless others are listed. */
  webUrl?: string | undefined;
  /** The origins passkey sign-in is accepted from, comma-separated (YINGPAN_PASSKEY_ORIGINS); absent: the web's. */
  passkeyOrigins?: string | undefined;
  /** The domain passkeys are bound to (YINGPAN_PASSKEY_RP_ID); absent: the first origin's host name. */
  passkeyRpId?: string | undefined;
}

export const DEFAULT_DATA_DIR = '.data/pglite';
export const DEFAULT_FILES_DIR = '.data/files';
export const DEFAULT_TOKEN_SECRET_FILE = '.data/token-secret';
export const DEFAULT_CHECKPOINT_KEY_FILE = '.data/checkpoint-key';
export const DEFAULT_CHECKPOINT_ORIGIN = 'yingpan.local/county-record';

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
    filesDir: path.resolve(repoRoot(), env.YINGPAN_FILES_DIR || DEFAULT_FILES_DIR),
    kurrentdbUrl: env.KURRENTDB_URL || undefined,
    commandRetryMs: env.YINGPAN_COMMAND_RETRY_MS ? Number(env.YINGPAN_COMMAND_RETRY_MS) : undefined,
    tokenSecret: env.YINGPAN_TOKEN_SECRET || undefined,
    tokenSecretFile: path.resolve(repoRoot(), env.YINGPAN_TOKEN_SECRET_FILE || DEFAULT_TOKEN_SECRET_FILE),
    today: env.YINGPAN_TODAY || undefined,
    checkpointOrigin: env.YINGPAN_CHECKPOINT_ORIGIN || DEFAULT_CHECKPOINT_ORIGIN,
    checkpointKeyFile: path.resolve(repoRoot(), env.YINGPAN_CHECKPOINT_KEY_FILE || DEFAULT_CHECKPOINT_KEY_FILE),
    webUrl: env.WEB_URL || `http://localhost:${env.PORT || 3000}`,
    passkeyOrigins: env.YINGPAN_PASSKEY_ORIGINS || undefined,
    passkeyRpId: env.YINGPAN_PASSKEY_RP_ID || undefined,
    oidc: oidcFromEnv(env),
  };
}

/**
 * The single sign-on provider (YINGPAN_OIDC_ISSUER, _CLIENT_ID, _CLIENT_SECRET, _REDIRECT_URL, _CLAIM,
 * _LABEL): none unless the issuer, the client id and the redirect address are all set. Without a
 * secret the client is a public one (PKCE alone).
 */
function oidcFromEnv(env: NodeJS.ProcessEnv): OidcSettings | undefined {
  const issuer = env.YINGPAN_OIDC_ISSUER?.trim();
  const clientId = env.YINGPAN_OIDC_CLIENT_ID?.trim();
  const redirectUrl = env.YINGPAN_OIDC_REDIRECT_URL?.trim();
  if (!issuer || !clientId || !redirectUrl) {
    if (issuer || clientId || redirectUrl) {
      console.warn('Single sign-on is off: YINGPAN_OIDC_ISSUER, YINGPAN_OIDC_CLIENT_ID and YINGPAN_OIDC_REDIRECT_URL must all be set.');
    }
    return undefined;
  }
  for (const [name, value] of [
    ['YINGPAN_OIDC_ISSUER', issuer],
    ['YINGPAN_OIDC_REDIRECT_URL', redirectUrl],
  ] as const) {
    if (!URL.canParse(value)) throw new Error(`${name} must be an absolute URL, got ${JSON.stringify(value)}`);
  }
  return {
    issuer,
    clientId,
    clientSecret: env.YINGPAN_OIDC_CLIENT_SECRET || undefined,
    redirectUrl,
    claim: env.YINGPAN_OIDC_CLAIM?.trim() || DEFAULT_OIDC_CLAIM,
    label: env.YINGPAN_OIDC_LABEL?.trim() || DEFAULT_OIDC_LABEL,
  };
}

/** The log's Merkle tree and checkpoints, their signer and origin: null `log` on a store without them (KurrentDB). */
export interface Transparency {
  log: TransparencyLog | null;
  signer: NoteSigner;
  origin: string;
}

/** The checkpoint signer and origin of a configuration (the key file is created on first use). */
export function checkpointSignerFor(config: RuntimeConfig): { signer: NoteSigner; origin: string } {
  const origin = config.checkpointOrigin ?? DEFAULT_CHECKPOINT_ORIGIN;
  return { signer: loadCheckpointSigner({ file: config.checkpointKeyFile, name: origin }), origin };
}

/** The log's tree and checkpoints alone (for the command line): the event store's migrations, nothing else. */
export async function openTransparency(config: RuntimeConfig): Promise<Transparency & { log: TransparencyLog; db: Db; close(): Promise<void> }> {
  if (config.kurrentdbUrl) throw new Error('Checkpoints and proofs need the SQL event store (PostgreSQL or PGlite); a KurrentDB log has no Merkle tree yet.');
  const db = await openDb(config);
  try {
    await migrateEventStore(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  return { ...checkpointSignerFor(config), log: new TransparencyLog(db), db, close: () => db.close() };
}

/** Sets the process's clock from the configuration (YINGPAN_TODAY), once, at a composition root. */
export function useConfiguredClock(config: RuntimeConfig): void {
  if (config.today) setClock(clockOn(config.today));
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
  /** The log's Merkle tree, its checkpoints and their signer. */
  transparency: Transparency;
  /** Evidence files, by SHA-256 (services/files). */
  files: FileStore;
  /** The single sign-on provider, when one is configured. */
  oidc: OidcSettings | null;
  /** The site passkeys are made for: its domain and the origins of its pages (auth-passkeys.ts). */
  relyingParty: RelyingParty;
  /** DATABASE_URL names a cluster (several hosts, or the writable one of them): a standby is expected. */
  cluster: boolean;
  /** Follows the log until `close()`, while this process holds the projector's lock (ha.ts). */
  startProjector(): void;
  /** Does this process run the projector now (it started it and holds the lock)? */
  leadsProjector(): boolean;
  waitForProjections(position: number, timeoutMs?: number): Promise<void>;
  /**
   * Resolves once the named read models (or all) have applied the log up to `position` — a
   * request's reads that must reflect a write (consistency.ts) — or after `timeoutMs` (default 5 s).
   * A model that stopped at an event it cannot apply is not waited for.
   */
  waitForModels(models: readonly string[] | 'all', position: number, timeoutMs?: number): Promise<void>;
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
export async function openLogReadOnly(config: RuntimeConfig): Promise<{ store: EventStore; tree?: TransparencyLog; close(): Promise<void> }> {
  if (config.kurrentdbUrl) {
    const { KurrentDbEventStore } = await import('@yingpan/event-store');
    const store = await KurrentDbEventStore.open(config.kurrentdbUrl);
    return { store, close: () => store.close() };
  }
  const db = await openDb(config);
  const store = new SqlEventStore(db);
  // The tree exists once migration 0004 has run; a log opened read-only is not migrated.
  const { rows } = await db.query<{ kept: boolean }>(`SELECT to_regclass('yingpan.merkle_nodes') IS NOT NULL AS kept`);
  return {
    store,
    tree: rows[0]?.kept ? new TransparencyLog(db) : undefined,
    async close() {
      await store.close();
      await db.close();
    },
  };
}

/** The file store of a configuration: its folder, or a temporary one when none is configured. */
export function fileStoreFor(config: RuntimeConfig): FileStore {
  return new FolderFileStore(config.filesDir ?? mkdtempSync(path.join(tmpdir(), 'yingpan-files-')));
}

/** Does DATABASE_URL name a cluster (several hosts, or the writable one of them)? */
const namesCluster = (config: RuntimeConfig) => !!config.databaseUrl && isClusterUrl(config.databaseUrl);

/** How long commands are retried while the database is away (see RuntimeConfig.commandRetryMs). */
function commandRetryMs(config: RuntimeConfig): number {
  if (config.commandRetryMs !== undefined && Number.isFinite(config.commandRetryMs)) return config.commandRetryMs;
  return namesCluster(config) ? 20_000 : 0;
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
  // One process at a time creates or rebuilds the read models (several may start together: ha.ts).
  await preparedAlone(database, () => projector.prepare());
  for (const status of await projector.status()) {
    applied.set(status.name, status.position);
    if (status.failure) failed.add(status.name);
  }
  const abort = new AbortController();
  /** This process's part in running the projector, once started (ha.ts). */
  let leadership: ReturnType<typeof leadProjector> | null = null;
  const cache = new StateCache();
  // Without a configured folder (tests), the evidence files live in a temporary one, removed on close.
  const temporaryFiles = config.filesDir ? null : mkdtempSync(path.join(tmpdir(), 'yingpan-files-'));
  const files = temporaryFiles ? new FolderFileStore(temporaryFiles) : fileStoreFor(config);

  const names = allProjections.map((projection) => projection.name);
  const reached = (models: readonly string[], position: number) =>
    models.every((name) => failed.has(name) || (applied.get(name) ?? 0) >= position || !names.includes(name));
  /** Re-reads every checkpoint (for a projector in another process, whose batches this one does not hear). */
  const refreshApplied = async () => {
    const { rows } = await database.query<{ name: string; position: number; failed: boolean }>(
      'SELECT name, position, failure IS NOT NULL AS failed FROM yingpan.projection_checkpoints',
    );
    for (const row of rows) {
      if (row.position > (applied.get(row.name) ?? 0)) applied.set(row.name, row.position);
      if (row.failed) failed.add(row.name);
    }
    for (const wake of waiters) wake();
  };
  let refreshing = false;
  const refreshSoon = () => {
    if (refreshing) return;
    refreshing = true;
    void refreshApplied()
      .catch(() => {})
      .finally(() => {
        refreshing = false;
      });
  };
  const waitForModels = async (models: readonly string[] | 'all', position: number, timeoutMs = 5000) => {
    const wanted = models === 'all' ? names : models;
    if (reached(wanted, position)) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        clearInterval(poll);
        waiters.delete(check);
        resolve();
      };
      const check = () => {
        if (reached(wanted, position)) done();
      };
      const timer = setTimeout(done, timeoutMs);
      // This process's projector wakes the waiters on each batch; another process's is heard by polling.
      const poll = setInterval(refreshSoon, leadership ? 250 : 50);
      waiters.add(check);
    });
  };

  return {
    db: database,
    store,
    // Folded stream states kept between commands: a command reads only what was appended since.
    // A command the database failed under is run again across a failover (ha.ts), its cache forgotten.
    commands: retryCommandsAcrossFailover(createDomain(store, { cache }).bus, { windowMs: commandRetryMs(config), onRetry: () => cache.clear() }),
    projector,
    cluster: namesCluster(config),
    tokens: tokensFor(config),
    files,
    oidc: config.oidc ?? null,
    relyingParty: relyingPartyFrom({ origins: config.passkeyOrigins, rpId: config.passkeyRpId, webUrl: config.webUrl ?? 'http://localhost:3000' }),
    transparency: { ...checkpointSignerFor(config), log: store instanceof SqlEventStore ? new TransparencyLog(database) : null },
    startProjector() {
      // One process of several runs the projector: the holder of its advisory lock (ha.ts).
      leadership ??= leadProjector(database, (signal) => projector.run(signal), { signal: abort.signal });
    },
    leadsProjector: () => leadership?.isLeader() ?? false,
    waitForProjections: (position, timeoutMs = 3000) => waitForModels('all', position, timeoutMs),
    waitForModels,
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
      await leadership?.done;
      await store.close();
      if (!db) await database.close();
      if (temporaryFiles) await rm(temporaryFiles, { recursive: true, force: true });
    },
  };
}
