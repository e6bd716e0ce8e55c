import { rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { testTargets } from '@yingpan/db/testing';
import { SqlEventStore, type StoredEvent } from '@yingpan/event-store';
import { describe, expect, it } from 'vitest';
import { fixtureFile, seedCountyFixture } from '../src/fixture.ts';

const target = testTargets[0]!;
const OPTIONS = { seed: 13, scale: 'small' } as const;

/** An event as the seed wrote it: everything but the recording time and the hashes the store adds then. */
const asWritten = ({ metadata: { recordedAt: _recordedAt, ...metadata }, id, type, schemaVersion, data, streamId, streamVersion, position }: StoredEvent) => ({
  id,
  type,
  schemaVersion,
  data,
  metadata,
  streamId,
  streamVersion,
  position,
});

describe('the demo county as a test fixture', () => {
  it('built once, then appended from its file: the same log, event for event, and it verifies', async () => {
    await rm(fixtureFile(OPTIONS), { force: true });
    const logs: ReturnType<typeof asWritten>[][] = [];
    for (const run of ['built', 'replayed']) {
      const testDb = await target.open();
      try {
        const store = await SqlEventStore.open(testDb.db);
        await seedCountyFixture(store, OPTIONS);
        expect(existsSync(fixtureFile(OPTIONS)), run).toBe(true);
        const events = await store.readAll({ limit: 100_000 });
        expect(events.length, run).toBeGreaterThan(5_000);
        expect(await store.verify(), run).toMatchObject({ ok: true, count: events.length });
        logs.push(events.map(asWritten));
      } finally {
        await testDb.dispose();
      }
    }
    expect(logs[1]).toEqual(logs[0]);
  });
});
