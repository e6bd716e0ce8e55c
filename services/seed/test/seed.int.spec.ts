import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { testTargets } from '@yingpan/db/testing';
import { type EventStore, SqlEventStore, type StoredEvent } from '@yingpan/event-store';
import { describe, expect, it } from 'vitest';
import { seedCounty } from '../src/county.ts';
import { fixtureFile, seedCountyFixture } from '../src/fixture.ts';

const target = testTargets[0]!;
const OPTIONS = { seed: 7, scale: 'small' } as const;

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

/** Runs `write` on a store of its own and returns its log as written, after checking that it verifies. */
async function logOf(write: (store: EventStore) => Promise<void>): Promise<ReturnType<typeof asWritten>[]> {
  const testDb = await target.open();
  try {
    const store = await SqlEventStore.open(testDb.db);
    await write(store);
    const events = await store.readAll({ limit: 100_000 });
    expect(await store.verify()).toMatchObject({ ok: true, count: events.length });
    return events.map(asWritten);
  } finally {
    await testDb.dispose();
  }
}

// Three writings of one county (seed 7, small): through the commands, through the commands by the
// test fixture (which keeps the log in a file), and replayed from that file. The first two show the
// seed is deterministic, the third that the fixture other packages stand on is the same log.
describe('the demo county at small scale', () => {
  let seeded: ReturnType<typeof asWritten>[] = [];

  it('obeys every rule, adds nothing when run again, verifies, and is the same log when seeded again', async () => {
    seeded = await logOf(async (store) => {
      const progress: number[] = [];
      const summary = await seedCounty(store, { ...OPTIONS, onProgress: ({ written }) => progress.push(written) });
      expect(summary.rejectedByRules).toEqual({});
      expect(summary.stations).toBe(6);
      expect(progress.at(-1)).toBe(summary.events);
      const events = await store.readAll({ limit: 100_000 });
      expect(events).toHaveLength(summary.events);
      const types = new Set(events.map((event) => event.type));
      for (const type of [
        'TermClosed',
        'MandateStarted',
        'StationVisitRecorded',
        'HomeVisitRecorded',
        'OpinionClosed',
        'PairingFormed',
        'SuggestionAnswered',
        'DutyReportRated',
        'PracticalHelpRecorded',
        'RegulationAmended',
        'RecordApproved',
        'ParticipationRecorded',
      ]) {
        expect(types, type).toContain(type);
      }
      // Run again over its own log (it walks every command through the store), it adds nothing.
      const again = await seedCounty(store, OPTIONS);
      expect(again.events).toBe(0);
      expect((await store.head()).position).toBe(events.length);
    });
    expect(seeded.length).toBeGreaterThan(5_000);

    // The fixture, with no file yet, seeds through the commands again and keeps the log in its file.
    await rm(fixtureFile(OPTIONS), { force: true });
    const built = await logOf((store) => seedCountyFixture(store, OPTIONS));
    expect(existsSync(fixtureFile(OPTIONS))).toBe(true);
    expect(built).toEqual(seeded);
  });

  it('is appended from the fixture file event for event', async () => {
    expect(existsSync(fixtureFile(OPTIONS))).toBe(true);
    const replayed = await logOf((store) => seedCountyFixture(store, OPTIONS));
    expect(replayed).toEqual(seeded);
  });
});
