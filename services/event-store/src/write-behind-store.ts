/**
 * An EventStore for bulk loads: appends are checked against expected versions at once, kept in
 * memory and written to the real store in large atomic batches (`appendMany`). Reads of what is
 * still buffered are served from memory, older events from the real store; with the domain's
 * state cache, commands rarely need the older ones. Commands therefore run through the real bus, deciders and lookups — every business rule
 * applies — at in-memory speed, and the log receives the same events the API would have written.
 *
 * Only for a single writer: nothing else may append to the streams the load touches meanwhile
 * (the flush would then fail with a ConcurrencyError and write nothing of that batch).
 */
import { checkExpectedVersion, IdempotencyError } from './errors.ts';
import { GENESIS_HASH } from './hash.ts';
import type { AppendRequest, AppendResult, EventStore, Head, ReadStreamOptions, StoredEvent, VerifyResult } from './types.ts';
import { validateAppend } from './validate.ts';

interface CachedStream {
  /** The stream's version including what is buffered. */
  version: number;
  /** Events not yet written to the real store (memory stays bounded by the batch size). */
  unflushed: StoredEvent[];
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

  /** Whether the real log was empty when the load began: then every stream starts empty, unasked. */
  private startedEmpty: Promise<boolean> | null = null;

  private async stream(streamId: string): Promise<CachedStream> {
    let cached = this.streams.get(streamId);
    if (!cached) {
      this.startedEmpty ??= this.target.head().then((head) => head.position === 0);
      const version = (await this.startedEmpty) ? 0 : await this.target.streamVersion(streamId);
      cached = this.streams.get(streamId) ?? { version, unflushed: [] };
      this.streams.set(streamId, cached);
    }
    return cached;
  }

  async append(request: AppendRequest): Promise<AppendResult> {
    const valid = validateAppend(request);
    const cached = await this.stream(valid.streamId);
    // A retry of buffered events is answered here; a retry of flushed ones is recognised by the
    // real store when the batch is written (and by the command handler before that).
    const known = valid.events.filter((event) => cached.unflushed.some((stored) => stored.id === event.id));
    if (known.length > 0) {
      if (known.length < valid.events.length) throw new IdempotencyError(known.map((event) => event.id));
      const events = valid.events.map((event) => cached.unflushed.find((stored) => stored.id === event.id)!);
      return { streamId: valid.streamId, nextExpectedVersion: cached.version, positions: valid.events.map(() => 0), duplicate: true, events };
    }
    const version = cached.version;
    checkExpectedVersion(valid.streamId, valid.expectedVersion, version);
    const recordedAt = new Date().toISOString();
    valid.events.forEach((event, index) =>
      cached.unflushed.push({
        ...event,
        metadata: { ...event.metadata, commandId: event.metadata.commandId ?? null, recordedAt },
        streamId: valid.streamId,
        streamVersion: version + index + 1,
        position: 0, // unknown until flushed
        prevHash: GENESIS_HASH,
        hash: GENESIS_HASH,
      }),
    );
    cached.version += valid.events.length;
    this.pending.push({ ...valid, expectedVersion: version });
    this.pendingEvents += valid.events.length;
    if (this.pendingEvents >= this.batchSize) await this.flush();
    const events = cached.unflushed.slice(-valid.events.length);
    return { streamId: valid.streamId, nextExpectedVersion: cached.version, positions: valid.events.map(() => 0), duplicate: false, events };
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
    for (const request of batch) this.streams.get(request.streamId)!.unflushed.length = 0;
    this.flushed += count;
    this.onFlush?.(this.flushed);
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    const { version, unflushed } = await this.stream(streamId);
    const flushedVersion = version - unflushed.length;
    const older =
      (options.fromVersion ?? 1) <= flushedVersion
        ? await this.target.readStream(streamId, { ...options, toVersion: Math.min(options.toVersion ?? flushedVersion, flushedVersion) })
        : [];
    const newer = unflushed.filter(
      (event) =>
        (options.fromVersion === undefined || event.streamVersion >= options.fromVersion) &&
        (options.toVersion === undefined || event.streamVersion <= options.toVersion) &&
        (!options.occurredBefore || Date.parse(event.metadata.occurredAt) < options.occurredBefore.getTime()) &&
        (!options.recordedBefore || Date.parse(event.metadata.recordedAt) < options.recordedBefore.getTime()),
    );
    return [...older, ...newer];
  }

  async streamVersion(streamId: string): Promise<number> {
    return (await this.stream(streamId)).version;
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
