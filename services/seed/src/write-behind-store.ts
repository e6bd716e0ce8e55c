/**
 * An EventStore for bulk loads: appends are checked against expected versions at once, kept in
 * memory and written to the real store in large atomic batches (`appendMany`), and reads of a
 * stream are served from memory (falling back to the real store the first time a stream is
 * read). Commands therefore run through the real bus, deciders and lookups — every business rule
 * applies — at in-memory speed, and the log receives the same events the API would have written.
 *
 * Only for a single writer: nothing else may append to the streams the load touches meanwhile
 * (the flush would then fail with a ConcurrencyError and write nothing of that batch).
 */
import {
  ConcurrencyError,
  GENESIS_HASH,
  validateAppend,
  type AppendRequest,
  type AppendResult,
  type EventStore,
  type Head,
  type ReadStreamOptions,
  type StoredEvent,
  type VerifyResult,
} from '@yingpan/event-store';

interface CachedStream {
  /** Version in the real store when the stream was first touched. */
  baseVersion: number;
  events: StoredEvent[];
}

export class WriteBehindStore implements EventStore {
  private readonly streams = new Map<string, CachedStream>();
  private pending: AppendRequest[] = [];
  private pendingEvents = 0;
  /** Events written to the real store so far. */
  flushed = 0;

  constructor(
    private readonly target: EventStore,
    private readonly batchSize = 2000,
    private readonly onFlush?: (written: number) => void,
  ) {}

  private async stream(streamId: string): Promise<CachedStream> {
    let cached = this.streams.get(streamId);
    if (!cached) {
      const events = await this.target.readStream(streamId);
      cached = { baseVersion: events.length, events };
      this.streams.set(streamId, cached);
    }
    return cached;
  }

  async append(request: AppendRequest): Promise<AppendResult> {
    const valid = validateAppend(request);
    const cached = await this.stream(valid.streamId);
    const ids = new Set(cached.events.map((event) => event.id));
    if (valid.events.every((event) => ids.has(event.id))) {
      const stored = cached.events.filter((event) => valid.events.some((candidate) => candidate.id === event.id));
      return { streamId: valid.streamId, nextExpectedVersion: Math.max(...stored.map((e) => e.streamVersion)), positions: stored.map((e) => e.position), duplicate: true };
    }
    const version = cached.events.length;
    const expected = valid.expectedVersion;
    const ok = expected === 'any' || (expected === 'no_stream' && version === 0) || (expected === 'stream_exists' && version > 0) || expected === version;
    if (!ok) throw new ConcurrencyError(valid.streamId, expected, version);
    const recordedAt = new Date().toISOString();
    valid.events.forEach((event, index) =>
      cached.events.push({
        ...event,
        metadata: { ...event.metadata, commandId: event.metadata.commandId ?? null, recordedAt },
        streamId: valid.streamId,
        streamVersion: version + index + 1,
        position: 0, // unknown until flushed
        prevHash: GENESIS_HASH,
        hash: GENESIS_HASH,
      }),
    );
    this.pending.push({ ...valid, expectedVersion: version });
    this.pendingEvents += valid.events.length;
    if (this.pendingEvents >= this.batchSize) await this.flush();
    return { streamId: valid.streamId, nextExpectedVersion: cached.events.length, positions: valid.events.map(() => 0), duplicate: false };
  }

  async appendMany(requests: AppendRequest[]): Promise<AppendResult[]> {
    const results: AppendResult[] = [];
    for (const request of requests) results.push(await this.append(request));
    return results;
  }

  /** Writes everything buffered in one atomic append to the real store. */
  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const batch = this.pending;
    const count = this.pendingEvents;
    this.pending = [];
    this.pendingEvents = 0;
    await this.target.appendMany(batch);
    this.flushed += count;
    this.onFlush?.(this.flushed);
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    const { events } = await this.stream(streamId);
    return events.filter(
      (event) =>
        (options.fromVersion === undefined || event.streamVersion >= options.fromVersion) &&
        (options.toVersion === undefined || event.streamVersion <= options.toVersion) &&
        (!options.occurredBefore || Date.parse(event.metadata.occurredAt) < options.occurredBefore.getTime()) &&
        (!options.recordedBefore || Date.parse(event.metadata.recordedAt) < options.recordedBefore.getTime()),
    );
  }

  async streamVersion(streamId: string): Promise<number> {
    return (await this.stream(streamId)).events.length;
  }

  // The global log is the real store's: reading it here would miss what is still buffered.
  readAll(): Promise<StoredEvent[]> {
    throw new Error('WriteBehindStore does not read the global log; flush and read the real store');
  }
  subscribe(): AsyncIterable<StoredEvent> {
    throw new Error('WriteBehindStore cannot be subscribed to');
  }
  waitForAppend(): Promise<void> {
    throw new Error('WriteBehindStore cannot be waited on');
  }
  head(): Promise<Head> {
    return this.target.head();
  }
  verify(): Promise<VerifyResult> {
    return this.target.verify();
  }
  async close(): Promise<void> {
    await this.flush();
  }
}
