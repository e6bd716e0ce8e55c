import { existsSync } from 'node:fs';
import { testTargets } from '@yingpan/db/testing';
import { type EventStore, SqlEventStore, type StoredEvent } from '@yingpan/event-store';
import { describe, expect, it } from 'vitest';
import { seedCounty } from '../src/county.ts';
import { fixtureFile, keepFixture, requestsOf, seedCountyFixture, tryTurnToBuild } from '../src/fixture.ts';

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
async function logOf(write: (store: EventStore) => Promise<void>): Promise<StoredEvent[]> {
  const testDb = await target.open();
  try {
    const store = await SqlEventStore.open(testDb.db);
    await write(store);
    const events = await store.readAll({ limit: 100_000 });
    expect(await store.verify()).toMatchObject({ ok: true, count: events.length });
    return events;
  } finally {
    await testDb.dispose();
  }
}

/** The first `count` or so events of `log`, cut where a command's events end (a seed that stops writes whole commands). */
function prefixOf(log: readonly StoredEvent[], count: number): StoredEvent[] {
  let end = count;
  while (end < log.length && log[end]!.metadata.commandId != null && log[end]!.metadata.commandId === log[end - 1]!.metadata.commandId) end++;
  return log.slice(0, end);
}

// Three writings of one county (seed 7, small): through the commands (kept as the test fixture's
// file), through the commands again over the log an interrupted seed left, and replayed from the
// fixture's file. The second shows the seed is deterministic and adds only what is missing, the
// third that the fixture other packages stand on is the same log.
describe('the demo county at small scale', () => {
  let seeded: StoredEvent[] = [];

  it('obeys every rule and verifies; the log is kept as the fixture', async () => {
    // Other packages' tests starting meanwhile wait for this file rather than build the same county beside it.
    const turn = await tryTurnToBuild(fixtureFile(OPTIONS));
    try {
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
      });
      expect(seeded.length).toBeGreaterThan(5_000);

      // The fixture keeps this very log (other packages' tests append it instead of seeding).
      await keepFixture(OPTIONS, seeded);
      expect(existsSync(fixtureFile(OPTIONS))).toBe(true);
    } finally {
      await turn?.();
    }
  });

  // Every command the interrupted seed wrote is walked through the store again and recognised as
  // done (a whole county's walk would take minutes on a busy machine; a tenth of it shows the rule).
  it('run again over the log an interrupted seed left, adds exactly what is missing: the same log', async () => {
    const prefix = prefixOf(seeded, Math.floor(seeded.length / 10));
    expect(prefix.length).toBeGreaterThan(0);
    let summary: Awaited<ReturnType<typeof seedCounty>> | undefined;
    const resumed = await logOf(async (store) => {
      await store.appendMany(requestsOf(prefix));
      summary = await seedCounty(store, OPTIONS);
    });
    expect(summary!.events).toBe(seeded.length - prefix.length);
    expect(resumed.map(asWritten)).toEqual(seeded.map(asWritten));
  });

  it('is appended from the fixture file event for event', async () => {
    expect(existsSync(fixtureFile(OPTIONS))).toBe(true);
    const replayed = await logOf((store) => seedCountyFixture(store, OPTIONS));
    expect(replayed.map(asWritten)).toEqual(seeded.map(asWritten));
  });
});
