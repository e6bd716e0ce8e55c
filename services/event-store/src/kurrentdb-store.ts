/**
 * The event store on KurrentDB (formerly EventStoreDB), through `@kurrent/kurrentdb-client`.
 *
 * Streams and namespaces. Each of our streams is one KurrentDB stream named
 * `${streamPrefix}${streamId}`. The prefix is empty in production; a non-empty prefix (letters,
 * digits, `.`, `_`, `-`, ending in `/`) gives a namespace of its own: only streams that carry it
 * are visible to readAll, subscribe, head and verify. `/` never occurs in a stream id, so
 * namespaces never see each other's streams. KurrentDB cannot drop data; the contract tests use
 * a fresh prefix per test instead.
 *
 * Versions. KurrentDB revisions count from 0; our stream versions count events, so
 * version = revision + 1 and a missing stream is version 0.
 *
 * Positions. `position` is the event's commit position in $all (a byte offset into KurrentDB's
 * transaction log) as a Number. It increases in global ($all) order but, unlike the SQL store's
 * positions, it is NOT gap-free: consecutive events are typically hundreds of bytes apart, and
 * system events and other namespaces fall in between. It is exact up to 2^53 bytes of log. The
 * adapter relies on every event having its own commit position (commit = prepare position),
 * which holds for events appended over gRPC; `readAll({ after })` and `subscribe({ after })`
 * accept 0 or a position this adapter returned (verify() reports a position that fails to
 * increase as a 'gap'). Reads go to the leader (`requiresLeader`), so a read after an append
 * always sees it. readAll skips system events (types starting with '$'), other namespaces and
 * records without this store's metadata.
 *
 * Reading live. subscribe() catches up with readAll pages from its checkpoint, then follows
 * `subscribeToAll` from the last position it delivered; if the subscription drops it waits
 * `pollIntervalMs`, catches up again and resubscribes. waitForAppend() opens a catch-up
 * subscription from the given position and resolves on the first event after it.
 *
 * Tamper evidence. The SQL store chains every event to the one before it in the global log; it
 * can, because one lock serialises all appends and positions are known before the write.
 * KurrentDB has no global lock and assigns commit positions only when it writes, so this
 * adapter keeps one hash chain PER STREAM:
 *
 *   prevHash(s, 1) = GENESIS_HASH,   prevHash(s, v) = hash(s, v - 1)
 *   hash(s, v)     = hashOf(prevHash(s, v), event(s, v) with position = 0)
 *
 * `hashOf` and the chain versions are the shared ones from hash.ts: events appended since chain
 * version 3 carry `chainVersion: "3"` in their metadata and are hashed exactly as stored (data and
 * metadata whole); older events carry no version and are chain version 1 (`eventHash` over the
 * canonical content). The content's `position` is fixed to 0 because the writer cannot know the
 * commit position before it writes, and `streamId` is the logical id (without the namespace
 * prefix). prevHash and hash are stored in the event's KurrentDB metadata. The metadata must be
 * exactly what the store writes for the event it describes (see `toKurrentMetadata`): verify
 * flags a key of its own, which no hash covers, as it does in the SQL store. An append reads the stream (its last event's hash and
 * revision, and the ids already stored), computes the hashes, and appends with
 * expectedRevision = that exact revision, so two writers can never both extend the same hash:
 * the chain cannot fork. If the stream moved in between, KurrentDB rejects the write and the
 * whole read-compute-append is retried (which turns into a ConcurrencyError when the caller
 * asked for an exact version or 'no_stream' and the stream no longer matches). Appends from one
 * store instance to the same stream wait for each other, so only other processes cause
 * retries. Reading the whole stream on every append is fine for yingpan's short per-record
 * streams; it would not be for streams of millions of events.
 *
 * The global digest folds every visible event's hash in $all order:
 *
 *   digest(0) = GENESIS_HASH,   digest(n) = sha256( digest(n-1) + hash(n) )   (hex strings)
 *
 * head() is { position: last event's position, hash: digest(last) }; it walks the log to
 * compute it. verify() walks $all, recomputes each stream's chain (a version gap, a wrong
 * prevHash or a hash that does not match the content is a failure naming the position), folds
 * the digest and checks an auditor's kept digest against it. Removing events from the middle of
 * a stream leaves a version gap; removing a stream's last events, or a whole stream, is exposed
 * by a kept digest, as with the SQL store.
 *
 * Idempotency. Our event id is the KurrentDB event id. Before writing, the append reads the
 * stream: when every id of a request is already in it, nothing is written and the stored
 * result is returned with `duplicate: true` (whatever version the retry expected, as in the SQL
 * store); when only some are, IdempotencyError. (KurrentDB's
 * own de-duplication also covers two identical retries racing each other.) Ids reused on a
 * DIFFERENT stream are not detected: KurrentDB has no index by event id.
 *
 * Atomicity. `append` is one `appendToStream`. `appendMany` over several streams uses
 * `multiStreamAppend`, which needs KurrentDB 25.1 or later. Because that call accepts only
 * string-valued metadata, the metadata layout below is a flat object of strings for every
 * append.
 */
import { createHash } from 'node:crypto';
import {
  AppendConsistencyViolationError,
  BACKWARDS,
  END,
  FORWARDS,
  KurrentDBClient,
  NO_STREAM,
  START,
  StreamNotFoundError,
  UnsupportedError,
  WrongExpectedVersionError,
  jsonEvent,
  streamNameFilter,
  type AllStreamResolvedEvent,
  type AppendStreamState,
  type EventData,
  type Filter,
  type Position,
  type ReadPosition,
  type ReadRevision,
} from '@kurrent/kurrentdb-client';
import { checkExpectedVersion, ConcurrencyError, EventStoreError, IdempotencyError, InvalidEventError } from './errors.ts';
import { canonicalJson } from './canonical.ts';
import { countVersion } from './chain.ts';
import { CURRENT_CHAIN_VERSION, GENESIS_HASH, hashOf, type HashedContent } from './hash.ts';
import type {
  AppendRequest,
  AppendResult,
  ChainVersion,
  ChainVersionCounts,
  EventMetadata,
  EventStore,
  Head,
  ReadAllOptions,
  ReadStreamOptions,
  StoredEvent,
  SubscribeOptions,
  VerifyFailureKind,
  VerifyOptions,
  VerifyResult,
} from './types.ts';
import { validateAppend } from './validate.ts';
import { Wakeup } from './wakeup.ts';

export interface KurrentDbStoreOptions {
  /** Namespace: '' (default) or letters, digits, '.', '_', '-' ending in '/'. */
  streamPrefix?: string;
  /** The clock that sets `recordedAt` (tests); defaults to the system clock. */
  clock?: () => Date;
  /** Whether close() disposes the client: true for `open()`, false for a client passed in. */
  ownsClient?: boolean;
}

/**
 * Whole read-compute-append attempts before a conflict with another process is reported as a
 * ConcurrencyError (even for 'any'). Appends from one store instance to the same stream queue
 * behind each other and never conflict among themselves.
 */
export const KURRENTDB_APPEND_ATTEMPTS = 8;

/** Our stream ids (the same rule as validate.ts). */
const STREAM_ID = /^[a-z][a-z0-9-]*:[A-Za-z0-9._:-]{1,200}$/;
const PREFIX = /^(?:[A-Za-z0-9][A-Za-z0-9._-]*\/)?$/;
const HEX64 = /^[0-9a-f]{64}$/;
const PAGE = 5000;

/**
 * The event's KurrentDB metadata is a flat object of strings (multiStreamAppend accepts nothing
 * else): `recordedBy.personId`, `recordedBy.role`, `occurredAt`, `recordedAt`, `correlationId`,
 * `causationId` and `commandId` (left out when null), `schemaVersion` (decimal), `prevHash`,
 * `hash` and, from chain version 3 on, `chainVersion` (decimal; left out for version 1). Nothing
 * else: every key is covered by the event's hash, and verify flags a record whose metadata is
 * not exactly this. KurrentDB's own `$`-prefixed keys are not used: its v2 append reserves some of them.
 */
function toKurrentMetadata(
  metadata: EventMetadata,
  schemaVersion: number,
  prevHash: string,
  hash: string,
  chainVersion: ChainVersion = 1,
): Record<string, string> {
  const stored: Record<string, string> = {
    'recordedBy.personId': metadata.recordedBy.personId,
    'recordedBy.role': metadata.recordedBy.role,
    occurredAt: metadata.occurredAt,
    recordedAt: metadata.recordedAt,
    correlationId: metadata.correlationId,
    schemaVersion: String(schemaVersion),
    prevHash,
    hash,
  };
  if (metadata.causationId) stored.causationId = metadata.causationId;
  if (metadata.commandId) stored.commandId = metadata.commandId;
  if (chainVersion !== 1) stored.chainVersion = String(chainVersion);
  return stored;
}

/** The fields of a KurrentDB record this adapter reads (from readStream, readAll or a subscription). */
interface RawRecord {
  streamId: string;
  id: string;
  revision: bigint;
  type: string;
  data: unknown;
  metadata: unknown;
  isJson: boolean;
  position?: Position;
  /** The commit position reported beside the record, when the record itself has none. */
  commitPosition?: bigint;
}

/** An event read from the log, and what its stored record holds beyond what the store writes (null: nothing). */
interface Checked {
  event: StoredEvent;
  outside: string | null;
}

interface Located {
  version: number;
  position: number;
}

interface StreamState {
  /** Revision of the stream's last record; null when the stream does not exist. */
  revision: bigint | null;
  /** Our version (= revision + 1, 0 for no stream). */
  version: number;
  /** Hash of the stream's last event written by this store (GENESIS_HASH if none). */
  hash: string;
  /** Every record id in the stream. */
  ids: Map<string, Located>;
}

interface PendingWrite {
  streamId: string;
  expected: AppendStreamState;
  firstRevision: bigint;
  events: EventData[];
  ids: string[];
}

/** A write that KurrentDB refused because a stream was not at the expected revision. */
interface Conflict {
  streamName: string | null;
  actual: bigint | 'no_stream' | null;
}

/** An append reported as failed without an exception (throwOnAppendFailure=false). */
class AppendConflict extends Error {
  constructor(readonly streamName: string) {
    super(`KurrentDB refused the append to ${streamName}: wrong expected revision`);
  }
}

/** The live subscription failed; subscribe() catches up again and resubscribes. */
class SubscriptionDropped extends Error {
  constructor(readonly reason: unknown) {
    super(`The KurrentDB subscription dropped: ${String(reason)}`);
  }
}

/** One step of the global digest: sha256 over the previous digest and the event's hash (hex). */
export function foldDigest(previous: string, hash: string): string {
  return createHash('sha256').update(previous).update(hash).digest('hex');
}

/** The content the KurrentDB chain hashes: the shared canonical content with `position` fixed to 0. */
export function kurrentHashedContent(event: HashedContent): HashedContent {
  return { ...event, position: 0 };
}

function toPosition(position: number): Position {
  const at = BigInt(position);
  return { commit: at, prepare: at };
}

function fromPosition(position: number): ReadPosition {
  return position > 0 ? toPosition(position) : START;
}

function isStreamNotFound(error: unknown): boolean {
  return error instanceof StreamNotFoundError || (error as { type?: unknown } | null)?.type === 'stream-not-found';
}

function asConflict(error: unknown): Conflict | null {
  if (error instanceof AppendConflict) return { streamName: error.streamName, actual: null };
  if (error instanceof WrongExpectedVersionError) {
    const actual = error.actualState as bigint | 'no_stream' | undefined;
    return { streamName: error.streamName ?? null, actual: actual === undefined ? null : actual };
  }
  if (error instanceof AppendConsistencyViolationError) {
    const violation = error.violations[0];
    return { streamName: violation?.streamName ?? null, actual: violation?.actualState ?? null };
  }
  return null;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Wakeup().wait(ms, signal);
}

type ParsedMetadata = EventMetadata & { schemaVersion: number; prevHash: string; hash: string; chainVersion: ChainVersion; stored: Record<string, unknown> };

function parseMetadata(raw: unknown): ParsedMetadata | null {
  let value = raw;
  if (value instanceof Uint8Array) {
    try {
      value = JSON.parse(Buffer.from(value).toString('utf8'));
    } catch {
      return null;
    }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  const meta = value as Record<string, unknown>;
  const text = (key: string): string | null => (typeof meta[key] === 'string' ? (meta[key] as string) : null);
  const optional = (key: string): string | null | undefined => {
    const field = meta[key];
    if (field === undefined || field === null) return null;
    return typeof field === 'string' ? field : undefined;
  };
  const personId = text('recordedBy.personId');
  const role = text('recordedBy.role');
  const occurredAt = text('occurredAt');
  const recordedAt = text('recordedAt');
  const correlationId = text('correlationId');
  const causationId = optional('causationId');
  const commandId = optional('commandId');
  const schemaVersion = Number(text('schemaVersion'));
  const prevHash = text('prevHash');
  const hash = text('hash');
  const chainVersion = meta.chainVersion === undefined ? 1 : meta.chainVersion === String(CURRENT_CHAIN_VERSION) ? CURRENT_CHAIN_VERSION : null;
  if (
    chainVersion === null ||
    personId === null ||
    role === null ||
    occurredAt === null ||
    recordedAt === null ||
    correlationId === null ||
    causationId === undefined ||
    commandId === undefined ||
    !Number.isInteger(schemaVersion) ||
    prevHash === null ||
    !HEX64.test(prevHash) ||
    hash === null ||
    !HEX64.test(hash)
  ) {
    return null;
  }
  return {
    recordedBy: { personId, role },
    occurredAt,
    recordedAt,
    correlationId,
    causationId,
    commandId,
    schemaVersion,
    prevHash,
    hash,
    chainVersion,
    stored: meta,
  };
}

/** Whether two JSON values are the same (false when either cannot be written as canonical JSON). */
function sameJson(a: unknown, b: unknown): boolean {
  try {
    return canonicalJson(a) === canonicalJson(b);
  } catch {
    return false;
  }
}

function parseData(record: RawRecord): unknown {
  if (record.data instanceof Uint8Array) {
    try {
      return JSON.parse(Buffer.from(record.data).toString('utf8'));
    } catch {
      return undefined;
    }
  }
  return record.data;
}

/** Walks events in $all order, checking each stream's chain and folding the global digest. */
class KurrentChainVerifier {
  private readonly streams = new Map<string, { version: number; hash: string }>();
  private last: Head = { position: 0, hash: GENESIS_HASH };
  count = 0;
  /** Events verified so far, by chain version. */
  readonly chainVersions: ChainVersionCounts = {};

  get head(): Head {
    return this.last;
  }

  /** `outside`: what the record's stored metadata holds beyond what the store writes (see `toStoredChecked`), if anything. */
  check(event: StoredEvent, outside: string | null = null): { position: number; kind: VerifyFailureKind; message: string } | null {
    const at = event.position;
    if (at <= this.last.position) {
      return { position: at, kind: 'gap', message: `position ${at} does not come after position ${this.last.position}` };
    }
    const previous = this.streams.get(event.streamId) ?? { version: 0, hash: GENESIS_HASH };
    if (event.streamVersion !== previous.version + 1) {
      return {
        position: at,
        kind: 'gap',
        message: `stream ${event.streamId} jumps from version ${previous.version} to ${event.streamVersion}`,
      };
    }
    if (event.prevHash !== previous.hash) {
      return {
        position: at,
        kind: 'broken-link',
        message: `its previous-hash does not match the hash of version ${previous.version} of stream ${event.streamId}`,
      };
    }
    if (hashOf(event.prevHash, kurrentHashedContent(event)) !== event.hash) {
      return { position: at, kind: 'hash-mismatch', message: 'its content does not match its hash (a stored byte was changed)' };
    }
    if (outside !== null) {
      return { position: at, kind: 'hash-mismatch', message: `its stored record holds what the store never writes: ${outside}` };
    }
    this.streams.set(event.streamId, { version: event.streamVersion, hash: event.hash });
    this.fold(event);
    countVersion(this.chainVersions, event.chainVersion ?? 1);
    return null;
  }

  /** Folds the event into the global digest without checking it (head()). */
  fold(event: StoredEvent): void {
    this.last = { position: event.position, hash: foldDigest(this.last.hash, event.hash) };
    this.count += 1;
  }
}

export class KurrentDbEventStore implements EventStore {
  readonly streamPrefix: string;
  private readonly clock: () => Date;

  constructor(
    private readonly client: KurrentDBClient,
    private readonly options: KurrentDbStoreOptions = {},
  ) {
    const prefix = options.streamPrefix ?? '';
    if (!PREFIX.test(prefix)) {
      throw new EventStoreError(`Invalid stream prefix ${JSON.stringify(prefix)}: use '' or letters, digits, '.', '_', '-' ending in '/'`);
    }
    this.streamPrefix = prefix;
    this.clock = options.clock ?? (() => new Date());
  }

  /**
   * Connects to KurrentDB, e.g. `kurrentdb://127.0.0.1:2113?tls=false` or, for a cluster,
   * `kurrentdb://host1:2113,host2:2113,host3:2113?tls=false&nodePreference=leader`.
   * The store owns this client: close() disposes it.
   */
  static async open(connectionString: string, options: Omit<KurrentDbStoreOptions, 'ownsClient'> = {}): Promise<KurrentDbEventStore> {
    return new KurrentDbEventStore(KurrentDBClient.connectionString(connectionString), { ...options, ownsClient: true });
  }

  /**
   * The same database in another namespace, sharing this store's client. The new store does not
   * own the client: closing it leaves the client open; closing the owner disposes it for both.
   */
  withStreamPrefix(streamPrefix: string): KurrentDbEventStore {
    return new KurrentDbEventStore(this.client, { ...this.options, streamPrefix, ownsClient: false });
  }

  async append(request: AppendRequest): Promise<AppendResult> {
    const [result] = await this.appendMany([request]);
    return result!;
  }

  async appendMany(requests: AppendRequest[]): Promise<AppendResult[]> {
    const valid = requests.map(validateAppend);
    if (valid.length === 0) return [];
    const ids = new Set<string>();
    for (const request of valid) {
      for (const event of request.events) {
        if (ids.has(event.id)) throw new InvalidEventError(`Event id ${event.id} appears twice in one append`);
        ids.add(event.id);
      }
    }
    const results = await this.withStreamLocks(
      valid.map((request) => request.streamId),
      async () => {
        for (let attempt = 1; ; attempt++) {
          try {
            return await this.tryAppend(valid);
          } catch (error) {
            const conflict = asConflict(error);
            if (!conflict) throw error;
            if (attempt >= KURRENTDB_APPEND_ATTEMPTS) throw await this.concurrencyError(valid, conflict);
            // Another process extended a stream between our read and our write: read again and recompute.
            await sleep(5 + Math.floor(Math.random() * 20 * attempt));
          }
        }
      },
    );
    // KurrentDB assigns commit positions only as it writes: the events as stored are read back.
    return Promise.all(results.map(async (result, index) => ({ ...result, events: await this.eventsOf(result, valid[index]!) })));
  }

  /** The events of `request` as the log holds them, in its order (for a duplicate, the ones stored earlier). */
  private async eventsOf(result: Omit<AppendResult, 'events'>, request: AppendRequest): Promise<StoredEvent[]> {
    const count = request.events.length;
    const read = await this.readStream(result.streamId, {
      fromVersion: result.duplicate ? 1 : result.nextExpectedVersion - count + 1,
      toVersion: result.nextExpectedVersion,
    });
    const byId = new Map(read.map((event) => [event.id, event]));
    return request.events.map((event) => byId.get(event.id)!);
  }

  /** In-process queue per stream, taken in sorted order (no deadlock), around `work`. */
  private readonly streamLocks = new Map<string, Promise<void>>();

  private async withStreamLocks<T>(streamIds: string[], work: () => Promise<T>): Promise<T> {
    const releases: (() => void)[] = [];
    try {
      for (const streamId of [...new Set(streamIds)].sort()) {
        const previous = this.streamLocks.get(streamId) ?? Promise.resolve();
        let release!: () => void;
        const held = new Promise<void>((resolve) => {
          release = resolve;
        });
        const tail = previous.then(() => held);
        this.streamLocks.set(streamId, tail);
        releases.push(() => {
          release();
          if (this.streamLocks.get(streamId) === tail) this.streamLocks.delete(streamId);
        });
        await previous;
      }
      return await work();
    } finally {
      for (const release of releases) release();
    }
  }

  /** One read-compute-append round. Throws the client's conflict errors for appendMany to retry. */
  private async tryAppend(requests: AppendRequest[]): Promise<Omit<AppendResult, 'events'>[]> {
    const recordedAt = this.clock().toISOString();
    const streamIds = [...new Set(requests.map((request) => request.streamId))];
    const loaded = await Promise.all(streamIds.map(async (streamId) => [streamId, await this.loadStream(streamId)] as const));
    const states = new Map(loaded);

    const results: (Omit<AppendResult, 'events'> | null)[] = [];
    const writes = new Map<string, PendingWrite>();
    const written: { index: number; streamId: string; ids: string[] }[] = [];

    for (const request of requests) {
      const state = states.get(request.streamId)!;
      const found = request.events.map((event) => state.ids.get(event.id));
      if (found.every(Boolean)) {
        const stored = found.map((located) => located!);
        results.push({
          streamId: request.streamId,
          nextExpectedVersion: Math.max(...stored.map((located) => located.version)),
          positions: stored.map((located) => located.position),
          duplicate: true,
        });
        continue;
      }
      if (found.some(Boolean)) {
        throw new IdempotencyError(request.events.filter((event) => state.ids.has(event.id)).map((event) => event.id));
      }
      checkExpectedVersion(request.streamId, request.expectedVersion, state.version);

      let write = writes.get(request.streamId);
      if (!write) {
        write = {
          streamId: request.streamId,
          // The exact revision we read (not the caller's 'any'), so the chain cannot fork.
          expected: state.revision === null ? NO_STREAM : state.revision,
          firstRevision: state.revision === null ? 0n : state.revision + 1n,
          events: [],
          ids: [],
        };
        writes.set(request.streamId, write);
      }
      for (const event of request.events) {
        state.version += 1;
        // Hash what a reader will get back: data after its trip through JSON (canonical, as hashed).
        const data = JSON.parse(canonicalJson(event.data)) as Record<string, unknown>;
        const metadata: EventMetadata = {
          recordedBy: { personId: event.metadata.recordedBy.personId, role: event.metadata.recordedBy.role },
          occurredAt: event.metadata.occurredAt,
          recordedAt,
          correlationId: event.metadata.correlationId,
          causationId: event.metadata.causationId ?? null,
          commandId: event.metadata.commandId ?? null,
        };
        const prevHash = state.hash;
        // Chain version 3: the event as it will be stored, its metadata whole (hash.ts).
        const hash = hashOf(
          prevHash,
          kurrentHashedContent({
            position: 0,
            id: event.id,
            streamId: request.streamId,
            streamVersion: state.version,
            type: event.type,
            schemaVersion: event.schemaVersion,
            data,
            metadata,
            chainVersion: CURRENT_CHAIN_VERSION,
          }),
        );
        state.hash = hash;
        write.events.push(
          jsonEvent({
            id: event.id,
            type: event.type,
            data,
            metadata: toKurrentMetadata(metadata, event.schemaVersion, prevHash, hash, CURRENT_CHAIN_VERSION),
          }),
        );
        write.ids.push(event.id);
      }
      written.push({ index: results.length, streamId: request.streamId, ids: request.events.map((event) => event.id) });
      results.push(null);
    }

    if (writes.size > 0) {
      await this.write([...writes.values()]);
      const located = new Map<string, Located>();
      await Promise.all(
        [...writes.values()].map(async (write) => {
          for (const [id, at] of await this.locate(write)) located.set(id, at);
        }),
      );
      for (const { index, streamId, ids: eventIds } of written) {
        const at = eventIds.map((id) => located.get(id)!);
        results[index] = {
          streamId,
          nextExpectedVersion: Math.max(...at.map((entry) => entry.version)),
          positions: at.map((entry) => entry.position),
          duplicate: false,
        };
      }
    }
    return results.map((result) => result!);
  }

  private async write(writes: PendingWrite[]): Promise<void> {
    if (writes.length === 1) {
      const [write] = writes as [PendingWrite];
      const result = await this.client.appendToStream(this.name(write.streamId), write.events, { streamState: write.expected });
      // Only when the connection string sets throwOnAppendFailure=false; the revision it reports is unreliable.
      if (!result.success) throw new AppendConflict(this.name(write.streamId));
      return;
    }
    try {
      await this.client.multiStreamAppend(
        writes.map((write) => ({ streamName: this.name(write.streamId), events: write.events, expectedState: write.expected })),
      );
    } catch (error) {
      if (error instanceof UnsupportedError) {
        throw new EventStoreError('An atomic append to several streams needs KurrentDB 25.1 or later (multi-stream append)');
      }
      throw error;
    }
  }

  /** Version and position of each event just written. */
  private async locate(write: PendingWrite): Promise<Map<string, Located>> {
    const name = this.name(write.streamId);
    const wanted = new Set(write.ids);
    const found = new Map<string, Located>();
    const collect = (records: RawRecord[]) => {
      for (const record of records) {
        const id = record.id.toLowerCase();
        if (wanted.has(id)) found.set(id, { version: Number(record.revision) + 1, position: this.positionOf(record) });
      }
    };
    collect(await this.readRecords(name, { fromRevision: write.firstRevision, maxCount: write.ids.length }));
    // KurrentDB de-duplicated a racing identical retry: the events sit elsewhere in the stream.
    if (found.size < wanted.size) collect(await this.readRecords(name, {}));
    const missing = write.ids.filter((id) => !found.has(id));
    if (missing.length > 0) throw new EventStoreError(`Appended events ${missing.join(', ')} cannot be read back from ${name}`);
    return found;
  }

  private async loadStream(streamId: string): Promise<StreamState> {
    const records = await this.readRecords(this.name(streamId), {});
    const ids = new Map<string, Located>();
    let hash = GENESIS_HASH;
    for (const record of records) {
      ids.set(record.id.toLowerCase(), { version: Number(record.revision) + 1, position: this.positionOf(record) });
      const metadata = parseMetadata(record.metadata);
      if (metadata) hash = metadata.hash;
    }
    const last = records[records.length - 1];
    return {
      revision: last ? last.revision : null,
      version: last ? Number(last.revision) + 1 : 0,
      hash,
      ids,
    };
  }

  private async concurrencyError(requests: AppendRequest[], conflict: Conflict): Promise<ConcurrencyError> {
    const named = conflict.streamName?.startsWith(this.streamPrefix) ? conflict.streamName.slice(this.streamPrefix.length) : null;
    const request = requests.find((candidate) => candidate.streamId === named) ?? requests[0]!;
    let actual: number;
    if (named === request.streamId && typeof conflict.actual === 'bigint' && conflict.actual >= 0n) actual = Number(conflict.actual) + 1;
    else if (named === request.streamId && conflict.actual === 'no_stream') actual = 0;
    else actual = await this.streamVersion(request.streamId);
    return new ConcurrencyError(request.streamId, request.expectedVersion, actual);
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    const from = Math.max(1, options.fromVersion ?? 1);
    if (options.toVersion !== undefined && options.toVersion < from) return [];
    const records = await this.readRecords(this.name(streamId), {
      fromRevision: BigInt(from - 1),
      maxCount: options.toVersion === undefined ? undefined : options.toVersion - from + 1,
    });
    const occurredBefore = options.occurredBefore?.getTime();
    const recordedBefore = options.recordedBefore?.getTime();
    const events: StoredEvent[] = [];
    for (const record of records) {
      const event = this.toStored(record, this.positionOf(record));
      if (!event) continue;
      if (options.toVersion !== undefined && event.streamVersion > options.toVersion) continue;
      if (occurredBefore !== undefined && !(Date.parse(event.metadata.occurredAt) < occurredBefore)) continue;
      if (recordedBefore !== undefined && !(Date.parse(event.metadata.recordedAt) < recordedBefore)) continue;
      events.push(event);
    }
    return events;
  }

  async streamVersion(streamId: string): Promise<number> {
    const [last] = await this.readRecords(this.name(streamId), { backwards: true, maxCount: 1 });
    return last ? Number(last.revision) + 1 : 0;
  }

  async readAll(options: ReadAllOptions = {}): Promise<StoredEvent[]> {
    return (await this.readEntries(options)).map((entry) => entry.event);
  }

  /** A page of readAll, each event with what its stored record holds beyond what the store writes (verify). */
  private async readEntries(options: ReadAllOptions): Promise<Checked[]> {
    const limit = options.limit ?? 1000;
    let after = options.after ?? 0;
    const events: Checked[] = [];
    while (events.length < limit) {
      let progressed = false;
      // A read from a position includes the event at that position: ask for one more.
      const records = this.client.readAll({
        fromPosition: fromPosition(after),
        maxCount: limit - events.length + 1,
        direction: FORWARDS,
        filter: this.filter(),
        requiresLeader: true,
      });
      for await (const resolved of records) {
        const record = resolved.event;
        if (!record) continue;
        const position = this.positionOf(record, resolved.commitPosition);
        if (position <= after) continue;
        after = position;
        progressed = true;
        const entry = this.toStoredChecked(record, position);
        if (entry) {
          events.push(entry);
          if (events.length >= limit) break;
        }
      }
      if (!progressed) break;
    }
    return events;
  }

  async *subscribe(options: SubscribeOptions): AsyncGenerator<StoredEvent> {
    const { signal, batchSize = 500, pollIntervalMs = 1000 } = options;
    let checkpoint = options.after;
    while (!signal?.aborted) {
      // Catch up with pages of $all, then follow the live subscription from the last position.
      for (;;) {
        const batch = await this.readAll({ after: checkpoint, limit: batchSize });
        for (const event of batch) {
          yield event;
          checkpoint = event.position;
          if (signal?.aborted) return;
        }
        if (batch.length < batchSize) break;
      }
      if (signal?.aborted) return;
      try {
        for await (const event of this.live(checkpoint, batchSize, signal)) {
          yield event;
          checkpoint = event.position;
          if (signal?.aborted) return;
        }
      } catch (error) {
        // The subscription dropped (leader change, network): catch up again and resubscribe.
        if (!(error instanceof SubscriptionDropped)) throw error;
      }
      if (!signal?.aborted) await sleep(pollIntervalMs, signal);
    }
  }

  /** Live events after `after` from `subscribeToAll`, until the signal aborts or the subscription ends. */
  private async *live(after: number, highWater: number, signal?: AbortSignal): AsyncGenerator<StoredEvent> {
    const subscription = this.client.subscribeToAll({ fromPosition: fromPosition(after), filter: this.filter(), requiresLeader: true });
    const queue: AllStreamResolvedEvent[] = [];
    let failure: Error | null = null;
    let ended = false;
    let paused = false;
    let notify: (() => void) | null = null;
    const poke = () => {
      const wake = notify;
      notify = null;
      wake?.();
    };
    subscription.on('data', (resolved: AllStreamResolvedEvent) => {
      queue.push(resolved);
      if (!paused && queue.length >= highWater) {
        paused = true;
        subscription.pause();
      }
      poke();
    });
    // Stays attached after we stop listening, so a late error cannot go unhandled.
    subscription.on('error', (error: Error) => {
      failure = error;
      poke();
    });
    subscription.on('end', () => {
      ended = true;
      poke();
    });
    signal?.addEventListener('abort', poke);
    try {
      while (!signal?.aborted) {
        const resolved = queue.shift();
        if (resolved) {
          if (paused && queue.length <= highWater / 2) {
            paused = false;
            subscription.resume();
          }
          const record = resolved.event;
          if (!record) continue;
          const position = this.positionOf(record, resolved.commitPosition);
          if (position <= after) continue;
          after = position;
          const event = this.toStored(record, position);
          if (event) yield event;
          continue;
        }
        if (failure) throw new SubscriptionDropped(failure);
        if (ended) return;
        await new Promise<void>((resolve) => {
          notify = resolve;
        });
      }
    } finally {
      signal?.removeEventListener('abort', poke);
      await subscription.unsubscribe().catch(() => undefined);
    }
  }

  async waitForAppend(position: number, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return;
    const stop = new AbortController();
    const timer = setTimeout(() => stop.abort(), timeoutMs);
    const onAbort = () => stop.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      // A catch-up subscription from `position` delivers events already stored after it, then new ones.
      for await (const _event of this.live(position, 1, stop.signal)) return;
    } catch (error) {
      if (!(error instanceof SubscriptionDropped)) throw error;
      // Without a subscription, wait out the timeout rather than send the caller round in a tight loop.
      await sleep(timeoutMs, stop.signal);
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  async head(): Promise<Head> {
    const chain = new KurrentChainVerifier();
    for (let after = 0; ; ) {
      const page = await this.readAll({ after, limit: PAGE });
      if (page.length === 0) break;
      for (const event of page) chain.fold(event);
      after = page[page.length - 1]!.position;
    }
    return chain.head;
  }

  async verify(options: VerifyOptions = {}): Promise<VerifyResult> {
    const { digest, onProgress } = options;
    const total = onProgress ? await this.lastPosition() : 0;
    const chain = new KurrentChainVerifier();
    let digestSeen = false;
    const digestMismatch = (position: number, message: string): VerifyResult => ({
      ok: false,
      count: chain.count,
      position,
      kind: 'digest-mismatch',
      message: `position ${position}: ${message}`,
      chainVersions: chain.chainVersions,
    });
    for (let after = 0; ; ) {
      const page = await this.readEntries({ after, limit: PAGE });
      if (page.length === 0) break;
      for (const { event, outside } of page) {
        let failure: ReturnType<KurrentChainVerifier['check']>;
        try {
          failure = chain.check(event, outside);
        } catch (error) {
          // Content that cannot even be hashed (e.g. a string holding NUL).
          const reason = error instanceof Error ? error.message : String(error);
          failure = { position: event.position, kind: 'hash-mismatch', message: `its stored content cannot be read or hashed (${reason})` };
        }
        if (failure) {
          return { ok: false, count: chain.count, ...failure, message: `position ${failure.position}: ${failure.message}`, chainVersions: chain.chainVersions };
        }
        if (digest && digest.position > 0 && !digestSeen) {
          if (event.position === digest.position) {
            digestSeen = true;
            if (chain.head.hash !== digest.hash) {
              return digestMismatch(event.position, 'the digest of the log up to here differs from the one kept by the auditor (history was rewritten)');
            }
          } else if (event.position > digest.position) {
            return digestMismatch(digest.position, `the digest names it, but the log has no event there (the next is at ${event.position})`);
          }
        }
      }
      after = page[page.length - 1]!.event.position;
      onProgress?.({ checked: chain.count, position: after, total: Math.max(total, after) });
    }
    if (digest && digest.position > 0 && !digestSeen) {
      return digestMismatch(digest.position, `the digest names it, but the log ends at ${chain.head.position} (events were removed)`);
    }
    return { ok: true, count: chain.count, head: chain.head, chainVersions: chain.chainVersions };
  }

  /** Disposes the client when this store opened it (see `open` and `withStreamPrefix`). */
  async close(): Promise<void> {
    if (this.options.ownsClient) await this.client.dispose();
  }

  // ---- helpers ----

  private name(streamId: string): string {
    return `${this.streamPrefix}${streamId}`;
  }

  /** Server-side filter for $all: this namespace's streams (which excludes system streams). */
  private filter(): Filter {
    return this.streamPrefix === '' ? streamNameFilter({ regex: '^[a-z][a-z0-9-]*:' }) : streamNameFilter({ prefixes: [this.streamPrefix] });
  }

  private positionOf(record: RawRecord, commitPosition?: bigint): number {
    const commit = record.position?.commit ?? record.commitPosition ?? commitPosition;
    if (commit === undefined) throw new EventStoreError('KurrentDB returned an event without its log position (KurrentDB 22.6 or later is needed)');
    return Number(commit);
  }

  /** The record as our StoredEvent, or null when it is not one of this namespace's events. */
  private toStored(record: RawRecord, position: number): StoredEvent | null {
    return this.toStoredChecked(record, position)?.event ?? null;
  }

  /**
   * The record as our StoredEvent, with what its stored metadata holds beyond what the store
   * writes for that event (a key of its own, a value spelled otherwise): the hash covers the
   * event as read, so anything reading drops must be flagged by verify. Null when it is not one
   * of this namespace's events.
   */
  private toStoredChecked(record: RawRecord, position: number): Checked | null {
    if (record.type.startsWith('$') || !record.streamId.startsWith(this.streamPrefix)) return null;
    const streamId = record.streamId.slice(this.streamPrefix.length);
    if (!STREAM_ID.test(streamId)) return null;
    const metadata = parseMetadata(record.metadata);
    if (!metadata) return null;
    const data = parseData(record);
    if (data === undefined) return null;
    const { schemaVersion, prevHash, hash, chainVersion, stored, ...rest } = metadata;
    const event: StoredEvent = {
      id: record.id.toLowerCase(),
      type: record.type,
      schemaVersion,
      data,
      metadata: rest,
      streamId,
      streamVersion: Number(record.revision) + 1,
      position,
      prevHash,
      hash,
      ...(chainVersion === 1 ? {} : { chainVersion }),
    };
    const written = toKurrentMetadata(rest, schemaVersion, prevHash, hash, chainVersion);
    const extra = Object.keys(stored).filter((key) => !Object.hasOwn(written, key));
    let outside: string | null = null;
    if (extra.length > 0) outside = `a metadata key of its own (${extra.map((key) => JSON.stringify(key)).join(', ')})`;
    else if (!sameJson(stored, written)) outside = 'metadata not spelled as the store writes it';
    return { event, outside };
  }

  /** Records of one KurrentDB stream; [] when it does not exist. */
  private async readRecords(name: string, options: { fromRevision?: bigint; maxCount?: number; backwards?: boolean }): Promise<RawRecord[]> {
    const records: RawRecord[] = [];
    const fromRevision: ReadRevision = options.fromRevision ?? (options.backwards ? END : START);
    try {
      const stream = this.client.readStream(name, {
        fromRevision,
        direction: options.backwards ? BACKWARDS : FORWARDS,
        maxCount: options.maxCount ?? Number.MAX_SAFE_INTEGER,
        requiresLeader: true,
      });
      for await (const resolved of stream) {
        const record = resolved.event;
        if (!record) continue;
        records.push(resolved.commitPosition === undefined ? record : { ...record, commitPosition: resolved.commitPosition });
      }
    } catch (error) {
      if (isStreamNotFound(error)) return [];
      throw error;
    }
    return records;
  }

  /** Position of the last visible event (0 for an empty namespace), for progress reports. */
  private async lastPosition(): Promise<number> {
    const records = this.client.readAll({ fromPosition: END, direction: BACKWARDS, filter: this.filter(), requiresLeader: true });
    for await (const resolved of records) {
      const record = resolved.event;
      if (!record) continue;
      const position = this.positionOf(record, resolved.commitPosition);
      if (this.toStored(record, position)) return position;
    }
    return 0;
  }
}
