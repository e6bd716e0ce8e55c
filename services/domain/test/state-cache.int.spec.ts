import { randomUUID } from 'node:crypto';
import { testTargets } from '@yingpan/db/testing';
import { SqlEventStore } from '@yingpan/event-store';
import { describe, expect, it, vi } from 'vitest';
import { createDomain } from '../src/commands.ts';
import { StateCache } from '../src/kernel/state-cache.ts';
import type { CommandContext } from '../src/kernel/messages.ts';
import { actingMandate } from '../src/mandate/acting.ts';

const staff = (commandId = randomUUID()): CommandContext => ({ commandId, actor: { personId: 's', role: 'staff' }, occurredAt: '2023-01-01T00:00:00.000Z' });

describe('commands with a state cache', () => {
  it('see events appended elsewhere, and still recognise a retried command', async () => {
    const testDb = await testTargets[0]!.open();
    try {
      const store = await SqlEventStore.open(testDb.db);
      const cached = createDomain(store, { cache: new StateCache() });
      const elsewhere = createDomain(store); // another process, in effect: no shared cache
      const activityId = randomUUID();
      const [first, second] = [randomUUID(), randomUUID()];
      for (const personId of [first, second]) await cached.bus.execute('RegisterPerson', { personId, name: '甲' }, staff());
      await cached.bus.execute('OrganiseTraining', { activityId, trainingType: 'expert-lecture', title: '讲座', date: '2023-01-01' }, staff());
      const commandId = randomUUID();
      await cached.bus.execute('RecordTrainingAttendance', { activityId, personId: first }, staff(commandId));

      await elsewhere.bus.execute('RecordTrainingAttendance', { activityId, personId: second }, staff());
      await expect(cached.bus.execute('RecordTrainingAttendance', { activityId, personId: second }, staff())).rejects.toMatchObject({
        code: 'already-attended',
      });
      const retry = await cached.bus.execute('RecordTrainingAttendance', { activityId, personId: first }, staff(commandId));
      expect(retry.duplicate).toBe(true);
      expect(await store.streamVersion(`activity:${activityId}`)).toBe(3);
    } finally {
      await testDb.dispose();
    }
  });

  it('decide on the cached state, and decide a refusal again on the log’s: nobody is refused on a state that was behind', async () => {
    const testDb = await testTargets[0]!.open();
    try {
      const store = await SqlEventStore.open(testDb.db);
      const cache = new StateCache();
      const cached = createDomain(store, { cache });
      const elsewhere = createDomain(store);
      const activityId = randomUUID();
      const cancel = () => cached.bus.execute('CancelActivity', { activityId, reason: '改期' }, staff());
      // The refusal caches the empty stream …
      await expect(cancel()).rejects.toMatchObject({ code: 'activity-not-found' });
      // … which another process then organises: the cached state is behind, and the command stands.
      const organise = { activityId, kind: 'inspection', title: '视察', date: '2023-01-01', organiser: '常委会' };
      await elsewhere.bus.execute('OrganiseActivity', organise, staff());
      const outcome = await cancel();
      expect(outcome.events.map((event) => [event.type, event.streamVersion])).toEqual([['ActivityCancelled', 2]]);
      // The appended event is in the cache, as stored: the next command decides on it without reading the log.
      const read = vi.spyOn(store, 'readStream');
      await expect(cancel()).rejects.toMatchObject({ code: 'already-cancelled' });
      expect(read).toHaveBeenCalledTimes(1); // the refusal, decided again on the log's state
      expect(outcome.events).toEqual(await store.readStream(`activity:${activityId}`, { fromVersion: 2 }));
    } finally {
      await testDb.dispose();
    }
  });

  it('reads a mandate’s term from the log even when the cached mandate let the read start early', async () => {
    const testDb = await testTargets[0]!.open();
    try {
      const store = await SqlEventStore.open(testDb.db);
      const cached = createDomain(store, { cache: new StateCache() });
      const elsewhere = createDomain(store);
      const [termId, personId, mandateId] = [randomUUID(), randomUUID(), randomUUID()];
      const admin: CommandContext = { ...staff(), actor: { personId: 'a', role: 'admin' } };
      await cached.bus.execute('OpenTerm', { termId, number: 18, startsOn: '2021-10-01', plannedEndOn: '2026-09-30' }, admin);
      await cached.bus.execute('RegisterPerson', { personId, name: '王建国' }, staff());
      const mandate = {
        mandateId,
        personId,
        termId,
        kind: 'deputy',
        level: 'township',
        district: '第一选区',
        township: '石桥铺镇',
        publicServant: false,
        startsOn: '2021-10-01',
      };
      await cached.bus.execute('StartMandate', mandate, staff());
      // The cache learns the mandate (and so its term) …
      await expect(actingMandate(cached.lookups, mandateId, personId, '2026-10-11')).resolves.toMatchObject({ termId, validTo: null });
      // … then the term is closed by another process: the next lookup still sees it.
      await elsewhere.bus.execute('CloseTerm', { termId, closedOn: '2026-10-10' }, { ...admin, commandId: randomUUID() });
      await expect(actingMandate(cached.lookups, mandateId, personId, '2026-10-11')).rejects.toMatchObject({ code: 'mandate-not-valid' });
      await expect(actingMandate(cached.lookups, mandateId, personId, '2026-10-10')).resolves.toMatchObject({ validTo: '2026-10-10' });
    } finally {
      await testDb.dispose();
    }
  });
});
