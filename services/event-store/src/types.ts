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
}

/** Metadata as stored: the store adds `recordedAt` from its own clock. */
export interface EventMetadata extends EventMetadataInput {
  /** When the event entered the log (ISO 8601), set by the store. */
  recordedAt: string;
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
  /** How `hash` was computed (see hash.ts): 2 for appends to PostgreSQL/PGlite, 1 (or absent) otherwise. */
  chainVersion?: 1 | 2;
}

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

/** `checkedAfter`: the position the check began after (a head verified earlier, see `from`); absent or 0 for a walk of the whole log. */
export type VerifyResult =
  | { ok: true; count: number; head: Head; checkedAfter?: number }
  | { ok: false; count: number; position: number; kind: VerifyFailureKind; message: string; checkedAfter?: number };

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
