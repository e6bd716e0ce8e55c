import { randomUUID } from 'node:crypto';
import { testTargets, type TestDb } from '@yingpan/db/testing';
import { SqlEventStore } from '@yingpan/event-store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activityStream } from '../../src/activity/decider.ts';
import { createDomain, type Domain } from '../../src/commands.ts';
import type { Event } from '../../src/kernel/messages.ts';
import { registry } from '../../src/registry.ts';
import { noRecords, trackRecords, type Records } from '../../src/review/records.ts';
import { contextAs, openCounty, type Holder } from './county.ts';

for (const target of testTargets) {
  describe.skipIf(target.skipReason !== null)(`organised activities on ${target.name}`, () => {
    let testDb: TestDb;
    let store: SqlEventStore;
    let domain: Domain;
    let deputy: Holder;
    let otherDeputy: Holder;
    let committeeMember: Holder;
    let officeStaff: Holder;
    let lateDeputy: Holder;
    const training = randomUUID();
    const inspection = randomUUID();
    const meeting = randomUUID();

    const execute = (name: string, input: object, context = contextAs('staff')) => domain.bus.execute(name, input, context);
    const records = async (activityId: string): Promise<Records> =>
      (await store.readStream(activityStream(activityId))).reduce((current, stored) => trackRecords(current, registry.read<Event>(stored)), noRecords);
    /** Runs a command that must be refused with `code`, and checks that nothing was written. */
    const refused = async (code: string, name: string, input: object, context = contextAs('staff')) => {
      const head = await store.head();
      await expect(execute(name, input, context)).rejects.toMatchObject({ code });
      expect(await store.head()).toEqual(head);
    };

    beforeAll(async () => {
      testDb = await target.open();
      store = await SqlEventStore.open(testDb.db);
      domain = createDomain(store);
      const county = await openCounty(domain);
      deputy = await county.holder('王芳', 'deputy', false);
      otherDeputy = await county.holder('赵强', 'deputy', true);
      committeeMember = await county.holder('陈明', 'committee-member', true);
      officeStaff = await county.holder('刘洋', 'office-staff', true);
      lateDeputy = await county.holder('孙丽', 'deputy', false, '2023-09-01');
      await execute('OrganiseTraining', { activityId: training, trainingType: 'induction-class', title: '新任代表履职培训班', date: '2022-03-15' });
      await execute('OrganiseActivity', {
        activityId: inspection,
        kind: 'inspection',
        forms: ['inspection', 'special-inquiry'],
        title: '农村饮水安全视察并专题询问',
        date: '2023-06-08',
        organiser: '县人大常委会农业农村工作委员会',
        township: '石羊镇',
      });
      await execute('OrganiseActivity', {
        activityId: meeting,
        kind: 'committee-meeting',
        title: '县人大常委会第十二次会议',
        date: '2023-06-20',
        organiser: '县人大常委会办公室',
      });
    });
    afterAll(async () => {
      await testDb?.dispose();
    });

    describe('trainings', () => {
      it('records staff’s entry of an attendance in a mandate: approved, with the training’s date', async () => {
        const outcome = await execute('RecordTrainingAttendance', {
          activityId: training,
          personId: committeeMember.personId,
          mandateId: committeeMember.mandateId,
        });
        expect(outcome.events.map((event) => event.data)).toEqual([
          expect.objectContaining({
            act: 'training',
            mandateId: committeeMember.mandateId,
            date: '2022-03-15',
            declared: false,
            trainingType: 'induction-class',
          }),
        ]);
        const { recordId } = outcome.events[0]!.data as { recordId: string };
        expect((await records(training)).get(recordId)?.status).toBe('approved');
      });

      it('records an attendance without a mandate, as the seed and the API do', async () => {
        const outcome = await execute('RecordTrainingAttendance', { activityId: training, personId: officeStaff.personId });
        expect(outcome.events[0]!.data).toMatchObject({ mandateId: null, personId: officeStaff.personId });
      });

      it('gives a retried command the same record id', async () => {
        const context = contextAs('staff');
        const first = await execute('RecordTrainingAttendance', { activityId: training, personId: otherDeputy.personId }, context);
        const retry = await execute('RecordTrainingAttendance', { activityId: training, personId: otherDeputy.personId }, context);
        expect(retry.duplicate).toBe(true);
        expect(retry.events.map((event) => event.data)).toEqual(first.events.map((event) => event.data));
      });

      it('takes a deputy’s own declaration as pending, and ApproveRecord makes it count', async () => {
        const outcome = await execute(
          'RecordTrainingAttendance',
          { activityId: training, personId: deputy.personId, mandateId: deputy.mandateId },
          contextAs('deputy', deputy.personId),
        );
        const { recordId, declared } = outcome.events[0]!.data as { recordId: string; declared: boolean };
        expect(declared).toBe(true);
        expect((await records(training)).get(recordId)?.status).toBe('pending');
        await execute('ApproveRecord', { streamId: activityStream(training), recordId });
        expect((await records(training)).get(recordId)?.status).toBe('approved');
      });

      it('refuses a mandate not valid on the training’s date, a declaration for someone else, and a participation', async () => {
        await refused('mandate-not-valid', 'RecordTrainingAttendance', {
          activityId: training,
          personId: lateDeputy.personId,
          mandateId: lateDeputy.mandateId,
        });
        await refused('not-own-act', 'RecordTrainingAttendance', { activityId: training, personId: lateDeputy.personId }, contextAs('deputy', deputy.personId));
        await refused('is-a-training', 'RecordParticipation', { activityId: training, ...deputy });
        await refused('is-a-training', 'CancelActivity', { activityId: training, reason: '改期' });
      });
    });

    describe('supervision activities and meetings', () => {
      it('defaults a supervision activity’s forms to its own kind, and refuses forms without it', async () => {
        const activityId = randomUUID();
        const outcome = await execute('OrganiseActivity', {
          activityId,
          kind: 'research',
          title: '优化营商环境调研',
          date: '2023-05-10',
          organiser: '县人大常委会办公室',
        });
        expect(outcome.events[0]!.data).toMatchObject({ kind: 'research', forms: ['research'], township: null });
        await refused('forms-without-kind', 'OrganiseActivity', {
          activityId: randomUUID(),
          kind: 'research',
          forms: ['report-deliberation'],
          title: '调研',
          date: '2023-05-10',
          organiser: '办公室',
        });
        await refused(
          'forbidden',
          'OrganiseActivity',
          { activityId: randomUUID(), kind: 'research', title: '调研', date: '2023-05-10', organiser: '办公室' },
          contextAs('deputy', deputy.personId),
        );
      });

      it('records staff’s entry of a participation as the activity’s act, approved', async () => {
        const outcome = await execute('RecordParticipation', { activityId: inspection, ...committeeMember });
        expect(outcome.events.map((event) => [event.type, event.data])).toEqual([
          ['ParticipationRecorded', expect.objectContaining({ act: 'inspection', date: '2023-06-08', declared: false, personId: committeeMember.personId })],
        ]);
        const { recordId } = outcome.events[0]!.data as { recordId: string };
        expect((await records(inspection)).get(recordId)?.status).toBe('approved');
      });

      it('takes a deputy’s own declared participation as pending, and ApproveRecord makes it count', async () => {
        const recordId = randomUUID();
        await execute('RecordParticipation', { activityId: inspection, ...deputy, recordId }, contextAs('deputy', deputy.personId));
        expect((await records(inspection)).get(recordId)?.status).toBe('pending');
        await execute('ApproveRecord', { streamId: activityStream(inspection), recordId }, contextAs('committee-member', committeeMember.personId));
        expect((await records(inspection)).get(recordId)?.status).toBe('approved');
      });

      it('refuses a second record of the same person, a declaration for someone else, and a mandate not valid or not theirs', async () => {
        await refused('already-recorded', 'RecordAbsence', { activityId: inspection, ...deputy, act: 'absence-with-leave' });
        await refused('not-own-act', 'RecordParticipation', { activityId: inspection, ...otherDeputy }, contextAs('deputy', deputy.personId));
        await refused('mandate-not-valid', 'RecordParticipation', { activityId: inspection, ...lateDeputy });
        await refused('mandate-of-other-person', 'RecordParticipation', {
          activityId: inspection,
          personId: otherDeputy.personId,
          mandateId: officeStaff.mandateId,
        });
        await refused('activity-not-found', 'RecordParticipation', { activityId: randomUUID(), ...otherDeputy });
      });

      it('records an absence by staff only', async () => {
        await refused(
          'forbidden',
          'RecordAbsence',
          { activityId: inspection, ...otherDeputy, act: 'absence-with-leave' },
          contextAs('deputy', otherDeputy.personId),
        );
        const outcome = await execute(
          'RecordAbsence',
          { activityId: inspection, ...otherDeputy, act: 'absence-with-leave', reason: '因公出差' },
          contextAs('station-manager'),
        );
        expect(outcome.events[0]).toMatchObject({ type: 'AbsenceRecorded', data: { act: 'absence-with-leave', reason: '因公出差', declared: false } });
      });

      it('records deputies attending a committee meeting (列席) and refuses others', async () => {
        const outcome = await execute('RecordParticipation', { activityId: meeting, ...deputy });
        expect(outcome.events[0]!.data).toMatchObject({ act: 'committee-meeting-attendance', date: '2023-06-20' });
        await refused('attendance-deputies-only', 'RecordParticipation', { activityId: meeting, ...committeeMember });
      });

      it('cancels an activity: earlier records stay, nothing more is recorded, and it cannot be cancelled twice', async () => {
        const before = await records(meeting);
        await execute('CancelActivity', { activityId: meeting, reason: '会议改期' });
        expect(await records(meeting)).toEqual(before);
        await refused('activity-cancelled', 'RecordParticipation', { activityId: meeting, ...otherDeputy });
        await refused('already-cancelled', 'CancelActivity', { activityId: meeting, reason: '会议改期' });
        await refused('forbidden', 'CancelActivity', { activityId: inspection, reason: '取消' }, contextAs('station-manager'));
      });
    });
  });
}
