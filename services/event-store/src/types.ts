/**
 * The event store's contract. Every adapter (PostgreSQL, PGlite, KurrentDB) implements
 * `EventStore` and passes the same contract test suite (test/contract.ts).
 */

/** Who put an event into the log. */
export interface Recorder {
  personId: string;
  role: string;
}

/** Metadata supplied by the writer. */
export interface EventMetadataInput {
  recordedBy: Recorder;
  /** When the act happened (ISO 8601). Earlier than `recordedAt` when a paper record is entered late. */
  occurredAt: string;
  /** Groups every event caused by one user request. */
  correlationId: string;
  /** The event or command that caused this one, if any. */
  causationId: string | null;
  /** The client-supplied id of the command that produced the event, if any. */
  commandId?: string | null;
  /** Where an imported event came from: the file's SHA-256, its sheet and row (absent for events not imported). */
  source?: EventSource | undefined;
}

/** The file row an imported event was read from (an Excel import): kept in the metadata, so the hash covers it. */
export interface EventSource {
  /** SHA-256 of the whole file, hex. */
  sha256: string;
  sheet: string;
  /** The row's number as the spreadsheet shows it (1 = the header row). */
  row: number;
}

/** Metadata as stored: the store adds `recordedAt` from its own clock. */
export interface EventMetadata extends EventMetadataInput {
  /** When the event entered the log (ISO 8601), set by the store. */
  recordedAt: string;
}

/**
 * Metadata as the SQL store keeps it in its `metadata` column (the instants are columns of their
 * own): exactly these keys, nothing else. Chain version 3 hashes it whole.
 */
export interface StoredMetadata {
  recordedBy: Recorder;
  correlationId: string;
  causationId: string | null;
  commandId: string | null;
  /** Only on imported events (chain version 3 hashes it with the rest). */
  source?: EventSource;
}

export interface NewEvent<Type extends string = string, Data = unknown> {
  /** UUID chosen by the writer; appending the same id again is an idempotent retry. */
  id: string;
  type: Type;
  schemaVersion: number;
  data: Data;
  metadata: EventMetadataInput;
}

export interface StoredEvent<Type extends string = string, Data = unknown> {
  id: string;
  type: Type;
  schemaVersion: number;
  data: Data;
  metadata: EventMetadata;
  streamId: string;
  /** 1 for a stream's first event. */
  streamVersion: number;
  /** Place in the global log: 1, 2, 3 … with no gaps, in commit order. */
  position: number;
  /** Hash of the previous event in the chain (see docs/decisions.md), hex. */
  prevHash: string;
  /** sha256 over this event's canonical content and `prevHash`, hex. */
  hash: string;
  /**
   * How `hash` was computed (see hash.ts): 3 for every append since chain version 3 (every store);
   * 2 for SQL rows appended before it, 1 (or absent) for older rows and older KurrentDB events.
   */
  chainVersion?: ChainVersion;
}

/** The ways of computing an event's hash (hash.ts). */
export type ChainVersion = 1 | 2 | 3;

/** Events verified, by chain version: e.g. `{ 2: 6324, 3: 12 }`. */
export type ChainVersionCounts = Partial<Record<ChainVersion, number>>;

/**
 * What the writer believes about the stream: its exact current version (0 = empty), that it
 * does not exist yet, that it exists, or anything.
 */
export type ExpectedVersion = number | 'no_stream' | 'stream_exists' | 'any';

export interface AppendRequest {
  streamId: string;
  expectedVersion: ExpectedVersion;
  events: NewEvent[];
}

export interface AppendResult {
  streamId: string;
  /** The stream's version after the append: pass it as the next `expectedVersion`. */
  nextExpectedVersion: number;
  /** Global positions of the appended events, in order. */
  positions: number[];
  /** True when every event id was already stored: nothing was written, the original result is returned. */
  duplicate: boolean;
  /**
   * The request's events as the log holds them (as `readStream` returns them), in order: the ones
   * just appended, or for a duplicate the ones stored earlier. A writer needs no read after its append.
   */
  events: StoredEvent[];
}

export interface ReadStreamOptions {
  /** First version to return (inclusive); default 1. */
  fromVersion?: number;
  /** Last version to return (inclusive). */
  toVersion?: number;
  /** Only events whose act happened before this instant ("as it happened"). */
  occurredBefore?: Date;
  /** Only events recorded before this instant ("as it was known"). */
  recordedBefore?: Date;
}

export interface ReadAllOptions {
  /** Return events after this position (exclusive); 0 = from the start. */
  after?: number;
  /** Upper bound on the events returned by one call. */
  limit?: number;
}

export interface SubscribeOptions {
  /** The checkpoint: deliver events after this position. */
  after: number;
  /** Stops the subscription. */
  signal?: AbortSignal;
  /** How many events to read per round trip while catching up. */
  batchSize?: number;
  /** Fallback poll interval when no notification arrives (ms). */
  pollIntervalMs?: number;
}

export interface Head {
  /** Position of the last event; 0 for an empty log. */
  position: number;
  /** Its hash; the genesis hash for an empty log. */
  hash: string;
}

export type VerifyFailureKind = 'hash-mismatch' | 'broken-link' | 'gap' | 'digest-mismatch';

export interface VerifyProgress {
  checked: number;
  position: number;
  total: number;
}

/**
 * `checkedAfter`: the position the check began after (a head verified earlier, see `from`); absent or 0 for a walk of the whole log.
 * `chainVersions`: the events verified (all of them, or those before the failure), by the chain version they carry.
 */
export type VerifyResult =
  | { ok: true; count: number; head: Head; checkedAfter?: number; chainVersions?: ChainVersionCounts }
  | { ok: false; count: number; position: number; kind: VerifyFailureKind; message: string; checkedAfter?: number; chainVersions?: ChainVersionCounts };

export interface VerifyOptions {
  /** A digest kept earlier: the log must still contain that position with that hash. */
  digest?: Head;
  /**
   * A head this process verified earlier: check that it still holds that hash and that every event
   * after it chains on, instead of walking the whole log (`count` is then the events after it).
   * A store may walk everything instead.
   */
  from?: Head;
  onProgress?: (progress: VerifyProgress) => void;
}

export interface EventStore {
  /** Appends to one stream atomically. */
  append(request: AppendRequest): Promise<AppendResult>;
  /** Appends to several streams in one atomic unit (bulk loads); all or nothing. */
  appendMany(requests: AppendRequest[]): Promise<AppendResult[]>;
  readStream(streamId: string, options?: ReadStreamOptions): Promise<StoredEvent[]>;
  /** The stream's current version; 0 when it does not exist. */
  streamVersion(streamId: string): Promise<number>;
  /** One page of the global log in order. */
  readAll(options?: ReadAllOptions): Promise<StoredEvent[]>;
  /** Catches up from the checkpoint, then keeps delivering new events until the signal aborts. */
  subscribe(options: SubscribeOptions): AsyncIterable<StoredEvent>;
  /**
   * Resolves once the log holds an event after `position`, after `timeoutMs`, or on abort —
   * whichever comes first. Lets batch readers (projections) sleep until there is work.
   */
  waitForAppend(position: number, timeoutMs: number, signal?: AbortSignal): Promise<void>;
  head(): Promise<Head>;
  /** Walks the whole log and checks the hash chain. */
  verify(options?: VerifyOptions): Promise<VerifyResult>;
  close(): Promise<void>;
}
