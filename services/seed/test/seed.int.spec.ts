import { testTargets } from '@yingpan/db/testing';
import { SqlEventStore } from '@yingpan/event-store';
import { describe, expect, it } from 'vitest';
import { seedDemo } from '../src/seed.ts';

const target = testTargets[0]!;

describe('the demo county seed', () => {
  it('is deterministic for a seed, idempotent when run again, and verifies', async () => {
    const heads: string[] = [];
    for (const seed of [7, 7]) {
      const testDb = await target.open();
      try {
        const store = await SqlEventStore.open(testDb.db);
        const summary = await seedDemo(store, { seed });
        expect(summary.people).toBe(24);
        const events = await store.readAll({ limit: 10_000 });
        expect(events).toHaveLength(summary.people + summary.trainings + summary.attendances);
        const again = await seedDemo(store, { seed });
        expect(again).toEqual(summary);
        expect((await store.head()).position).toBe(events.length);
        expect(await store.verify()).toMatchObject({ ok: true, count: events.length });
        heads.push(JSON.stringify(events.map((event) => [event.id, event.type, event.data])));
      } finally {
        await testDb.dispose();
      }
    }
    expect(heads[0]).toBe(heads[1]);
  });
});
