/**
 * The event store on PostgreSQL and PGlite (both through `Db`).
 *
 * Global order: every append (one statement, `yingpan.append_events`) takes one transaction-scoped
 * advisory lock before it reads the head and assigns positions, and holds it until its commit is
 * visible. Appends are therefore
 * serialised: position n+1 is handed out only after position n has committed, so a reader that
 * sees position n+1 also sees n, and "position > checkpoint" never passes over an event that
 * commits later. Positions have no gaps (a rolled-back append releases the lock without using
 * them). The same lock makes the global hash chain exact. See docs/decisions.md.
 */
import { fileURLToPath } from 'node:url';
import { loadMigrations, migrate, type Db } from '@yingpan/db';
import { ChainVerifier, type ChainFailure } from './chain.ts';
import { ConcurrencyError, IdempotencyError } from './errors.ts';
import { CURRENT_CHAIN_VERSION, GENESIS_HASH, storedForm } from './hash.ts';
import type {
  AppendRequest,
  AppendResult,
  EventSource,
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
  metadata: {
    recordedBy: { personId: string; role: string };
    correlationId: string;
    causationId: string | null;
    commandId: string | null;
    source?: EventSource;
  };
  occurred_at: Date;
  recorded_at: Date;
  prev_hash: string;
  hash: string;
  chain_version: number;
}

/** The columns of yingpan.events, in the order the store reads them. */
export const EVENT_COLUMNS =
  'position, event_id, stream_id, stream_version, type, schema_version, data, metadata, occurred_at, recorded_at, prev_hash, hash, chain_version';

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
      ...(row.metadata?.source === undefined ? {} : { source: row.metadata.source }),
    },
    prevHash: row.prev_hash,
    hash: row.hash,
    chainVersion: row.chain_version === 3 ? 3 : row.chain_version === 2 ? 2 : 1,
  };
}

export async function migrateEventStore(db: Db): Promise<string[]> {
  return migrate(db, 'event-store', loadMigrations(MIGRATIONS_DIR));
}

/** The most appends one group commit takes. */
const MAX_GROUP = 256;

/** What `yingpan.append_events` answers for each request. */
type Outcome = 'appended' | 'duplicate' | 'conflict' | 'idempotency';

/** Expected versions as `yingpan.append_events` takes them (a number >= 0 is itself). */
const EXPECTED_CODE: Record<string, number> = { any: -1, no_stream: -2, stream_exists: -3 };

/** What the database assigned to an appended event (`yingpan.append_events`' 'event' rows, migrations/0005). */
interface Assigned {
  position: number;
  streamVersion: number;
  hash: string;
  prevHash: string;
  recordedAt: Date;
}

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
          const outcomes = await this.appendAll(
            group.map((queued) => queued.request),
            true,
          );
          outcomes.forEach((outcome, index) => (outcome instanceof Error ? group[index]!.reject(outcome) : group[index]!.resolve(outcome)));
          if (outcomes.some((outcome) => !(outcome instanceof Error) && !outcome.duplicate)) this.wakeWaiters();
        } catch (error) {
          for (const queued of group) queued.reject(error);
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  /**
   * Wakes this process's waiters for an append (a projector, a subscription) once the appenders
   * have their answers and what those set going has run: a mutation's answer is written before a
   * projector in the same process starts reading the log, instead of after it.
   */
  private wakeWaiters(): void {
    setImmediate(() => {
      for (const wake of this.appended) wake();
    });
  }

  async appendMany(requests: AppendRequest[]): Promise<AppendResult[]> {
    const valid = requests.map(validateAppend);
    if (valid.length === 0) return [];
    const results = (await this.appendAll(valid, false)) as AppendResult[];
    if (results.some((result) => !result.duplicate)) this.wakeWaiters();
    return results;
  }

  /**
   * Appends `requests` in order in one statement (`yingpan.append_events`, migrations/0002, 0003, 0005):
   * the database takes the append lock, checks each request, assigns positions, versions and the
   * recording time, links the hash chain and inserts, in one round trip, and answers what it
   * assigned to each event, so the result carries the stored events without reading them back (a
   * duplicate's events, stored earlier, are read: one more query, only for a retry). All or nothing unless
   * `isolate`: then a request that fails its version or idempotency check is answered with its
   * error and the others go on.
   */
  private async appendAll(requests: AppendRequest[], isolate: boolean): Promise<(AppendResult | Error)[]> {
    // The function's bookkeeping (see the migration): the call's distinct streams, each request's
    // stream among them, and for each event the first event of the call with the same id.
    const streams = new Map<string, number>();
    for (const request of requests) if (!streams.has(request.streamId)) streams.set(request.streamId, streams.size + 1);
    const perEvent = requests.flatMap((request) => request.events.map((event) => ({ request, event })));
    // What is stored is exactly what is hashed: the canonical JSON of data and metadata, and the
    // body hash over them (chain version 3, hash.ts).
    const stored = perEvent.map(({ request, event }) => storedForm({ ...event, streamId: request.streamId }));
    const firstOf = new Map<string, number>();
    const { rows } = await this.db.query<{
      request: number;
      outcome: Outcome | 'event';
      positions: (string | number)[] | null;
      version: number | null;
      ids: string[] | null;
      hash: string | null;
      prev_hash: string | null;
      recorded_at: Date | null;
    }>(
      `SELECT request, outcome, positions, version, ids, hash, prev_hash, recorded_at
         FROM yingpan.append_events($1, $2::text[], $3::int[], $4::bigint[], $5::int[], $6::int[], $7::text[], $8::uuid[], $9::text[],
                                    $10::int[], $11::jsonb[], $12::jsonb[], $13::timestamptz[], $14::text[], $15, $16::int, true)`,
      [
        isolate,
        [...streams.keys()],
        requests.map((request) => streams.get(request.streamId)!),
        requests.map((request) => EXPECTED_CODE[String(request.expectedVersion)] ?? request.expectedVersion),
        requests.map((request) => request.events.length),
        perEvent.map(({ event }, index) => {
          if (!firstOf.has(event.id)) firstOf.set(event.id, index + 1);
          return firstOf.get(event.id)!;
        }),
        perEvent.map(({ request }) => request.streamId),
        perEvent.map(({ event }) => event.id),
        perEvent.map(({ event }) => event.type),
        perEvent.map(({ event }) => event.schemaVersion),
        stored.map((form) => form.data),
        stored.map((form) => form.metadata),
        perEvent.map(({ event }) => event.metadata.occurredAt),
        stored.map((form) => form.body),
        EVENTS_CHANNEL,
        CURRENT_CHAIN_VERSION,
      ],
      { prepared: 'yingpan_append_events' },
    );
    rows.sort((a, b) => a.request - b.request);
    const refusal = (row: (typeof rows)[number]) => {
      const request = requests[row.request - 1]!;
      if (row.outcome === 'conflict') return new ConcurrencyError(request.streamId, request.expectedVersion, row.version!);
      if (row.outcome === 'idempotency') return new IdempotencyError(row.ids!);
      return null;
    };
    // Not isolated, a refused request means nothing was written (and no 'event' rows came back).
    if (!isolate) {
      const refused = rows.map(refusal).find((error) => error !== null);
      if (refused) throw refused;
    }
    // The appended events, from what was sent and what the database assigned (its 'event' rows).
    const appended = new Map<number, Assigned>();
    // Where each request's events begin among the call's events.
    const starts: number[] = [];
    for (let start = 0, index = 0; index < requests.length; start += requests[index]!.events.length, index++) starts.push(start);
    for (const row of rows) {
      if (row.outcome !== 'event') continue;
      const position = Number(row.positions![0]);
      appended.set(position, { position, streamVersion: row.version!, hash: row.hash!, prevHash: row.prev_hash!, recordedAt: row.recorded_at! });
    }
    const duplicates = rows.filter((row) => row.outcome === 'duplicate').flatMap((row) => row.positions!.map(Number));
    const earlier = duplicates.length > 0 ? await this.readPositions(duplicates) : new Map<number, StoredEvent>();
    return rows
      .filter((row) => row.outcome !== 'event')
      .map((row): AppendResult | Error => {
        const request = requests[row.request - 1]!;
        switch (row.outcome) {
          case 'appended': {
            const positions = row.positions!.map(Number);
            return {
              streamId: request.streamId,
              nextExpectedVersion: row.version!,
              positions,
              duplicate: false,
              events: request.events.map((event, index) => {
                const assigned = appended.get(positions[index]!)!;
                const form = stored[starts[row.request - 1]! + index]!;
                return rowToEvent({
                  position: assigned.position,
                  event_id: event.id,
                  stream_id: request.streamId,
                  stream_version: assigned.streamVersion,
                  type: event.type,
                  schema_version: event.schemaVersion,
                  data: JSON.parse(form.data),
                  metadata: JSON.parse(form.metadata),
                  occurred_at: new Date(event.metadata.occurredAt),
                  recorded_at: assigned.recordedAt,
                  prev_hash: assigned.prevHash,
                  hash: assigned.hash,
                  chain_version: CURRENT_CHAIN_VERSION,
                });
              }),
            };
          }
          case 'duplicate': {
            const positions = row.positions!.map(Number);
            return {
              streamId: request.streamId,
              nextExpectedVersion: row.version!,
              positions,
              duplicate: true,
              events: positions.map((position) => earlier.get(position)!),
            };
          }
          default:
            return refusal(row) ?? new Error(`yingpan.append_events answered an unknown outcome ${row.outcome}`);
        }
      });
  }

  /** The events at `positions` (a duplicate append's, stored earlier), by position. */
  private async readPositions(positions: number[]): Promise<Map<number, StoredEvent>> {
    const { rows } = await this.db.query<EventRow>(`SELECT ${EVENT_COLUMNS} FROM yingpan.events WHERE position = ANY($1::bigint[])`, [positions]);
    return new Map(rows.map((row) => [Number(row.position), rowToEvent(row)]));
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    const { fromVersion, toVersion, occurredBefore, recordedBefore } = options;
    if (toVersion === undefined && !occurredBefore && !recordedBefore) return this.readStreamTogether(streamId, fromVersion ?? 1);
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

  /** Reads of a stream's tail waiting for the next statement of `readStreamTogether`. */
  private streamReads: { streamId: string; fromVersion: number; resolve(events: StoredEvent[]): void; reject(error: unknown): void }[] = [];

  /**
   * A stream's events from `fromVersion` on, read in one statement with the other reads of a
   * stream's tail asked for at the same moment (a command's lookups of a mandate and its term, the
   * lookups of commands arriving together): one round trip instead of one each. Each read still
   * sees every event committed before it was asked for.
   */
  private readStreamTogether(streamId: string, fromVersion: number): Promise<StoredEvent[]> {
    return new Promise((resolve, reject) => {
      this.streamReads.push({ streamId, fromVersion, resolve, reject });
      if (this.streamReads.length > 1) return;
      setImmediate(() => {
        const reads = this.streamReads;
        this.streamReads = [];
        this.db
          .query<EventRow & { read: number }>(
            `SELECT r.read, e.* FROM unnest($1::text[], $2::int[]) WITH ORDINALITY AS r(stream_id, from_version, read)
               CROSS JOIN LATERAL (SELECT ${EVENT_COLUMNS} FROM yingpan.events
                                    WHERE stream_id = r.stream_id AND stream_version >= r.from_version ORDER BY stream_version) e
              ORDER BY r.read, e.stream_version`,
            [reads.map((read) => read.streamId), reads.map((read) => read.fromVersion)],
            { prepared: 'yingpan_read_stream_tails' },
          )
          .then(
            ({ rows }) => {
              const events = reads.map((): StoredEvent[] => []);
              for (const row of rows) events[Number(row.read) - 1]!.push(rowToEvent(row));
              reads.forEach((read, index) => read.resolve(events[index]!));
            },
            (error: unknown) => {
              for (const read of reads) read.reject(error);
            },
          );
      });
    });
  }

  async streamVersion(streamId: string): Promise<number> {
    const { rows } = await this.db.query<{ version: number | null }>(
      'SELECT max(stream_version) AS version FROM yingpan.events WHERE stream_id = $1',
      [streamId],
      { prepared: 'yingpan_stream_version' },
    );
    return rows[0]?.version ?? 0;
  }

  async readAll(options: ReadAllOptions = {}): Promise<StoredEvent[]> {
    const { rows } = await this.db.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM yingpan.events WHERE position > $1 ORDER BY position LIMIT $2`,
      [options.after ?? 0, options.limit ?? 1000],
      { prepared: 'yingpan_read_all' },
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
    const { rows } = await this.db.query<{ position: number; hash: string }>('SELECT position, hash FROM yingpan.events ORDER BY position DESC LIMIT 1', [], {
      prepared: 'yingpan_head',
    });
    return rows[0] ?? { position: 0, hash: GENESIS_HASH };
  }

  async verify(options: VerifyOptions = {}): Promise<VerifyResult> {
    const { digest, from } = options;
    const start = from && from.position > 0 && (!digest || digest.position > from.position) ? from : undefined;
    const result = await this.verifyAfter(start, options);
    return start ? { ...result, checkedAfter: start.position } : result;
  }

  private async verifyAfter(start: Head | undefined, options: VerifyOptions): Promise<VerifyResult> {
    const total = (await this.head()).position;
    const { digest, onProgress } = options;
    if (start) {
      const { rows } = await this.db.query<{ hash: string }>('SELECT hash FROM yingpan.events WHERE position = $1', [start.position]);
      if (rows[0]?.hash !== start.hash) {
        const message = rows[0] ? 'its hash differs from the one verified earlier (history was rewritten)' : 'it was verified earlier and is gone';
        return { ok: false, count: 0, position: start.position, kind: rows[0] ? 'hash-mismatch' : 'gap', message: `position ${start.position}: ${message}` };
      }
    }
    const chain = new ChainVerifier(start);
    const failed = (failure: ChainFailure): VerifyResult => ({
      ok: false,
      count: chain.count,
      ...failure,
      message: `position ${failure.position}: ${failure.message}`,
      chainVersions: chain.chainVersions,
    });
    // After a head verified earlier, only the rows after it are looked at, as only they are walked.
    const outside = await this.firstChangeOutsideTheHash(start?.position ?? 0);
    let digestSeen = false;
    for (let after = start?.position ?? 0; ; ) {
      const page = await this.readAll({ after, limit: 5000 });
      if (page.length === 0) break;
      for (const event of page) {
        let failure: ChainFailure | null;
        try {
          failure = chain.check(event, event.position === outside?.position ? outside.reason : null);
        } catch (error) {
          // A row changed so much that it cannot even be hashed (e.g. its metadata emptied).
          const reason = error instanceof Error ? error.message : String(error);
          failure = { position: event.position, kind: 'hash-mismatch', message: `its stored content cannot be read or hashed (${reason})` };
        }
        if (failure) return failed(failure);
        if (digest && event.position === digest.position) {
          digestSeen = true;
          if (event.hash !== digest.hash) {
            return failed({
              position: event.position,
              kind: 'digest-mismatch',
              message: 'its hash differs from the digest kept by the auditor (history was rewritten)',
            });
          }
        }
      }
      after = page[page.length - 1]!.position;
      onProgress?.({ checked: chain.count, position: after, total });
    }
    if (digest && !digestSeen && digest.position > 0) {
      return failed({
        position: digest.position,
        kind: 'digest-mismatch',
        message: `the digest names it, but the log ends at ${chain.head.position} (events were removed)`,
      });
    }
    return { ok: true, count: chain.count, head: chain.head, chainVersions: chain.chainVersions };
  }

  /**
   * The first row after `after` that holds bytes no hash covers, with what they are. The store
   * never writes any of them, so each is a change behind its back:
   *
   * - metadata other than exactly the four keys the store writes (recordedBy, correlationId,
   *   causationId, commandId) and an imported event's `source`: reading keeps only those, so a key of its own is invisible to every
   *   hash, and one left out reads as null;
   * - before chain version 3, a key inside `recordedBy` beside personId and role (versions 1 and 2
   *   hash only those two; version 3 hashes the metadata whole);
   * - an instant finer than the millisecond (hashes cover times as ISO strings with milliseconds);
   * - a number in data or metadata at any depth not spelled as the store writes it (the shortest
   *   form of a double, as JSON.stringify writes it): reading turns "1.50" into 1.5 and rounds
   *   digits a double cannot hold, so the hash cannot see them.
   *
   * Null when there is none.
   */
  private async firstChangeOutsideTheHash(after: number): Promise<{ position: number; reason: string } | null> {
    // The shortest round-trip form of a double is what float8's text output gives with
    // extra_float_digits = 1 (the default since PostgreSQL 12); set here so that no session
    // setting can turn a number the store wrote into a false alarm.
    const rows = await this.db.transaction(async (tx) => {
      await tx.query('SET LOCAL extra_float_digits = 1');
      const result = await tx.query<{ position: number; reason: string }>(
        `SELECT position, reason FROM (
           SELECT position,
                  CASE
                    WHEN jsonb_typeof(metadata) <> 'object' THEN 'metadata that is not an object'
                    WHEN metadata - ARRAY['recordedBy', 'correlationId', 'causationId', 'commandId', 'source'] <> '{}'::jsonb
                      THEN 'a metadata key of its own'
                    WHEN metadata ? 'source' AND chain_version < 3
                      THEN 'an import source, which chain version ' || chain_version || ' does not hash'
                    WHEN NOT metadata ?& ARRAY['recordedBy', 'correlationId', 'causationId', 'commandId']
                      THEN 'a metadata key left out'
                    WHEN chain_version < 3 AND jsonb_typeof(metadata->'recordedBy') = 'object'
                         AND (metadata->'recordedBy') - ARRAY['personId', 'role'] <> '{}'::jsonb
                      THEN 'a key inside metadata.recordedBy of its own, which chain version ' || chain_version || ' does not hash'
                    WHEN occurred_at <> date_trunc('milliseconds', occurred_at) OR recorded_at <> date_trunc('milliseconds', recorded_at)
                      THEN 'a time finer than a millisecond'
                    WHEN EXISTS (
                      SELECT 1 FROM jsonb_path_query(jsonb_build_array(data, metadata), 'strict $.** ? (@.type() == "number")') AS n(v)
                       WHERE v::text <> CASE
                               WHEN v::numeric = 0 THEN '0'
                               WHEN abs(v::numeric) BETWEEN 3e-324 AND 1.7976931348623157e308 THEN v::text::float8::text::numeric::text
                               ELSE ''
                             END)
                      THEN 'a number not spelled as the store writes it'
                  END AS reason
             FROM yingpan.events
            WHERE position > $1
         ) AS checked
         WHERE reason IS NOT NULL
         ORDER BY position
         LIMIT 1`,
        [after],
      );
      return result.rows;
    });
    return rows[0] ?? null;
  }

  /** Stops listening. The database connection belongs to whoever opened it and stays open. */
  async close(): Promise<void> {
    await this.unlisten?.();
  }
}
