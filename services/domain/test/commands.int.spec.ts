import { randomUUID } from 'node:crypto';
import { testTargets, type TestDb } from '@yingpan/db/testing';
import { SqlEventStore, type AppendRequest, type EventStore } from '@yingpan/event-store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activityStream } from '../src/activity/decider.ts';
import { legacyAttendanceRecordId } from '../src/activity/events.ts';
import { createDomain, type Domain } from '../src/commands.ts';
import { DomainError, ValidationError } from '../src/kernel/errors.ts';
import type { CommandContext } from '../src/kernel/messages.ts';
import { registry } from '../src/registry.ts';

/**
 * The store with its appends held at a gate until `open()`: what the bus handed over meanwhile is in
 * `handed`; with `failFirst`, the first append fails once the gate opens (a database lost mid-append).
 */
function gatedStore(inner: SqlEventStore, { failFirst = false } = {}) {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  const handed: AppendRequest[] = [];
  const store = new Proxy(inner, {
    get(target, property) {
      if (property === 'append') {
        return async (request: AppendRequest) => {
          handed.push(request);
          const fails = failFirst && handed.length === 1;
          await gate;
          if (fails) throw new Error('the connection was lost');
          return target.append(request);
        };
      }
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  }) as EventStore;
  return { store, handed, open };
}

const context = (commandId = randomUUID()): CommandContext => ({
  commandId,
  actor: { personId: 'staff-1', role: 'staff' },
  occurredAt: '2022-03-15T01:00:00.000Z',
});

for (const target of testTargets) {
  describe.skipIf(target.skipReason !== null)(`commands on ${target.name}`, () => {
    let testDb: TestDb;
    let store: SqlEventStore;
    let domain: Domain;
    const personId = randomUUID();
    const activityId = randomUUID();

    beforeAll(async () => {
      testDb = await target.open();
      store = await SqlEventStore.open(testDb.db);
      domain = createDomain(store);
      await domain.bus.execute('RegisterPerson', { personId, name: '李四' }, context());
      await domain.bus.execute('OrganiseTraining', { activityId, trainingType: 'expert-lecture', title: '宪法专题讲座', date: '2022-03-15' }, context());
    });
    afterAll(async () => {
      await testDb?.dispose();
    });

    it('records an attendance and treats a retry with the same command id as the same act', async () => {
      const commandId = randomUUID();
      const first = await domain.bus.execute('RecordTrainingAttendance', { activityId, personId }, context(commandId));
      expect(first.duplicate).toBe(false);
      expect(first.events.map((event) => event.type)).toEqual(['TrainingAttendanceRecorded']);
      const retry = await domain.bus.execute('RecordTrainingAttendance', { activityId, personId }, context(commandId));
      expect(retry).toMatchObject({ duplicate: true });
      expect(retry.events.map((event) => event.id)).toEqual(first.events.map((event) => event.id));
      expect(await store.streamVersion(activityStream(activityId))).toBe(2);
    });

    it('queues concurrent commands on one stream inside the process: every one recorded, none refused for the race', async () => {
      const people: string[] = await Promise.all(
        Array.from({ length: 40 }, async (_, i) => {
          const id = randomUUID();
          await domain.bus.execute('RegisterPerson', { personId: id, name: `并发代表${i}` }, context());
          return id;
        }),
      );
      const outcomes = await Promise.allSettled(people.map((id) => domain.bus.execute('RecordTrainingAttendance', { activityId, personId: id }, context())));
      expect(outcomes.filter((outcome) => outcome.status === 'rejected')).toEqual([]);
      const recorded = (await store.readStream(activityStream(activityId))).filter((event) => people.includes((event.data as { personId: string }).personId));
      expect(recorded).toHaveLength(people.length);
    });

    describe('when commands of one stream arrive while the one ahead is still being appended', () => {
      const training = async () => {
        const id = randomUUID();
        await domain.bus.execute('OrganiseTraining', { activityId: id, trainingType: 'expert-lecture', title: '预算审查培训', date: '2022-03-15' }, context());
        return id;
      };
      const attendees = (count: number) =>
        Promise.all(
          Array.from({ length: count }, async (_, i) => {
            const id = randomUUID();
            await domain.bus.execute('RegisterPerson', { personId: id, name: `排队代表${i}` }, context());
            return id;
          }),
        );
      const waitFor = async (done: () => boolean) => {
        for (let i = 0; i < 500 && !done(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
      };

      it('hands each to the store behind the one ahead without waiting for it to be stored, and stores all in order', async () => {
        const training1 = await training();
        const people = await attendees(3);
        const gated = gatedStore(store);
        const pipelined = createDomain(gated.store);
        const running = people.map((id) => pipelined.bus.execute('RecordTrainingAttendance', { activityId: training1, personId: id }, context()));
        await waitFor(() => gated.handed.length === 3);
        // All three decided and handed over while none was stored, each expecting the version the one ahead reaches.
        expect(gated.handed.map((request) => request.expectedVersion)).toEqual([1, 2, 3]);
        gated.open();
        const outcomes = await Promise.all(running);
        // (In the order they took the turn, which their lookups, run before it and at once, may change.)
        expect(outcomes.map((outcome) => outcome.events[0]!.streamVersion).sort()).toEqual([2, 3, 4]);
      });

      it('refuses a second attendance of the same person only once the first is stored', async () => {
        const training1 = await training();
        const [person] = await attendees(1);
        const gated = gatedStore(store);
        const pipelined = createDomain(gated.store);
        const contested = Array.from({ length: 8 }, () =>
          pipelined.bus.execute('RecordTrainingAttendance', { activityId: training1, personId: person }, context()),
        );
        await waitFor(() => gated.handed.length === 1);
        gated.open();
        const outcomes = await Promise.allSettled(contested);
        expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
        const refusals = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as DomainError] : []));
        expect(refusals.map((refusal) => refusal.code)).toEqual(Array(7).fill('already-attended'));
      });

      it('decides again, and records, a command refused over an event whose append then failed', async () => {
        const training1 = await training();
        const [person] = await attendees(1);
        const gated = gatedStore(store, { failFirst: true });
        const pipelined = createDomain(gated.store);
        const first = pipelined.bus.execute('RecordTrainingAttendance', { activityId: training1, personId: person }, context());
        const second = pipelined.bus.execute('RecordTrainingAttendance', { activityId: training1, personId: person }, context());
        await waitFor(() => gated.handed.length === 1);
        gated.open();
        // Either may take the stream's turn first (their lookups run before it, at once): the one that does
        // loses its append, and the other, refused over the event that was never stored, is decided again.
        const [a, b] = await Promise.allSettled([first, second]);
        const failed = [a, b].filter((outcome) => outcome.status === 'rejected');
        expect(failed).toHaveLength(1);
        expect(String((failed[0] as PromiseRejectedResult).reason)).toContain('the connection was lost');
        const recorded = ([a, b].find((outcome) => outcome.status === 'fulfilled') as PromiseFulfilledResult<Awaited<typeof first>>).value;
        expect(recorded.events.map((event) => event.type)).toEqual(['TrainingAttendanceRecorded']);
        const stored = (await store.readStream(activityStream(training1))).filter((event) => event.type === 'TrainingAttendanceRecorded');
        expect(stored).toHaveLength(1);
      });
    });

    it('rejects a second attendance under a new command id, and writes nothing', async () => {
      const head = await store.head();
      await expect(domain.bus.execute('RecordTrainingAttendance', { activityId, personId }, context())).rejects.toMatchObject({ code: 'already-attended' });
      expect(await store.head()).toEqual(head);
    });

    it('rejects bad input with field messages, and an unknown person, writing nothing', async () => {
      const head = await store.head();
      const bad = domain.bus.execute('RecordTrainingAttendance', { activityId: 'x', personId }, context());
      await expect(bad).rejects.toBeInstanceOf(ValidationError);
      await expect(bad).rejects.toMatchObject({ field: 'activityId' });
      await expect(domain.bus.execute('RecordTrainingAttendance', { activityId, personId: randomUUID() }, context())).rejects.toMatchObject({
        code: 'person-not-found',
      });
      await expect(
        domain.bus.execute('OrganiseTraining', { activityId, trainingType: 'nope', title: 't', date: '2022-01-01' }, context()),
      ).rejects.toBeInstanceOf(DomainError);
      expect(await store.head()).toEqual(head);
    });

    it('reads a stored version-1 event through today’s code', async () => {
      const old = randomUUID();
      const metadata = { recordedBy: { personId: 's', role: 'staff' }, occurredAt: '2019-05-01T00:00:00.000Z', correlationId: 'c', causationId: null };
      await store.append({
        streamId: activityStream(old),
        expectedVersion: 'no_stream',
        events: [
          {
            id: randomUUID(),
            type: 'TrainingOrganised',
            schemaVersion: 1,
            data: { activityId: old, trainingType: 'station-study', title: '进站学习', date: '2019-05-01' },
            metadata,
          },
          { id: randomUUID(), type: 'TrainingAttendanceRecorded', schemaVersion: 1, data: { activityId: old, personId, type: 'station-study' }, metadata },
        ],
      });
      const [, stored] = await store.readStream(activityStream(old));
      expect(stored!.schemaVersion).toBe(1);
      expect(registry.read(stored!)).toEqual({
        type: 'TrainingAttendanceRecorded',
        data: {
          activityId: old,
          personId,
          trainingType: 'station-study',
          recordId: legacyAttendanceRecordId(old, personId),
          act: 'training',
          mandateId: null,
          date: null,
          declared: false,
        },
      });
    });
  });
}
