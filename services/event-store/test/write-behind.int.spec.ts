import { randomUUID } from 'node:crypto';
import { testTargets } from '@yingpan/db/testing';
import { ConcurrencyError, SqlEventStore, type NewEvent } from '../src/index.ts';
import { describe, expect, it } from 'vitest';
import { WriteBehindStore } from '../src/write-behind-store.ts';

const event = (n: number): NewEvent => ({
  id: randomUUID(),
  type: 'Counted',
  schemaVersion: 1,
  data: { n },
  metadata: { recordedBy: { personId: 's', role: 'staff' }, occurredAt: '2024-01-01T00:00:00.000Z', correlationId: 'c', causationId: null },
});

describe('the write-behind store for bulk loads', () => {
  it('checks versions at once, serves reads from memory, and writes atomic batches to the real store', async () => {
    const testDb = await testTargets[0]!.open();
    try {
      const real = await SqlEventStore.open(testDb.db);
      const existing = `count:${randomUUID()}`;
      await real.append({ streamId: existing, expectedVersion: 'no_stream', events: [event(0)] });
      const flushes: number[] = [];
      const store = new WriteBehindStore(real, 5, (written) => flushes.push(written));

      expect(await store.streamVersion(existing)).toBe(1);
      await store.append({ streamId: existing, expectedVersion: 1, events: [event(1), event(2)] });
      await expect(store.append({ streamId: existing, expectedVersion: 1, events: [event(3)] })).rejects.toBeInstanceOf(ConcurrencyError);
      const fresh = `count:${randomUUID()}`;
      const again = event(4);
      await store.append({ streamId: fresh, expectedVersion: 'no_stream', events: [again] });
      expect((await store.append({ streamId: fresh, expectedVersion: 'no_stream', events: [again] })).duplicate).toBe(true);
      expect((await store.readStream(existing)).map((e) => e.data)).toEqual([{ n: 0 }, { n: 1 }, { n: 2 }]);
      expect((await real.head()).position).toBe(1); // nothing written yet

      await store.append({ streamId: fresh, expectedVersion: 1, events: [event(5), event(6)] }); // reaches the batch size
      expect(flushes).toEqual([5]);
      await store.close();
      expect((await real.readStream(existing)).map((e) => e.data)).toEqual([{ n: 0 }, { n: 1 }, { n: 2 }]);
      expect((await real.readStream(fresh)).map((e) => e.data)).toEqual([{ n: 4 }, { n: 5 }, { n: 6 }]);
      expect(await real.verify()).toMatchObject({ ok: true, count: 6 });
    } finally {
      await testDb.dispose();
    }
  });
});
