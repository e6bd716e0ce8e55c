/**
 * The event store on PostgreSQL and PGlite (both through `Db`).
 *
 * Global order: every append takes one transaction-scoped advisory lock before it reads the head
 * and assigns positions, and holds it until its commit is visible. Appends are therefore
 * serialised: position n+1 is handed out only after position n has committed, so a reader that
 * sees position n+1 also sees n, and "position > checkpoint" never passes over an event that
 * commits later. Positions have no gaps (a rolled-back append releases the lock without using
 * them). The same lock makes the global hash chain exact. See docs/decisions.md.
 */
import { fileURLToPath } from 'node:url';
import { loadMigrations, migrate, type Db, type Queryable } from '@yingpan/db';
import { ChainVerifier } from './chain.ts';
import { checkExpectedVersion, EventStoreError, IdempotencyError } from './errors.ts';
import { GENESIS_HASH, eventHash } from './hash.ts';
import type {
  AppendRequest,
  AppendResult,
  EventStore,
  Head,
  ReadAllOptions,
  ReadStreamOptions,
  StoredEvent,
  SubscribeOptions,
  VerifyOptions,
  VerifyResult,
} from './types.ts';
import { validateAppend } from './validate.ts';
import { Wakeup } from './wakeup.ts';

/** The advisory lock key that serialises appends ("yingpan" in the digits of a phone keypad). */
export const APPEND_LOCK = 9_464_726;
export const EVENTS_CHANNEL = 'yingpan_events';
const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations', import.meta.url));

/** A row of yingpan.events as `pg` and PGlite return it. */
export interface EventRow {
  position: number;
  event_id: string;
  stream_id: string;
  stream_version: number;
  type: string;
  schema_version: number;
  data: unknown;
  metadata: { recordedBy: { personId: string; role: string }; correlationId: string; causationId: string | null; commandId: string | null };
  occurred_at: Date;
  recorded_at: Date;
  prev_hash: string;
  hash: string;
}

/** The columns of yingpan.events, in the order the store reads them. */
export const EVENT_COLUMNS = 'position, event_id, stream_id, stream_version, type, schema_version, data, metadata, occurred_at, recorded_at, prev_hash, hash';

export function rowToEvent(row: EventRow): StoredEvent {
  return {
    position: row.position,
    id: row.event_id,
    streamId: row.stream_id,
    streamVersion: row.stream_version,
    type: row.type,
    schemaVersion: row.schema_version,
    data: row.data,
    // Optional chaining: a row tampered with behind the store's back must still be readable, so
    // that verify can name it.
    metadata: {
      recordedBy: row.metadata?.recordedBy,
      occurredAt: row.occurred_at.toISOString(),
      recordedAt: row.recorded_at.toISOString(),
      correlationId: row.metadata?.correlationId,
      causationId: row.metadata?.causationId ?? null,
      commandId: row.metadata?.commandId ?? null,
    },
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

export async function migrateEventStore(db: Db): Promise<string[]> {
  return migrate(db, 'event-store', loadMigrations(MIGRATIONS_DIR));
}

/** The most appends one group commit takes. */
const MAX_GROUP = 256;

interface Queued {
  request: AppendRequest;
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
}

export class SqlEventStore implements EventStore {
  private readonly appended = new Set<() => void>();
  /** Appends waiting for the next group commit (see `append`). */
  private readonly queue: Queued[] = [];
  private flushing = false;

  constructor(private readonly db: Db) {}

  /** Applies the store's migrations and returns a ready store. */
  static async open(db: Db): Promise<SqlEventStore> {
    await migrateEventStore(db);
    return new SqlEventStore(db);
  }

  /**
   * Group commit: appends that arrive while a transaction is committing wait and then go together
   * in the next one, each checked on its own (its expected version, its idempotency) as if it ran
   * alone, so one refused append never takes others with it. The append lock serialises appends
   * anyway; grouping turns N commits (and N disk flushes) into one.
   */
  async append(request: AppendRequest): Promise<AppendResult> {
    const valid = validateAppend(request);
    return new Promise((resolve, reject) => {
      this.queue.push({ request: valid, resolve, reject });
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.queue.length > 0) {
        const group = this.queue.splice(0, MAX_GROUP);
        try {
          const outcomes = await this.db.transaction((tx) => this.appendInTransaction(tx, group.map((queued) => queued.request), true));
          if (outcomes.some((outcome) => !(outcome instanceof Error) && !outcome.duplicate)) for (const wake of this.appended) wake();
          outcomes.forEach((outcome, index) => (outcome instanceof Error ? group[index]!.reject(outcome) : group[index]!.resolve(outcome)));
        } catch (error) {
          for (const queued of group) queued.reject(error);
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  async appendMany(requests: AppendRequest[]): Promise<AppendResult[]> {
    const valid = requests.map(validateAppend);
    if (valid.length === 0) return [];
    const results = (await this.db.transaction((tx) => this.appendInTransaction(tx, valid, false))) as AppendResult[];
    if (results.some((result) => !result.duplicate)) for (const wake of this.appended) wake();
    return results;
  }

  /**
   * Appends `requests` in order inside `tx`. All or nothing unless `isolate`: then a request that
   * fails its version or idempotency check is answered with its error and the others go on.
   */
  private async appendInTransaction(tx: Queryable, requests: AppendRequest[], isolate: boolean): Promise<(AppendResult | Error)[]> {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [APPEND_LOCK]);

    // One round trip for everything the append must know: which ids are stored already, each
    // stream's version (newest row per stream through the unique index), the clock and the head.
    const allIds = requests.flatMap((request) => request.events.map((event) => event.id));
    const streamIds = [...new Set(requests.map((request) => request.streamId))];
    const { rows: facts } = await tx.query<{
      existing: { event_id: string; stream_id: string; stream_version: number; position: number }[] | null;
      versions: { stream_id: string; version: number }[] | null;
      now: Date;
      position: number | null;
      hash: string | null;
    }>(
      `SELECT
         (SELECT json_agg(json_build_object('event_id', event_id, 'stream_id', stream_id, 'stream_version', stream_version, 'position', position))
            FROM yingpan.events WHERE event_id = ANY($1::uuid[])) AS existing,
         (SELECT json_agg(json_build_object('stream_id', s.stream_id, 'version', v.stream_version))
            FROM unnest($2::text[]) AS s(stream_id)
            CROSS JOIN LATERAL (SELECT stream_version FROM yingpan.events e WHERE e.stream_id = s.stream_id
                                ORDER BY stream_version DESC LIMIT 1) AS v) AS versions,
         date_trunc('milliseconds', clock_timestamp()) AS now,
         h.position, h.hash
       FROM (SELECT 1) AS one
       LEFT JOIN LATERAL (SELECT position, hash FROM yingpan.events ORDER BY position DESC LIMIT 1) AS h ON true`,
      [allIds, streamIds],
    );
    const stored = new Map((facts[0]!.existing ?? []).map((row) => [row.event_id, row]));
    const streamVersion = new Map((facts[0]!.versions ?? []).map((row) => [row.stream_id, row.version]));

    const recordedAt = facts[0]!.now.toISOString();
    let position = facts[0]!.position ?? 0;
    let prevHash = facts[0]!.hash ?? GENESIS_HASH;

    const columns: unknown[][] = Array.from({ length: 12 }, () => []);
    const results: (AppendResult | Error)[] = [];
    for (const request of requests) {
      try {
        results.push(appendOne(request));
      } catch (error) {
        if (!isolate || !(error instanceof EventStoreError)) throw error;
        results.push(error);
      }
    }

    /** Checks one request against the log as it stands (earlier requests of this call included) and adds its rows. */
    function appendOne(request: AppendRequest): AppendResult {
      const found = request.events.map((event) => stored.get(event.id));
      if (found.every(Boolean)) {
        const rows = found.map((row) => row!);
        if (rows.some((row) => row.stream_id !== request.streamId)) throw new IdempotencyError(rows.map((row) => row.event_id));
        return {
          streamId: request.streamId,
          nextExpectedVersion: Math.max(...rows.map((row) => row.stream_version)),
          positions: rows.map((row) => row.position),
          duplicate: true,
        };
      }
      if (found.some(Boolean)) throw new IdempotencyError(found.filter(Boolean).map((row) => row!.event_id));

      let version = streamVersion.get(request.streamId) ?? 0;
      checkExpectedVersion(request.streamId, request.expectedVersion, version);
      const positions: number[] = [];
      for (const event of request.events) {
        position += 1;
        version += 1;
        const metadata = { ...event.metadata, recordedAt };
        const hash = eventHash(prevHash, {
          position,
          id: event.id,
          streamId: request.streamId,
          streamVersion: version,
          type: event.type,
          schemaVersion: event.schemaVersion,
          data: event.data,
          metadata,
        });
        const { recordedBy, correlationId, causationId, commandId } = metadata;
        const row = [
          position,
          event.id,
          request.streamId,
          version,
          event.type,
          event.schemaVersion,
          JSON.stringify(event.data),
          JSON.stringify({ recordedBy, correlationId, causationId, commandId: commandId ?? null }),
          metadata.occurredAt,
          recordedAt,
          prevHash,
          hash,
        ];
        row.forEach((value, column) => columns[column]!.push(value));
        // A retry of this append later in the same group finds it as stored.
        stored.set(event.id, { event_id: event.id, stream_id: request.streamId, stream_version: version, position });
        positions.push(position);
        prevHash = hash;
      }
      streamVersion.set(request.streamId, version);
      return { streamId: request.streamId, nextExpectedVersion: version, positions, duplicate: false };
    }

    if (columns[0]!.length > 0) {
      await tx.query(
        `WITH inserted AS (
           INSERT INTO yingpan.events (${EVENT_COLUMNS})
           SELECT * FROM unnest($1::bigint[], $2::uuid[], $3::text[], $4::int[], $5::text[], $6::int[], $7::jsonb[],
                                $8::jsonb[], $9::timestamptz[], $10::timestamptz[], $11::text[], $12::text[])
           RETURNING 1)
         SELECT pg_notify($13, $14) FROM (SELECT count(*) FROM inserted) AS done`,
        [...columns, EVENTS_CHANNEL, String(position)],
      );
    }
    return results;
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    const conditions = ['stream_id = $1'];
    const params: unknown[] = [streamId];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      conditions.push(sql.replace('?', `$${params.length}`));
    };
    if (options.fromVersion !== undefined) add('stream_version >= ?', options.fromVersion);
    if (options.toVersion !== undefined) add('stream_version <= ?', options.toVersion);
    if (options.occurredBefore) add('occurred_at < ?', options.occurredBefore);
    if (options.recordedBefore) add('recorded_at < ?', options.recordedBefore);
    const { rows } = await this.db.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM yingpan.events WHERE ${conditions.join(' AND ')} ORDER BY stream_version`,
      params,
    );
    return rows.map(rowToEvent);
  }

  async streamVersion(streamId: string): Promise<number> {
    const { rows } = await this.db.query<{ version: number | null }>(
      'SELECT max(stream_version) AS version FROM yingpan.events WHERE stream_id = $1',
      [streamId],
    );
    return rows[0]?.version ?? 0;
  }

  async readAll(options: ReadAllOptions = {}): Promise<StoredEvent[]> {
    const { rows } = await this.db.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM yingpan.events WHERE position > $1 ORDER BY position LIMIT $2`,
      [options.after ?? 0, options.limit ?? 1000],
    );
    return rows.map(rowToEvent);
  }

  async *subscribe(options: SubscribeOptions): AsyncGenerator<StoredEvent> {
    const { signal, batchSize = 500, pollIntervalMs = 1000 } = options;
    let checkpoint = options.after;
    while (!signal?.aborted) {
      const batch = await this.readAll({ after: checkpoint, limit: batchSize });
      for (const event of batch) {
        yield event;
        checkpoint = event.position;
        if (signal?.aborted) return;
      }
      if (batch.length < batchSize) await this.waitForAppend(checkpoint, pollIntervalMs, signal);
    }
  }

  async waitForAppend(position: number, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    const wakeup = new Wakeup();
    const wake = () => wakeup.wake();
    this.appended.add(wake);
    try {
      // Appends from other processes arrive by NOTIFY; the timeout covers a lost notification.
      await this.listenOnce();
      if ((await this.head()).position > position) return;
      await wakeup.wait(timeoutMs, signal);
    } finally {
      this.appended.delete(wake);
    }
  }

  /** One LISTEN connection for the store's lifetime, shared by every waiter. */
  private listening: Promise<unknown> | null = null;
  private unlisten: (() => Promise<void>) | null = null;

  private listenOnce(): Promise<unknown> {
    const wakeAll = () => {
      for (const wake of this.appended) wake();
    };
    this.listening ??= this.db
      .listen(EVENTS_CHANNEL, wakeAll, () => {
        this.listening = null;
        wakeAll();
      })
      .then((unlisten) => {
        this.unlisten = unlisten;
      })
      .catch(() => {
        // Without notifications the waiters fall back to their timeout; try again next time.
        this.listening = null;
      });
    return this.listening;
  }

  async head(): Promise<Head> {
    const { rows } = await this.db.query<{ position: number; hash: string }>(
      'SELECT position, hash FROM yingpan.events ORDER BY position DESC LIMIT 1',
    );
    return rows[0] ?? { position: 0, hash: GENESIS_HASH };
  }

  async verify(options: VerifyOptions = {}): Promise<VerifyResult> {
    const total = (await this.head()).position;
    const chain = new ChainVerifier();
    const { digest, onProgress } = options;
    let digestSeen = false;
    for (let after = 0; ; ) {
      const page = await this.readAll({ after, limit: 5000 });
      if (page.length === 0) break;
      for (const event of page) {
        let failure: ReturnType<ChainVerifier['check']>;
        try {
          failure = chain.check(event);
        } catch (error) {
          // A row changed so much that it cannot even be hashed (e.g. its metadata emptied).
          const reason = error instanceof Error ? error.message : String(error);
          failure = { position: event.position, kind: 'hash-mismatch', message: `its stored content cannot be read or hashed (${reason})` };
        }
        if (failure) return { ok: false, count: chain.count, ...failure, message: `position ${failure.position}: ${failure.message}` };
        if (digest && event.position === digest.position) {
          digestSeen = true;
          if (event.hash !== digest.hash) {
            return {
              ok: false,
              count: chain.count,
              position: event.position,
              kind: 'digest-mismatch',
              message: `position ${event.position}: its hash differs from the digest kept by the auditor (history was rewritten)`,
            };
          }
        }
      }
      after = page[page.length - 1]!.position;
      onProgress?.({ checked: chain.count, position: after, total });
    }
    if (digest && !digestSeen && digest.position > 0) {
      return {
        ok: false,
        count: chain.count,
        position: digest.position,
        kind: 'digest-mismatch',
        message: `position ${digest.position}: the digest names it, but the log ends at ${chain.head.position} (events were removed)`,
      };
    }
    return { ok: true, count: chain.count, head: chain.head };
  }

  /** Stops listening. The database connection belongs to whoever opened it and stays open. */
  async close(): Promise<void> {
    await this.unlisten?.();
  }
}
