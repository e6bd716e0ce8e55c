/**
 * An activity with its sign-in sheet through the bus, on a real store: the look-ups (the person is
 * known, the seat is theirs and valid on the date) refuse the whole sheet at the place of the first
 * person refused, and then nothing is written; accepted, the activity and every record land on the
 * activity's stream in one append.
 */
import { randomUUID } from 'node:crypto';
import { testTargets, type TestDb } from '@yingpan/db/testing';
import { SqlEventStore } from '@yingpan/event-store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activityStream } from '../../src/activity/decider.ts';
import { createDomain, type Domain } from '../../src/commands.ts';
import { contextAs, openCounty, type Holder } from './county.ts';

for (const target of testTargets) {
  describe.skipIf(target.skipReason !== null)(`an activity with its sign-in sheet on ${target.name}`, () => {
    let testDb: TestDb;
    let store: SqlEventStore;
    let domain: Domain;
    let deputy: Holder;
    let otherDeputy: Holder;
    let staffMember: Holder;
    let lateDeputy: Holder;

    const execute = (name: string, input: object, context = contextAs('staff')) => domain.bus.execute(name, input, context);
    /** Runs a command that must be refused with `code` on `field`, and checks that nothing was written. */
    const refused = async (name: string, input: object, expected: { code: string; field?: string | null }, context = contextAs('staff')) => {
      const head = await store.head();
      await expect(execute(name, input, context)).rejects.toMatchObject(expected);
      expect(await store.head()).toEqual(head);
    };
    const seat = (holder: Holder) => ({ personId: holder.personId, mandateId: holder.mandateId });

    beforeAll(async () => {
      testDb = await target.open();
      store = await SqlEventStore.open(testDb.db);
      domain = createDomain(store);
      const county = await openCounty(domain);
      deputy = await county.holder('王芳', 'deputy', false);
      otherDeputy = await county.holder('赵强', 'deputy', true);
      staffMember = await county.holder('刘洋', 'office-staff', true);
      lateDeputy = await county.holder('孙丽', 'deputy', false, '2023-09-01');
    });
    afterAll(async () => {
      await testDb?.dispose();
    });

    const training = (attendees: object[], activityId = randomUUID()) => ({
      activityId,
      trainingType: 'induction-class',
      title: '新任代表履职培训班',
      date: '2023-05-20',
      attendees,
    });

    it('records a training and its three attendees in one append on the activity’s stream', async () => {
      const input = training([seat(deputy), seat(otherDeputy), seat(staffMember)]);
      const head = await store.head();
      const outcome = await execute('OrganiseTrainingWithAttendance', input);
      expect(outcome.events.map((event) => event.type)).toEqual([
        'TrainingOrganised',
        'TrainingAttendanceRecorded',
        'TrainingAttendanceRecorded',
        'TrainingAttendanceRecorded',
      ]);
      expect(new Set(outcome.events.map((event) => event.streamId))).toEqual(new Set([activityStream(input.activityId)]));
      expect(outcome.events.map((event) => event.position)).toEqual([1, 2, 3, 4].map((n) => head.position + n));
      expect(outcome.events.slice(1).map((event) => event.data)).toEqual(
        [deputy, otherDeputy, staffMember].map((holder) =>
          expect.objectContaining({ personId: holder.personId, mandateId: holder.mandateId, date: '2023-05-20', declared: false, act: 'training' }),
        ),
      );
      const recordIds = outcome.events.slice(1).map((event) => (event.data as { recordId: string }).recordId);
      expect(new Set(recordIds).size).toBe(3);
    });

    it('writes nothing more for a retry with the same command id, and gives the same record ids', async () => {
      const context = contextAs('staff');
      const input = training([seat(deputy), seat(otherDeputy)]);
      const first = await execute('OrganiseTrainingWithAttendance', input, context);
      const head = await store.head();
      const retry = await execute('OrganiseTrainingWithAttendance', input, context);
      expect(retry.duplicate).toBe(true);
      expect(retry.events.map((event) => event.id)).toEqual(first.events.map((event) => event.id));
      expect(await store.head()).toEqual(head);
    });

    it('refuses the whole sheet for one unknown person, at that person’s place, and writes nothing', async () => {
      const input = training([seat(deputy), { personId: randomUUID(), mandateId: randomUUID() }, seat(otherDeputy)]);
      await refused('OrganiseTrainingWithAttendance', input, { code: 'person-not-found', field: 'attendees.1.personId' });
      expect(await store.streamVersion(activityStream(input.activityId))).toBe(0);
    });

    it('refuses the whole sheet for a person whose seat was not held on the date, naming the line', async () => {
      const input = training([seat(deputy), seat(otherDeputy), seat(lateDeputy)]);
      const head = await store.head();
      await expect(execute('OrganiseTrainingWithAttendance', input)).rejects.toMatchObject({
        code: 'mandate-not-valid',
        field: 'attendees.2.mandateId',
        messages: { zh: expect.stringMatching(/^第 3 位参训人员：2023-05-20 不在该任职期间/) },
      });
      expect(await store.head()).toEqual(head);
    });

    it('refuses a seat that belongs to someone else, and a person listed twice', async () => {
      await refused('OrganiseTrainingWithAttendance', training([seat(deputy), { personId: otherDeputy.personId, mandateId: deputy.mandateId }]), {
        code: 'mandate-of-other-person',
        field: 'attendees.1.mandateId',
      });
      await refused('OrganiseTrainingWithAttendance', training([seat(deputy), seat(otherDeputy), seat(deputy)]), {
        code: 'already-attended',
        field: 'attendees.2.personId',
      });
    });

    it('refuses an activity id already used, and an empty sheet at the input', async () => {
      const activityId = randomUUID();
      await execute('OrganiseTrainingWithAttendance', training([seat(deputy)], activityId));
      await refused('OrganiseTrainingWithAttendance', training([seat(otherDeputy)], activityId), { code: 'activity-exists' });
      await refused('OrganiseTrainingWithAttendance', training([]), { code: 'invalid-input', field: 'attendees' });
    });

    it('is for staff: a deputy cannot record a sheet', async () => {
      await refused('OrganiseTrainingWithAttendance', training([seat(deputy)]), { code: 'forbidden' }, contextAs('deputy', deputy.personId));
    });

    it('records a research visit with who took part and who was on leave; refuses it whole for a late seat among the absentees', async () => {
      const activity = {
        kind: 'research',
        title: '农村人居环境整治调研',
        date: '2023-06-01',
        organiser: '县人大常委会农业农村工作委员会',
        township: '石羊镇',
      };
      const activityId = randomUUID();
      const outcome = await execute('OrganiseActivityWithParticipants', {
        activityId,
        ...activity,
        participants: [seat(deputy), seat(otherDeputy)],
        absentees: [{ ...seat(staffMember), act: 'absence-with-leave', reason: '因公出差' }],
      });
      expect(outcome.events.map((event) => [event.type, (event.data as { act?: string }).act])).toEqual([
        ['ActivityOrganised', undefined],
        ['ParticipationRecorded', 'research'],
        ['ParticipationRecorded', 'research'],
        ['AbsenceRecorded', 'absence-with-leave'],
      ]);
      expect(outcome.events[0]!.data).toMatchObject({ forms: ['research'] });
      expect(outcome.events[3]!.data).toMatchObject({ personId: staffMember.personId, reason: '因公出差' });

      const late = { activityId: randomUUID(), ...activity, participants: [seat(deputy)], absentees: [{ ...seat(lateDeputy), act: 'absence-without-leave' }] };
      await refused('OrganiseActivityWithParticipants', late, { code: 'mandate-not-valid', field: 'absentees.0.mandateId' });
      expect(await store.streamVersion(activityStream(late.activityId))).toBe(0);
    });
  });
}
