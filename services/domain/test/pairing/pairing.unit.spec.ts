import { describe, it } from 'vitest';
import { pairingDecider, type PairingCommand, type PairingMember } from '../../src/pairing/decider.ts';
import type { PairingEvent } from '../../src/pairing/events.ts';
import { spec } from '../spec.ts';

const pairingId = '9a6f0b0e-3b7e-4d53-9a59-1a2b3c4d5e6f';
const termId = '8b6f0b0e-3b7e-4d53-9a59-1a2b3c4d5e6f';
const recordId = '3c8fad5b-d9cb-469f-a165-70867728950e';
const otherRecordId = '4d8fad5b-d9cb-469f-a165-70867728950e';
const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

const member = (n: number, kind: PairingMember['kind'], publicServant: boolean): PairingMember => ({
  personId: uuid(n),
  mandateId: uuid(100 + n),
  termId,
  kind,
  publicServant,
});
const committeeMember = member(1, 'committee-member', true);
const publicServantDeputy = member(2, 'deputy', true);
const otherPublicServantDeputy = member(3, 'deputy', true);
const deputyA = member(4, 'deputy', false);
const deputyB = member(5, 'deputy', false);
const officeStaff = member(6, 'office-staff', true);
const stranger = member(7, 'deputy', false);

const pairings = spec(pairingDecider);
const form = (data: Partial<Extract<PairingCommand, { type: 'FormPairing' }>['data']> = {}): PairingCommand => ({
  type: 'FormPairing',
  data: { pairingId, kind: 'deputy-mentoring', mentor: publicServantDeputy, mentees: [deputyA, deputyB], startsOn: '2022-04-01', ...data },
});
const formed: PairingEvent = {
  type: 'PairingFormed',
  data: {
    pairingId,
    kind: 'deputy-mentoring',
    termId,
    mentorPersonId: publicServantDeputy.personId,
    mentorMandateId: publicServantDeputy.mandateId,
    mentees: [deputyA, deputyB].map(({ personId, mandateId }) => ({ personId, mandateId })),
    startsOn: '2022-04-01',
  },
};
type ActivityData = Extract<PairingCommand, { type: 'RecordPairingActivity' }>['data'];
const activity = (who: PairingMember, data: Partial<ActivityData> = {}): ActivityData => ({
  pairingId,
  recordId,
  personId: who.personId,
  mandateId: who.mandateId,
  date: '2022-05-10',
  declared: false,
  description: '共同走访选民，指导撰写代表建议',
  menteePersonIds: [deputyA.personId],
  ...data,
});
const recordActivity = (who: PairingMember, data: Partial<ActivityData> = {}): PairingCommand => ({ type: 'RecordPairingActivity', data: activity(who, data) });
const activityRecorded = (who: PairingMember, data: Partial<ActivityData> = {}): PairingEvent => ({
  type: 'PairingActivityRecorded',
  data: { ...activity(who, data), act: 'pairing-activity' },
});
const handOver = (newMentor: PairingMember, handedOverOn = '2023-01-10'): PairingCommand => ({
  type: 'HandOverPairing',
  data: { pairingId, newMentor, handedOverOn, reason: '原帮带人任职终止' },
});
const handedOver: PairingEvent = {
  type: 'PairingHandedOver',
  data: {
    pairingId,
    previousMentorPersonId: publicServantDeputy.personId,
    newMentorPersonId: otherPublicServantDeputy.personId,
    newMentorMandateId: otherPublicServantDeputy.mandateId,
    handedOverOn: '2023-01-10',
    reason: '原帮带人任职终止',
  },
};
const end = (endedOn = '2023-12-31'): PairingCommand => ({ type: 'EndPairing', data: { pairingId, endedOn, reason: '帮带期满' } });
const ended: PairingEvent = { type: 'PairingEnded', data: { pairingId, endedOn: '2023-12-31', reason: '帮带期满' } };

describe('when no pairing exists', () => {
  it('forms a public-servant deputy helping two non-public-servant deputies (一帮多), in the mentor’s term', () => {
    pairings.given([]).when(form()).then([formed]);
  });
  it('forms a committee member liaising with deputies (联系代表), public servants or not', () => {
    pairings
      .given([])
      .when(form({ kind: 'committee-liaison', mentor: committeeMember, mentees: [publicServantDeputy, deputyA] }))
      .then([
        {
          type: 'PairingFormed',
          data: {
            ...formed.data,
            kind: 'committee-liaison',
            mentorPersonId: committeeMember.personId,
            mentorMandateId: committeeMember.mandateId,
            mentees: [publicServantDeputy, deputyA].map(({ personId, mandateId }) => ({ personId, mandateId })),
          },
        },
      ]);
  });
  it('rejects a liaison mentor who is not a committee member', () => {
    pairings
      .given([])
      .when(form({ kind: 'committee-liaison', mentor: publicServantDeputy }))
      .thenRejects('mentor-not-committee-member');
  });
  it('rejects a non-public-servant deputy as mentor', () => {
    pairings
      .given([])
      .when(form({ mentor: deputyA, mentees: [deputyB] }))
      .thenRejects('mentor-not-public-servant-deputy');
  });
  it('rejects a committee member as a deputy-mentoring mentor', () => {
    pairings
      .given([])
      .when(form({ mentor: committeeMember }))
      .thenRejects('mentor-not-public-servant-deputy');
  });
  it('rejects a pairing with no mentee', () => {
    pairings
      .given([])
      .when(form({ mentees: [] }))
      .thenRejects('no-mentees');
  });
  it('rejects a mentee listed twice', () => {
    pairings
      .given([])
      .when(form({ mentees: [deputyA, deputyA] }))
      .thenRejects('duplicate-mentee');
  });
  it('rejects a mentor mentoring themself', () => {
    pairings
      .given([])
      .when(form({ kind: 'committee-liaison', mentor: committeeMember, mentees: [committeeMember] }))
      .thenRejects('self-mentoring');
  });
  it('rejects a mentee who is not a deputy', () => {
    pairings
      .given([])
      .when(form({ kind: 'committee-liaison', mentor: committeeMember, mentees: [officeStaff] }))
      .thenRejects('mentee-not-deputy');
  });
  it('rejects a public-servant deputy as a mentee of deputy mentoring', () => {
    pairings
      .given([])
      .when(form({ mentees: [deputyA, otherPublicServantDeputy] }))
      .thenRejects('mentee-public-servant');
  });
  it('rejects an activity', () => {
    pairings.given([]).when(recordActivity(publicServantDeputy)).thenRejects('pairing-not-found');
  });
  it('rejects a handover', () => {
    pairings.given([]).when(handOver(otherPublicServantDeputy)).thenRejects('pairing-not-found');
  });
  it('rejects ending it', () => {
    pairings.given([]).when(end()).thenRejects('pairing-not-found');
  });
});

describe('when the pairing is formed', () => {
  const given = pairings.given([formed]);
  it('rejects forming it again', () => {
    given.when(form()).thenRejects('pairing-exists');
  });
  it('records the mentor’s part in an activity', () => {
    given.when(recordActivity(publicServantDeputy)).then([activityRecorded(publicServantDeputy)]);
  });
  it('records a mentee’s own declared part', () => {
    given.when(recordActivity(deputyA, { declared: true })).then([activityRecorded(deputyA, { declared: true })]);
  });
  it('records an activity on its first day', () => {
    given.when(recordActivity(publicServantDeputy, { date: '2022-04-01' })).then([activityRecorded(publicServantDeputy, { date: '2022-04-01' })]);
  });
  it('rejects an activity before it started', () => {
    given.when(recordActivity(publicServantDeputy, { date: '2022-03-31' })).thenRejects('before-pairing-start');
  });
  it('rejects an activity naming no mentee', () => {
    given.when(recordActivity(publicServantDeputy, { menteePersonIds: [] })).thenRejects('no-mentees');
  });
  it('rejects an activity naming a mentee twice', () => {
    given.when(recordActivity(publicServantDeputy, { menteePersonIds: [deputyA.personId, deputyA.personId] })).thenRejects('duplicate-mentee');
  });
  it('rejects an activity naming someone who is not a mentee', () => {
    given.when(recordActivity(publicServantDeputy, { menteePersonIds: [stranger.personId] })).thenRejects('not-a-mentee');
  });
  it('rejects a mentee’s record that does not list them among those involved', () => {
    given.when(recordActivity(deputyB, { menteePersonIds: [deputyA.personId] })).thenRejects('mentee-not-involved');
  });
  it('rejects a record for someone outside the pairing', () => {
    given.when(recordActivity(stranger)).thenRejects('not-in-pairing');
  });
  it('hands it over to another public-servant deputy', () => {
    given.when(handOver(otherPublicServantDeputy)).then([handedOver]);
  });
  it('rejects a handover on or before the current mentor’s start', () => {
    given.when(handOver(otherPublicServantDeputy, '2022-04-01')).thenRejects('handover-date');
  });
  it('rejects a handover to the current mentor', () => {
    given.when(handOver(publicServantDeputy)).thenRejects('same-mentor');
  });
  it('rejects a handover to one of its mentees', () => {
    given.when(handOver(deputyA)).thenRejects('self-mentoring');
  });
  it('rejects a new mentor who breaks the mentor rule of the pairing’s kind', () => {
    given.when(handOver(committeeMember)).thenRejects('mentor-not-public-servant-deputy');
  });
  it('ends it', () => {
    given.when(end()).then([ended]);
  });
  it('rejects an end before it started', () => {
    given.when(end('2022-03-31')).thenRejects('end-before-start');
  });
});

describe('when a committee liaison is formed', () => {
  it('rejects a handover to someone who is not a committee member', () => {
    pairings
      .given([
        {
          type: 'PairingFormed',
          data: { ...formed.data, kind: 'committee-liaison', mentorPersonId: committeeMember.personId, mentorMandateId: committeeMember.mandateId },
        },
      ])
      .when(handOver(otherPublicServantDeputy))
      .thenRejects('mentor-not-committee-member');
  });
});

describe('when an activity is recorded', () => {
  const given = pairings.given([formed, activityRecorded(publicServantDeputy, { date: '2023-03-01' })]);
  it('rejects a record id already in use', () => {
    given.when(recordActivity(deputyA)).thenRejects('record-exists');
  });
  it('records the same mentor again for another activity', () => {
    given.when(recordActivity(publicServantDeputy, { recordId: otherRecordId })).then([activityRecorded(publicServantDeputy, { recordId: otherRecordId })]);
  });
  it('rejects an end before that activity', () => {
    given.when(end('2023-02-28')).thenRejects('activity-after-end');
  });
});

describe('when that activity was retracted', () => {
  it('accepts an end before it', () => {
    pairings
      .given([formed, activityRecorded(publicServantDeputy, { date: '2023-03-01' }), { type: 'RecordRetracted', data: { recordId, reason: '日期有误' } }])
      .when(end('2023-02-28'))
      .then([{ type: 'PairingEnded', data: { pairingId, endedOn: '2023-02-28', reason: '帮带期满' } }]);
  });
});

describe('when the pairing was handed over', () => {
  const given = pairings.given([formed, handedOver]);
  it('records the new mentor’s activity', () => {
    given.when(recordActivity(otherPublicServantDeputy, { date: '2023-02-01' })).then([activityRecorded(otherPublicServantDeputy, { date: '2023-02-01' })]);
  });
  it('records a late activity of the old mentor from before the handover', () => {
    given.when(recordActivity(publicServantDeputy, { date: '2022-12-01' })).then([activityRecorded(publicServantDeputy, { date: '2022-12-01' })]);
  });
  it('rejects an activity of the old mentor after the handover', () => {
    given.when(recordActivity(publicServantDeputy, { date: '2023-02-01' })).thenRejects('not-in-pairing');
  });
  it('rejects an activity of the new mentor before the handover', () => {
    given.when(recordActivity(otherPublicServantDeputy, { date: '2022-12-01' })).thenRejects('not-in-pairing');
  });
  it('rejects handing it back before the new mentor’s start', () => {
    given.when(handOver(publicServantDeputy, '2023-01-05')).thenRejects('handover-date');
  });
  it('rejects an end before the handover', () => {
    given.when(end('2023-01-09')).thenRejects('end-before-start');
  });
});

describe('when the pairing has ended', () => {
  const given = pairings.given([formed, ended]);
  it('rejects a new activity after its end', () => {
    given.when(recordActivity(publicServantDeputy, { date: '2024-01-02' })).thenRejects('pairing-ended');
  });
  it('records a late activity that happened before its end', () => {
    given.when(recordActivity(publicServantDeputy, { date: '2023-12-31' })).then([activityRecorded(publicServantDeputy, { date: '2023-12-31' })]);
  });
  it('rejects a handover', () => {
    given.when(handOver(otherPublicServantDeputy, '2024-01-10')).thenRejects('pairing-ended');
  });
  it('rejects ending it again', () => {
    given.when(end()).thenRejects('pairing-ended');
  });
});
