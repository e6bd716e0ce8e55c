/**
 * Several PostgreSQL hosts behind one DATABASE_URL, and the typed error a client may retry.
 *
 * `postgres://user@h1:p1,h2:p2/db?target_session_attrs=read-write` lists the nodes of a
 * high-availability cluster (pg_auto_failover prints such a URL). libpq understands it; `pg` does
 * not, so the db layer does what libpq would: it tries the hosts in turn, keeps the first that
 * answers (and, with `read-write`, is not a standby), and chooses again when a connection to it
 * fails or it turns out read-only after a failover.
 */
import pg from 'pg';

/**
 * The database cannot be reached, or the host reached is no longer the writable one. Nothing about
 * the request's outcome is known for certain only when `commitUnknown` is set (the connection was
 * lost while COMMIT was on its way); either way a command re-sent with the same command id is
 * recorded exactly once, so it is always safe to retry.
 */
export class DatabaseUnavailableError extends Error {
  readonly retryable = true;
  constructor(
    message: string,
    readonly commitUnknown = false,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DatabaseUnavailableError';
  }
}

/** Node's socket errors that mean the server is gone or unreachable. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'ENOTFOUND', 'EAI_AGAIN']);
/**
 * SQLSTATEs that mean "this server, not this request": class 08 (connection exception), 57P01–57P03
 * (shut down, crashed, not accepting connections yet), 25006 (a read-only transaction: the host was
 * demoted to a standby).
 */
const SERVER_STATES = /^(08...|57P0[123]|25006)$/;
const CONNECTION_WORDING =
  /Connection terminated|connection (is )?(closed|ended)|timeout exceeded when trying to connect|Client has encountered a connection error|not queryable/i;

/** Whether an error says the database server (or the way to it) failed, rather than the statement. */
export function isConnectionLoss(error: unknown): boolean {
  if (error instanceof DatabaseUnavailableError) return true;
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (SOCKET_CODES.has(code) || SERVER_STATES.test(code))) return true;
  return CONNECTION_WORDING.test(error.message);
}

/** A DatabaseUnavailableError for a connection-class error; any other error as it is. */
export function typedConnectionError(error: unknown, commitUnknown = false): unknown {
  if (error instanceof DatabaseUnavailableError) return error;
  if (!isConnectionLoss(error)) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new DatabaseUnavailableError(`The database is unavailable (${reason})`, commitUnknown, { cause: error });
}

export interface ParsedDatabaseUrl {
  /** One single-host connection string per listed host, in the URL's order. */
  hosts: string[];
  /** `target_session_attrs=read-write` (or `primary`): only a host that is not a standby will do. */
  readWrite: boolean;
}

/**
 * Splits a connection string that may list several `host:port` pairs into single-host strings
 * that `pg` understands; `target_session_attrs` is consumed here (pg would pass it to the server).
 */
export function parseDatabaseUrl(url: string): ParsedDatabaseUrl {
  const match = /^(postgres(?:ql)?:\/\/)([^@/?#]*@)?([^/?#]*)([^?#]*)(\?[^#]*)?$/.exec(url);
  if (!match) return { hosts: [url], readWrite: false };
  const [, scheme, auth = '', hostList = '', path = '', query = ''] = match;
  const params = new URLSearchParams(query.slice(1));
  const attrs = params.get('target_session_attrs');
  params.delete('target_session_attrs');
  const rest = params.size > 0 ? `?${params.toString()}` : '';
  const hosts = hostList.split(',').filter((host) => host.length > 0);
  return {
    hosts: (hosts.length > 0 ? hosts : ['']).map((host) => `${scheme}${auth}${host}${path}${rest}`),
    readWrite: attrs === 'read-write' || attrs === 'primary',
  };
}

/** Does the connection string name a cluster (several hosts, or only the writable one of them)? */
export function isClusterUrl(url: string): boolean {
  const { hosts, readWrite } = parseDatabaseUrl(url);
  return hosts.length > 1 || readWrite;
}

/** `host:port, host:port /db` for messages (never a password). */
export function describeHosts(url: string): string {
  const { hosts } = parseDatabaseUrl(url);
  const shown = hosts.map((single) => {
    try {
      const parsed = new URL(single);
      return { where: `${parsed.hostname}:${parsed.port || 5432}`, db: parsed.pathname };
    } catch {
      return { where: '?', db: '' };
    }
  });
  const list = shown.map((host) => host.where).join(', ');
  return isClusterUrl(url) ? `${list}${shown[0]?.db ?? ''} (the writable one of them)` : `${list}${shown[0]?.db ?? ''}`;
}

/** What a connection must ask to know whether its host takes writes (see `notWritable`). */
export const WRITABLE_QUERY = `SELECT pg_is_in_recovery() AS standby, current_setting('default_transaction_read_only') = 'on' AS "readOnly"`;

/** Why a host that answered WRITABLE_QUERY with `row` cannot take writes, or null when it can. */
export function notWritable(row: { standby: boolean; readOnly: boolean } | undefined): string | null {
  if (row?.standby) return 'a standby (read-only)';
  // pg_auto_failover keeps a promoted standby read-only until the old primary is known demoted.
  if (row?.readOnly) return 'a primary not yet open for writes';
  return null;
}

/**
 * Checks a new connection to a host chosen as the writable one, as libpq does for each connection
 * with `target_session_attrs=read-write`: a host chosen before a failover may be back as a standby
 * (its keeper restarts it as one), and a connection opened to it then would read from it, or ask
 * it for the projector's lock, as if nothing had happened, never choosing again. Throws a
 * DatabaseUnavailableError, so that the host is dropped and the next request chooses again.
 */
export async function ensureWritable(client: Pick<pg.ClientBase, 'query'>, url: string): Promise<void> {
  const { rows } = await client.query<{ standby: boolean; readOnly: boolean }>(WRITABLE_QUERY);
  const refused = notWritable(rows[0]);
  if (refused) throw new DatabaseUnavailableError(`The database host ${describeHosts(url)} is not writable any more: ${refused}`);
}

/** A host chosen, with its pool. */
export interface Target {
  url: string;
  pool: pg.Pool;
}

export interface HostPickerOptions {
  /** How long a try at one host may take to connect and answer. */
  probeTimeoutMs?: number;
  /** Called when a different host than before is chosen (after a failover). */
  onSwitch?: (from: string | null, to: string) => void;
}

/**
 * Chooses the host to talk to and keeps its pool. `get()` answers the current one or chooses (one
 * choice at a time, shared by every caller); `lost(target)` drops it after a connection failure,
 * so that the next `get()` chooses again. With a single host nothing is ever chosen again: its pool
 * replaces broken connections by itself.
 */
export class HostPicker {
  private current: Target | null = null;
  private picking: Promise<Target> | null = null;
  private last: string | null = null;
  private closed = false;

  constructor(
    readonly urls: readonly string[],
    private readonly readWrite: boolean,
    private readonly makePool: (url: string) => pg.Pool,
    private readonly options: HostPickerOptions = {},
  ) {}

  get single(): boolean {
    return this.urls.length === 1 && !this.readWrite;
  }

  async get(): Promise<Target> {
    if (this.current) return this.current;
    if (this.closed) throw new DatabaseUnavailableError('The database connection is closed');
    if (this.single) {
      this.current = { url: this.urls[0]!, pool: this.makePool(this.urls[0]!) };
      return this.current;
    }
    this.picking ??= this.pick().finally(() => {
      this.picking = null;
    });
    return this.picking;
  }

  /** Forgets `target` after a connection failure (its pool is ended); the next `get()` chooses again. */
  lost(target: Target): void {
    if (this.single || this.current !== target) return;
    this.current = null;
    target.pool.end().catch(() => {});
  }

  private async pick(): Promise<Target> {
    // The host that worked last is tried first, then the others in the URL's order.
    const order = [...this.urls].sort((a, b) => Number(b === this.last) - Number(a === this.last));
    const reasons: string[] = [];
    for (const url of order) {
      const reason = await this.probe(url);
      if (reason === null) {
        if (this.closed) throw new DatabaseUnavailableError('The database connection is closed');
        const target = { url, pool: this.makePool(url) };
        if (this.last !== url) this.options.onSwitch?.(this.last, url);
        this.last = url;
        this.current = target;
        return target;
      }
      reasons.push(`${describeHosts(url)}: ${reason}`);
    }
    throw new DatabaseUnavailableError(`No ${this.readWrite ? 'writable ' : ''}database host answers (${reasons.join('; ')})`);
  }

  /** Null when `url` will do; else why not. */
  private async probe(url: string): Promise<string | null> {
    const timeout = this.options.probeTimeoutMs ?? 2000;
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeout, query_timeout: timeout });
    client.on('error', () => {});
    try {
      await client.connect();
      if (!this.readWrite) {
        await client.query('SELECT 1');
        return null;
      }
      // A primary whose commits wait for a synchronous standby that is not there would take writes
      // and never answer them: an old primary restarted after a crash while its standby is being
      // promoted, or a new one before the cluster lets it write. Not chosen, so writes go where they
      // can be acknowledged.
      const { rows } = await client.query<{ standby: boolean; readOnly: boolean; waiting: boolean }>(
        `SELECT pg_is_in_recovery() AS standby,
                current_setting('default_transaction_read_only') = 'on' AS "readOnly",
                current_setting('synchronous_standby_names') <> ''
                  AND NOT EXISTS (SELECT 1 FROM pg_stat_replication WHERE sync_state IS NULL OR sync_state IN ('sync', 'quorum')) AS waiting`,
      );
      const refused = notWritable(rows[0]);
      if (refused) return refused;
      if (rows[0]?.waiting) return 'a primary without its synchronous standby (its commits would wait)';
      return null;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    } finally {
      await client.end().catch(() => {});
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.picking?.catch(() => {});
    const current = this.current;
    this.current = null;
    await current?.pool.end();
  }
}
