import { testTargets } from '@yingpan/db/testing';
import { SqlEventStore } from '@yingpan/event-store';
import { describe, expect, it } from 'vitest';
import { seedCounty } from '../src/county.ts';

const target = testTargets[0]!;

describe('the demo county at small scale', () => {
  it('is deterministic for a seed, idempotent when run again, obeys every rule, and verifies', async () => {
    const logs: string[] = [];
    for (const [run, seed] of [7, 7].entries()) {
      const testDb = await target.open();
      try {
        const store = await SqlEventStore.open(testDb.db);
        const progress: number[] = [];
        const summary = await seedCounty(store, { seed, scale: 'small', onProgress: ({ written }) => progress.push(written) });
        expect(summary.rejectedByRules).toEqual({});
        expect(summary.stations).toBe(6);
        const events = await store.readAll({ limit: 100_000 });
        expect(events).toHaveLength(summary.events);
        expect(progress.at(-1)).toBe(summary.events);
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
        // Run again over its own log (once: it walks every command through the store, the slowest part), it adds nothing.
        if (run === 1) {
          const again = await seedCounty(store, { seed, scale: 'small' });
          expect(again.events).toBe(0);
          expect((await store.head()).position).toBe(events.length);
        }
        expect(await store.verify()).toMatchObject({ ok: true, count: events.length });
        logs.push(JSON.stringify(events.map((event) => [event.id, event.type, event.data])));
      } finally {
        await testDb.dispose();
      }
    }
    expect(logs[0]).toBe(logs[1]);
  }, 600_000);
});
