import { randomUUID } from 'node:crypto';
import { testTargets, type TestDb } from '@yingpan/db/testing';
import { SqlEventStore } from '@yingpan/event-store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDomain, type Domain } from '../../src/commands.ts';
import type { Event } from '../../src/kernel/messages.ts';
import { pairingStream } from '../../src/pairing/decider.ts';
import { registry } from '../../src/registry.ts';
import { noRecords, trackRecords, type Records } from '../../src/review/records.ts';
import { contextAs, openCounty, type Holder } from '../activity/county.ts';

for (const target of testTargets) {
  describe.skipIf(target.skipReason !== null)(`pairings (结队帮带) on ${target.name}`, () => {
    let testDb: TestDb;
    let store: SqlEventStore;
    let domain: Domain;
    let mentor: Holder;
    let nextMentor: Holder;
    let menteeA: Holder;
    let menteeB: Holder;
    let lateMentee: Holder;
    let committeeMember: Holder;
    const pairingId = randomUUID();

    const execute = (name: string, input: object, context = contextAs('staff')) => domain.bus.execute(name, input, context);
    const records = async (): Promise<Records> =>
      (await store.readStream(pairingStream(pairingId))).reduce((current, stored) => trackRecords(current, registry.read<Event>(stored)), noRecords);
    const refused = async (expected: { code: string; field?: string }, name: string, input: object, context = contextAs('staff')) => {
      const head = await store.head();
      await expect(execute(name, input, context)).rejects.toMatchObject(expected);
      expect(await store.head()).toEqual(head);
    };
    const activity = (who: Holder, date: string, menteePersonIds = [menteeA.personId]) => ({
      pairingId,
      ...who,
      date,
      description: '共同接待选民，指导撰写建议',
      menteePersonIds,
    });

    beforeAll(async () => {
      testDb = await target.open();
      store = await SqlEventStore.open(testDb.db);
      domain = createDomain(store);
      const county = await openCounty(domain);
      mentor = await county.holder('周建国', 'deputy', true);
      nextMentor = await county.holder('吴敏', 'deputy', true);
      menteeA = await county.holder('郑小红', 'deputy', false);
      menteeB = await county.holder('冯大山', 'deputy', false);
      lateMentee = await county.holder('何云', 'deputy', false, '2022-09-01');
      committeeMember = await county.holder('陈明', 'committee-member', true);
    });
    afterAll(async () => {
      await testDb?.dispose();
    });

    it('forms a pairing in the mentor’s term, by staff only, with every mandate valid on its first day', async () => {
      const input = {
        pairingId,
        kind: 'deputy-mentoring',
        mentorPersonId: mentor.personId,
        mentorMandateId: mentor.mandateId,
        mentees: [menteeA, menteeB],
        startsOn: '2022-04-01',
      };
      await refused({ code: 'forbidden' }, 'FormPairing', input, contextAs('deputy', mentor.personId));
      await refused({ code: 'mandate-not-valid', field: 'mentees.1.mandateId' }, 'FormPairing', { ...input, mentees: [menteeA, lateMentee] });
      await refused({ code: 'mentor-not-public-servant-deputy' }, 'FormPairing', {
        ...input,
        mentorPersonId: menteeA.personId,
        mentorMandateId: menteeA.mandateId,
        mentees: [menteeB],
      });
      const outcome = await execute('FormPairing', input);
      expect(outcome.events[0]).toMatchObject({ type: 'PairingFormed', data: { kind: 'deputy-mentoring', mentees: [menteeA, menteeB] } });
      await refused({ code: 'pairing-exists' }, 'FormPairing', input);
    });

    it('forms a committee member’s liaison with deputies', async () => {
      const outcome = await execute('FormPairing', {
        pairingId: randomUUID(),
        kind: 'committee-liaison',
        mentorPersonId: committeeMember.personId,
        mentorMandateId: committeeMember.mandateId,
        mentees: [mentor, menteeA],
        startsOn: '2022-04-01',
      });
      expect(outcome.events[0]).toMatchObject({ type: 'PairingFormed', data: { kind: 'committee-liaison' } });
    });

    it('records staff’s entry of the mentor’s activity, approved', async () => {
      const outcome = await execute('RecordPairingActivity', activity(mentor, '2022-05-10'));
      expect(outcome.events[0]).toMatchObject({
        type: 'PairingActivityRecorded',
        data: { act: 'pairing-activity', declared: false, personId: mentor.personId },
      });
      const { recordId } = outcome.events[0]!.data as { recordId: string };
      expect((await records()).get(recordId)?.status).toBe('approved');
    });

    it('takes a mentee’s own declaration as pending, and ApproveRecord makes it count', async () => {
      const recordId = randomUUID();
      await execute('RecordPairingActivity', { ...activity(menteeA, '2022-05-10'), recordId }, contextAs('deputy', menteeA.personId));
      expect((await records()).get(recordId)?.status).toBe('pending');
      await execute('ApproveRecord', { streamId: pairingStream(pairingId), recordId }, contextAs('station-manager'));
      expect((await records()).get(recordId)?.status).toBe('approved');
    });

    it('refuses a declaration for someone else, an activity before the start, and a mandate not valid that day', async () => {
      await refused({ code: 'not-own-act' }, 'RecordPairingActivity', activity(mentor, '2022-05-10'), contextAs('deputy', menteeA.personId));
      await refused({ code: 'before-pairing-start' }, 'RecordPairingActivity', activity(mentor, '2022-03-01'));
      await refused({ code: 'mandate-not-valid' }, 'RecordPairingActivity', activity(mentor, '2021-12-01'));
      await refused({ code: 'not-in-pairing' }, 'RecordPairingActivity', activity(nextMentor, '2022-05-10'));
    });

    it('hands over to a new mentor, who then records activities', async () => {
      await refused({ code: 'mentor-not-public-servant-deputy' }, 'HandOverPairing', {
        pairingId,
        newMentorPersonId: committeeMember.personId,
        newMentorMandateId: committeeMember.mandateId,
        handedOverOn: '2023-01-10',
        reason: '原帮带人调离',
      });
      await execute('EndMandate', { mandateId: mentor.mandateId, endsOn: '2023-01-09', reason: 'transfer' });
      const outcome = await execute('HandOverPairing', {
        pairingId,
        newMentorPersonId: nextMentor.personId,
        newMentorMandateId: nextMentor.mandateId,
        handedOverOn: '2023-01-10',
        reason: '原帮带人调离',
      });
      expect(outcome.events[0]).toMatchObject({
        type: 'PairingHandedOver',
        data: { previousMentorPersonId: mentor.personId, newMentorPersonId: nextMentor.personId },
      });
      await execute('RecordPairingActivity', activity(nextMentor, '2023-02-01', [menteeA.personId, menteeB.personId]));
      await refused({ code: 'mandate-not-valid' }, 'RecordPairingActivity', activity(mentor, '2023-02-01'));
    });

    it('refuses a carry-over to a mandate that does not exist, naming the field, and writes nothing', async () => {
      await refused({ code: 'mandate-not-found', field: 'mentorMandateId' }, 'CarryOverPairing', {
        pairingId,
        carriedOverOn: '2023-01-01',
        mentorMandateId: randomUUID(),
        mentees: [],
        reason: '换届衔接',
      });
    });

    it('ends the pairing; afterwards no handover and no activity after its end', async () => {
      await refused({ code: 'forbidden' }, 'EndPairing', { pairingId, endedOn: '2023-12-31', reason: '帮带期满' }, contextAs('committee-member'));
      await refused({ code: 'activity-after-end' }, 'EndPairing', { pairingId, endedOn: '2023-01-31', reason: '帮带期满' });
      await execute('EndPairing', { pairingId, endedOn: '2023-12-31', reason: '帮带期满' });
      await refused({ code: 'pairing-ended' }, 'RecordPairingActivity', activity(nextMentor, '2024-01-05'));
      await refused({ code: 'pairing-ended' }, 'HandOverPairing', {
        pairingId,
        newMentorPersonId: committeeMember.personId,
        newMentorMandateId: committeeMember.mandateId,
        handedOverOn: '2024-01-10',
        reason: '交接',
      });
      await refused({ code: 'pairing-ended' }, 'EndPairing', { pairingId, endedOn: '2023-12-31', reason: '帮带期满' });
    });
  });
}
