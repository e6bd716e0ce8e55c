/**
 * The KurrentDB adapter keeps the same rule as the SQL store (issue 20): new events are chain
 * version 3, hashed exactly as stored; events of chain version 1 (written before) verify as
 * before; a metadata key the store never writes is flagged by verify, whatever the version; and
 * verify reports the chain versions it saw. Run on an in-memory stand-in for the client
 * (kurrentdb-fake.ts); the contract suite runs against a real server when KURRENTDB_URL is set.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GENESIS_HASH, eventHash, formatChainVersions } from '../src/hash.ts';
import { KurrentDbEventStore, kurrentHashedContent } from '../src/kurrentdb-store.ts';
import type { NewEvent } from '../src/types.ts';
import { newEvent, streamOf } from './contract.ts';
import { FakeKurrentDb } from './kurrentdb-fake.ts';
import { eventArb, tamper, tamperingArb, type Json } from './tampering.ts';

const open = () => {
  const fake = new FakeKurrentDb();
  return { fake, store: new KurrentDbEventStore(fake.client, { streamPrefix: 'unit/' }) };
};

/** Writes `events` to `streamId` as the adapter did before chain version 3 (chain version 1, no version key). */
async function writeVersion1(fake: FakeKurrentDb, streamId: string, events: NewEvent[]): Promise<void> {
  let prevHash = GENESIS_HASH;
  let streamVersion = 0;
  for (const event of events) {
    streamVersion += 1;
    const metadata = {
      ...event.metadata,
      recordedAt: `2024-05-0${streamVersion}T08:00:00.000Z`,
      causationId: event.metadata.causationId ?? null,
      commandId: event.metadata.commandId ?? null,
    };
    const hash = eventHash(prevHash, kurrentHashedContent({ ...event, position: 0, streamId, streamVersion, metadata }));
    const stored: Record<string, string> = {
      'recordedBy.personId': metadata.recordedBy.personId,
      'recordedBy.role': metadata.recordedBy.role,
      occurredAt: metadata.occurredAt,
      recordedAt: metadata.recordedAt,
      correlationId: metadata.correlationId,
      schemaVersion: String(event.schemaVersion),
      prevHash,
      hash,
    };
    if (metadata.causationId) stored.causationId = metadata.causationId;
    if (metadata.commandId) stored.commandId = metadata.commandId;
    const result = await fake.appendToStream(`unit/${streamId}`, [{ id: event.id, type: event.type, data: event.data, metadata: stored }], {
      streamState: streamVersion === 1 ? 'no_stream' : BigInt(streamVersion - 2),
    });
    expect(result.success).toBe(true);
    prevHash = hash;
  }
}

describe('the KurrentDB adapter’s chain', () => {
  it('appends chain version 3, with the version in the stored metadata, and verify reports it', async () => {
    const { fake, store } = open();
    const stream = streamOf();
    await store.append({ streamId: stream, expectedVersion: 'no_stream', events: [newEvent('A', { deep: { 名: '张三' } }), newEvent()] });
    await store.appendMany([{ streamId: streamOf(), expectedVersion: 'any', events: [newEvent()] }]);
    const events = await store.readAll();
    expect(events.map((event) => event.chainVersion)).toEqual([3, 3, 3]);
    expect(JSON.parse(fake.stored(events[0]!.position, 'metadata'))).toMatchObject({ chainVersion: '3', prevHash: GENESIS_HASH });
    const verified = await store.verify();
    expect(verified).toEqual({ ok: true, count: 3, head: await store.head(), chainVersions: { 3: 3 } });
  });

  it('verifies events of chain version 1 written before, followed by version 3, and says so', async () => {
    const { store, fake } = open();
    const stream = streamOf();
    await writeVersion1(fake, stream, [
      newEvent('Old', { n: [1, { 名: '李四' }] }),
      { ...newEvent('Old'), metadata: { ...newEvent().metadata, causationId: 'cause-1', commandId: 'cmd-1' } },
    ]);
    await store.append({ streamId: stream, expectedVersion: 2, events: [newEvent('New')] });
    const events = await store.readStream(stream);
    expect(events.map((event) => [event.streamVersion, event.chainVersion ?? 1])).toEqual([
      [1, 1],
      [2, 1],
      [3, 3],
    ]);
    expect(events[2]!.prevHash).toBe(events[1]!.hash);
    const verified = await store.verify();
    expect(verified).toMatchObject({ ok: true, count: 3, chainVersions: { 1: 2, 3: 1 } });
    expect(formatChainVersions(verified.chainVersions)).toBe('v1: 2 events, v3: 1 event');
  });

  it('flags the auditor’s forgeries in an event of either version: a recorder’s name, keys of its own, a changed recorder', async () => {
    const { store, fake } = open();
    const stream = streamOf();
    await writeVersion1(fake, stream, [newEvent('Old')]);
    await store.append({ streamId: stream, expectedVersion: 1, events: [newEvent('New'), newEvent('New')] });
    const positions = (await store.readAll()).map((event) => event.position);
    const forgeries: [string, (metadata: Record<string, unknown>) => Record<string, unknown>, RegExp][] = [
      ['a recorder’s name', (metadata) => ({ ...metadata, 'recordedBy.name': '伪造者' }), /a metadata key of its own \("recordedBy.name"\)/],
      ['keys of its own', (metadata) => ({ ...metadata, source: 'forged.xlsx', note: 'approved by director' }), /a metadata key of its own/],
      ['another recorder', (metadata) => ({ ...metadata, 'recordedBy.personId': 'someone-else' }), /does not match its hash/],
      ['a version switched', (metadata) => ({ ...metadata, chainVersion: '3' }), /does not match its hash/],
    ];
    for (const position of [positions[0]!, positions[1]!]) {
      for (const [label, forge, message] of forgeries) {
        const original = fake.stored(position, 'metadata');
        if (label === 'a version switched' && JSON.parse(original).chainVersion === '3') continue;
        fake.rewrite(position, 'metadata', (metadata) => forge(metadata as Record<string, unknown>));
        const result = await store.verify();
        expect(result, `${label} at ${position}`).toMatchObject({ ok: false, position, kind: 'hash-mismatch' });
        expect(result.ok ? '' : result.message, label).toMatch(message);
        fake.restore(position, 'metadata', original);
      }
    }
    expect(await store.verify()).toMatchObject({ ok: true, count: 3, chainVersions: { 1: 1, 3: 2 } });
  });

  it('verify fails at exactly the changed event whatever changed in its data at any depth, or a key added to its metadata (30 runs)', async () => {
    const { store, fake } = open();
    const [events] = fc.sample(fc.array(eventArb, { minLength: 8, maxLength: 8 }), { seed: 20, numRuns: 1 });
    const [a, b] = [streamOf(), streamOf()];
    await writeVersion1(fake, a, events!.slice(0, 3));
    await store.append({ streamId: a, expectedVersion: 3, events: events!.slice(3, 5) });
    await store.append({ streamId: b, expectedVersion: 'no_stream', events: events!.slice(5, 8) });
    const positions = (await store.readAll()).map((event) => event.position);
    expect(await store.verify()).toMatchObject({ ok: true, count: 8, chainVersions: { 1: 3, 3: 5 } });

    // KurrentDB hands out parsed JSON, so a number spelled otherwise is not a change it can show;
    // a metadata key renamed or removed makes the record unreadable as one of ours (see the report of issue 20).
    const dataTampering = tamperingArb.filter((tampering) => tampering.kind !== 'respell-number');
    const metadataTampering = tamperingArb.map((tampering) => ({ ...tampering, kind: 'add-key' as const }));
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 7 }),
        fc.oneof(
          dataTampering.map((tampering) => ({ column: 'data' as const, tampering })),
          metadataTampering.map((tampering) => ({ column: 'metadata' as const, tampering })),
        ),
        async (index, { column, tampering }) => {
          const position = positions[index]!;
          const original = fake.stored(position, column);
          const changed = tamper(JSON.parse(original) as Json, tampering);
          fc.pre(changed !== null && JSON.stringify(JSON.parse(changed)) !== JSON.stringify(JSON.parse(original)));
          fake.restore(position, column, changed!);
          try {
            expect(await store.verify(), `${tampering.kind} in ${column} at ${index}: ${changed}`).toMatchObject({
              ok: false,
              position,
              kind: 'hash-mismatch',
              count: index,
            });
          } finally {
            fake.restore(position, column, original);
          }
        },
      ),
      { numRuns: 30 },
    );
    expect(await store.verify()).toMatchObject({ ok: true, count: 8 });
  });
});
