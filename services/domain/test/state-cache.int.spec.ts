import { randomUUID } from 'node:crypto';
import { testTargets } from '@yingpan/db/testing';
import { SqlEventStore } from '@yingpan/event-store';
import { describe, expect, it } from 'vitest';
import { createDomain } from '../src/commands.ts';
import { StateCache } from '../src/kernel/state-cache.ts';
import type { CommandContext } from '../src/kernel/messages.ts';

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
});
