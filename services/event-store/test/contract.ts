/**
 * The contract every EventStore adapter must keep. Each adapter's spec file calls
 * `eventStoreContract` with a factory that opens an empty store.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConcurrencyError, IdempotencyError, InvalidEventError } from '../src/errors.ts';
import type { EventStore, NewEvent, StoredEvent } from '../src/types.ts';

export interface StoreUnderTest {
  store: EventStore;
  /** Empties the store (tests only): each test starts from an empty log. */
  reset(): Promise<void>;
  dispose(): Promise<void>;
}

export function newEvent(type = 'TrainingAttendanceRecorded', data: Record<string, unknown> = {}, occurredAt = '2024-03-01T02:00:00.000Z'): NewEvent {
  return {
    id: randomUUID(),
    type,
    schemaVersion: 1,
    data: { note: 'x', ...data },
    metadata: {
      recordedBy: { personId: 'staff-1', role: 'staff' },
      occurredAt,
      correlationId: randomUUID(),
      causationId: null,
    },
  };
}

export const streamOf = (category = 'training') => `${category}:${randomUUID()}`;

export async function collect(iterable: AsyncIterable<StoredEvent>, count: number, signal: AbortController): Promise<StoredEvent[]> {
  const seen: StoredEvent[] = [];
  for await (const event of iterable) {
    seen.push(event);
    if (seen.length >= count) {
      signal.abort();
      break;
    }
  }
  return seen;
}

export function eventStoreContract(name: string, open: () => Promise<StoreUnderTest>, skipReason: string | null = null): void {
  describe.skipIf(skipReason !== null)(`EventStore contract on ${name}`, () => {
    let subject: StoreUnderTest;
    let store: EventStore;

    beforeAll(async () => {
      subject = await open();
      store = subject.store;
    });
    beforeEach(async () => {
      await subject.reset();
    });
    afterAll(async () => {
      await subject?.dispose();
    });

    describe('appending', () => {
      it('stores events with their stream versions, positions, metadata and the store clock', async () => {
        const stream = streamOf();
        const before = Date.now();
        const events = [newEvent('TrainingScheduled', { title: '新任代表培训班' }), newEvent()];
        const result = await store.append({ streamId: stream, expectedVersion: 'no_stream', events });
        expect(result).toMatchObject({ streamId: stream, nextExpectedVersion: 2, duplicate: false });
        expect(result.positions).toHaveLength(2);
        expect(result.positions[1]).toBeGreaterThan(result.positions[0]!);

        const read = await store.readStream(stream);
        expect(read.map((event) => [event.id, event.type, event.streamVersion])).toEqual([
          [events[0]!.id, 'TrainingScheduled', 1],
          [events[1]!.id, 'TrainingAttendanceRecorded', 2],
        ]);
        expect(read[0]!.data).toEqual({ note: 'x', title: '新任代表培训班' });
        expect(read[0]!.metadata.recordedBy).toEqual({ personId: 'staff-1', role: 'staff' });
        expect(read[0]!.metadata.occurredAt).toBe('2024-03-01T02:00:00.000Z');
        expect(Date.parse(read[0]!.metadata.recordedAt)).toBeGreaterThanOrEqual(before - 5_000);
        expect(read[0]!.metadata.correlationId).toBe(events[0]!.metadata.correlationId);
        expect(read[0]!.hash).toMatch(/^[0-9a-f]{64}$/);
      });

      it('answers each append with its events exactly as the log then holds them', async () => {
        const stream = streamOf();
        const other = streamOf();
        const first = await store.append({
          streamId: stream,
          expectedVersion: 'no_stream',
          events: [newEvent('TrainingScheduled', { title: '新任代表培训班', nested: { b: 1.5, a: [true, null] } }), newEvent()],
        });
        // Appends arriving together (one group commit, where the store groups them) and a batch.
        const together = await Promise.all([
          store.append({ streamId: stream, expectedVersion: 2, events: [newEvent()] }),
          store.append({ streamId: other, expectedVersion: 'no_stream', events: [newEvent(), newEvent()] }),
        ]);
        const batch = await store.appendMany([
          { streamId: stream, expectedVersion: 3, events: [newEvent()] },
          { streamId: other, expectedVersion: 2, events: [newEvent()] },
        ]);
        const answered = [first, ...together, ...batch];
        for (const result of answered) {
          expect(result.events.map((event) => event.position)).toEqual(result.positions);
          expect(result.events.at(-1)!.streamVersion).toBe(result.nextExpectedVersion);
        }
        const log = await store.readAll();
        const byId = new Map(answered.flatMap((result) => result.events).map((event) => [event.id, event]));
        expect(byId.size).toBe(log.length);
        for (const stored of log) expect(byId.get(stored.id)).toEqual(stored);
      });

      it('accepts an exact expected version and rejects a stale one with a typed error, writing nothing', async () => {
        const stream = streamOf();
        await store.append({ streamId: stream, expectedVersion: 'no_stream', events: [newEvent()] });
        await store.append({ streamId: stream, expectedVersion: 1, events: [newEvent()] });
        const stale = store.append({ streamId: stream, expectedVersion: 1, events: [newEvent()] });
        await expect(stale).rejects.toBeInstanceOf(ConcurrencyError);
        await expect(stale).rejects.toMatchObject({ streamId: stream, expected: 1, actual: 2 });
        expect(await store.streamVersion(stream)).toBe(2);
      });

      it('rejects "no_stream" on an existing stream and "stream_exists" on a missing one', async () => {
        const stream = streamOf();
        await expect(store.append({ streamId: stream, expectedVersion: 'stream_exists', events: [newEvent()] })).rejects.toBeInstanceOf(ConcurrencyError);
        await store.append({ streamId: stream, expectedVersion: 'no_stream', events: [newEvent()] });
        await expect(store.append({ streamId: stream, expectedVersion: 'no_stream', events: [newEvent()] })).rejects.toBeInstanceOf(ConcurrencyError);
        await store.append({ streamId: stream, expectedVersion: 'stream_exists', events: [newEvent()] });
        await store.append({ streamId: stream, expectedVersion: 'any', events: [newEvent()] });
        expect(await store.streamVersion(stream)).toBe(3);
      });

      it('treats a repeated append of the same event ids as a retry: the original result, nothing written', async () => {
        const stream = streamOf();
        const events = [newEvent(), newEvent()];
        const first = await store.append({ streamId: stream, expectedVersion: 'no_stream', events });
        const headBefore = await store.head();
        const retry = await store.append({ streamId: stream, expectedVersion: 'no_stream', events });
        expect(retry).toEqual({ ...first, duplicate: true });
        expect(await store.head()).toEqual(headBefore);
        expect(await store.readStream(stream)).toHaveLength(2);
      });

      it('refuses an append that repeats only some stored ids', async () => {
        const stream = streamOf();
        const stored = newEvent();
        await store.append({ streamId: stream, expectedVersion: 'any', events: [stored] });
        await expect(store.append({ streamId: stream, expectedVersion: 'any', events: [stored, newEvent()] })).rejects.toBeInstanceOf(IdempotencyError);
        expect(await store.streamVersion(stream)).toBe(1);
      });

      it('rejects malformed events at the boundary and writes nothing', async () => {
        const stream = streamOf();
        const bad: NewEvent[] = [
          { ...newEvent(), id: 'not-a-uuid' },
          { ...newEvent(), type: '' },
          { ...newEvent(), schemaVersion: 0 },
          { ...newEvent(), data: [] as unknown as Record<string, unknown> },
          { ...newEvent(), data: { at: new Date() } },
          { ...newEvent(), metadata: { ...newEvent().metadata, occurredAt: 'yesterday' } },
        ];
        for (const event of bad) {
          await expect(store.append({ streamId: stream, expectedVersion: 'any', events: [newEvent(), event] })).rejects.toBeInstanceOf(InvalidEventError);
        }
        await expect(store.append({ streamId: 'no category', expectedVersion: 'any', events: [newEvent()] })).rejects.toBeInstanceOf(InvalidEventError);
        expect(await store.streamVersion(stream)).toBe(0);
        expect((await store.head()).position).toBe(0);
      });

      it('appends to several streams atomically: one conflict writes none of them', async () => {
        const [a, b] = [streamOf(), streamOf()];
        await store.append({ streamId: b, expectedVersion: 'no_stream', events: [newEvent()] });
        await expect(
          store.appendMany([
            { streamId: a, expectedVersion: 'no_stream', events: [newEvent()] },
            { streamId: b, expectedVersion: 'no_stream', events: [newEvent()] },
          ]),
        ).rejects.toBeInstanceOf(ConcurrencyError);
        expect(await store.streamVersion(a)).toBe(0);
        const results = await store.appendMany([
          { streamId: a, expectedVersion: 'no_stream', events: [newEvent()] },
          { streamId: b, expectedVersion: 1, events: [newEvent(), newEvent()] },
        ]);
        expect(results.map((result) => result.nextExpectedVersion)).toEqual([1, 3]);
      });
    });

    describe('reading', () => {
      it('reads a stream up to a version, and as it happened or as it was known at a date', async () => {
        const stream = streamOf();
        await store.append({
          streamId: stream,
          expectedVersion: 'no_stream',
          events: [newEvent('A', {}, '2023-01-10T00:00:00.000Z'), newEvent('B', {}, '2023-06-10T00:00:00.000Z')],
        });
        const knownBefore = new Date();
        await new Promise((resolve) => setTimeout(resolve, 20));
        // A paper record from 2023-03 entered late: it happened before B but was recorded after.
        await store.append({ streamId: stream, expectedVersion: 2, events: [newEvent('C', {}, '2023-03-10T00:00:00.000Z')] });

        expect((await store.readStream(stream, { toVersion: 2 })).map((e) => e.type)).toEqual(['A', 'B']);
        expect((await store.readStream(stream, { fromVersion: 2 })).map((e) => e.type)).toEqual(['B', 'C']);
        expect((await store.readStream(stream, { occurredBefore: new Date('2023-04-01') })).map((e) => e.type)).toEqual(['A', 'C']);
        expect((await store.readStream(stream, { recordedBefore: knownBefore })).map((e) => e.type)).toEqual(['A', 'B']);
        expect(await store.readStream(streamOf())).toEqual([]);
      });

      it('reads the whole log in global order from a position, page by page', async () => {
        const streams = [streamOf(), streamOf(), streamOf()];
        for (let round = 0; round < 4; round++) {
          for (const stream of streams) await store.append({ streamId: stream, expectedVersion: 'any', events: [newEvent()] });
        }
        const all: StoredEvent[] = [];
        for (let after = 0; ; ) {
          const page = await store.readAll({ after, limit: 5 });
          if (page.length === 0) break;
          all.push(...page);
          after = page[page.length - 1]!.position;
        }
        expect(all).toHaveLength(12);
        expect(all.map((event) => event.position)).toEqual([...all.map((event) => event.position)].sort((x, y) => x - y));
        expect(new Set(all.map((event) => event.id)).size).toBe(12);
        expect(all.slice(0, 3).map((event) => event.streamId)).toEqual(streams);
        const tail = await store.readAll({ after: all[9]!.position });
        expect(tail.map((event) => event.id)).toEqual(all.slice(10).map((event) => event.id));
      });

      it('subscribes from a checkpoint: catches up, then receives new events as they are appended', async () => {
        const stream = streamOf();
        await store.append({ streamId: stream, expectedVersion: 'any', events: [newEvent(), newEvent(), newEvent()] });
        const checkpoint = (await store.readAll())[0]!.position;
        const abort = new AbortController();
        const received = collect(store.subscribe({ after: checkpoint, signal: abort.signal, pollIntervalMs: 5_000 }), 3, abort);
        await new Promise((resolve) => setTimeout(resolve, 50));
        const live = newEvent('LiveOne');
        await store.append({ streamId: stream, expectedVersion: 3, events: [live] });
        const seen = await received;
        expect(seen.map((event) => event.streamVersion)).toEqual([2, 3, 4]);
        expect(seen[2]!.id).toBe(live.id);
      });
    });

    describe('integrity', () => {
      it('verifies an intact log and reports its count, head and chain versions', async () => {
        const empty = await store.verify();
        expect(empty).toMatchObject({ ok: true, count: 0, chainVersions: {} });
        for (let i = 0; i < 5; i++) await store.append({ streamId: streamOf(), expectedVersion: 'any', events: [newEvent(), newEvent()] });
        const result = await store.verify();
        // Every store writes the current chain version, and says which versions it verified.
        expect(result).toEqual({ ok: true, count: 10, head: await store.head(), chainVersions: { 3: 10 } });
      });

      it('checks a kept digest: passes while history is intact', async () => {
        await store.append({ streamId: streamOf(), expectedVersion: 'any', events: [newEvent(), newEvent()] });
        const digest = await store.head();
        await store.append({ streamId: streamOf(), expectedVersion: 'any', events: [newEvent()] });
        expect(await store.verify({ digest })).toMatchObject({ ok: true, count: 3 });
        const forged = { position: digest.position, hash: 'f'.repeat(64) };
        expect(await store.verify({ digest: forged })).toMatchObject({ ok: false, kind: 'digest-mismatch', position: digest.position });
        expect(await store.verify({ digest: { position: 99, hash: digest.hash } })).toMatchObject({ ok: false, kind: 'digest-mismatch' });
      });
    });
  });
}
