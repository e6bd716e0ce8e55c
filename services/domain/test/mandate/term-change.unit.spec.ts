/** What a term's close ends, and what goes on with a re-elected holder's new mandate: each stream's rule. */
import { describe, expect, it } from 'vitest';
import { heldOn } from '../../src/mandate/acting.ts';
import { mandateDecider, type TermState } from '../../src/mandate/decider.ts';
import type { MandateEvent } from '../../src/mandate/events.ts';
import { pairingDecider, type PairingCommand, type PairingMember } from '../../src/pairing/decider.ts';
import type { PairingEvent } from '../../src/pairing/events.ts';
import { stationDecider, type StationCommand } from '../../src/station/decider.ts';
import { spec } from '../spec.ts';
import {
  chairId,
  chairMandateId,
  deputyAssigned,
  deputyId,
  deputyMandateId,
  deputyUnassigned,
  established,
  managerAssigned,
  stationId,
  visitRecorded,
} from '../station/fixtures.ts';

const termId = '11111111-1111-4111-8111-111111111111';
const nextTermId = '11111111-1111-4111-8111-111111111112';
const mandateId = '22222222-2222-4222-8222-222222222222';
const personId = '33333333-3333-4333-8333-333333333333';
const newMandateId = '22222222-2222-4222-8222-222222222223';
const closedTerm: TermState = { status: 'closed', termId, number: 18, startsOn: '2021-10-01', plannedEndOn: '2026-09-30', closedOn: '2026-11-19' };
const started: MandateEvent = {
  type: 'MandateStarted',
  data: {
    mandateId,
    personId,
    termId,
    kind: 'deputy',
    level: 'county',
    district: '第三选区',
    township: '岳阳镇',
    portfolio: null,
    publicServant: false,
    startsOn: '2021-10-01',
    byElection: false,
  },
};

describe('the one rule for who holds what on a day', () => {
  it('holds from the first day to the last, both included, and an open end holds on', () => {
    expect(heldOn({ from: '2022-01-01', to: '2022-12-31' }, '2022-12-31')).toBe(true);
    expect(heldOn({ from: '2022-01-01', to: '2022-12-31' }, '2023-01-01')).toBe(false);
    expect(heldOn({ from: '2022-01-01', to: null }, '2031-01-01')).toBe(true);
    expect(heldOn({ from: '2022-01-01', to: null }, '2021-12-31')).toBe(false);
  });
});

describe('a mandate when its term has closed', () => {
  const mandate = spec(mandateDecider);
  it('ends on the close with the reason 届满', () => {
    mandate
      .given([started])
      .when({ type: 'EndMandateAtTermClose', data: { mandateId, term: closedTerm } })
      .then([{ type: 'MandateEnded', data: { mandateId, endsOn: '2026-11-19', reason: 'term-close' } }]);
  });
  it('is not ended twice (a resignation before the close stands)', () => {
    mandate
      .given([started, { type: 'MandateEnded', data: { mandateId, endsOn: '2024-03-01', reason: 'resignation' } }])
      .when({ type: 'EndMandateAtTermClose', data: { mandateId, term: closedTerm } })
      .thenRejects('mandate-ended');
  });
  it('does not end while its term is open', () => {
    mandate
      .given([started])
      .when({ type: 'EndMandateAtTermClose', data: { mandateId, term: { ...closedTerm, status: 'open', closedOn: null } } })
      .thenRejects('term-not-closed');
  });
});

describe('a station at a term change', () => {
  const station = spec(stationDecider);
  const carryOver = (continuedOn = '2026-11-20'): StationCommand => ({
    type: 'CarryOverStationAssignment',
    data: { stationId, personId: deputyId, mandateId: newMandateId, continuedOn, reason: '换届连任，随新任职续驻' },
  });
  it('continues a re-elected deputy’s assignment with the new mandate, without a gap', () => {
    station
      .given([established, deputyAssigned()])
      .when(carryOver())
      .then([
        { type: 'DeputyUnassignedFromStation', data: { stationId, personId: deputyId, unassignedOn: '2026-11-19', reason: '换届连任，随新任职续驻' } },
        { type: 'DeputyAssignedToStation', data: { stationId, personId: deputyId, mandateId: newMandateId, assignedOn: '2026-11-20' } },
      ]);
  });
  it('continues it even when the deputy already has an act dated in the new term', () => {
    station
      .given([established, deputyAssigned(), visitRecorded('5a1c2e3f-0000-4000-8000-000000000a09', '2026-11-25')])
      .when(carryOver())
      .then([
        { type: 'DeputyUnassignedFromStation', data: { stationId, personId: deputyId, unassignedOn: '2026-11-19', reason: '换届连任，随新任职续驻' } },
        { type: 'DeputyAssignedToStation', data: { stationId, personId: deputyId, mandateId: newMandateId, assignedOn: '2026-11-20' } },
      ]);
  });
  it('re-opens an assignment that ended at the close', () => {
    station
      .given([established, deputyAssigned(), deputyUnassigned(deputyId, '2026-11-19')])
      .when(carryOver())
      .then([{ type: 'DeputyAssignedToStation', data: { stationId, personId: deputyId, mandateId: newMandateId, assignedOn: '2026-11-20' } }]);
  });
  it('refuses to carry over a deputy who never belonged to the station', () => {
    station.given([established]).when(carryOver()).thenRejects('not-assigned');
  });
  it('assigns a deputy in a new mandate once the old one has ended, ending the old assignment with it', () => {
    station
      .given([established, deputyAssigned()])
      .when({
        type: 'AssignDeputyToStation',
        data: { stationId, personId: deputyId, mandateId: newMandateId, assignedOn: '2026-11-20', currentMandateValidTo: '2026-11-19' },
      })
      .then([
        { type: 'DeputyUnassignedFromStation', data: { stationId, personId: deputyId, unassignedOn: '2026-11-19', reason: '原任职终止，以新任职进驻' } },
        { type: 'DeputyAssignedToStation', data: { stationId, personId: deputyId, mandateId: newMandateId, assignedOn: '2026-11-20' } },
      ]);
  });
  it('still refuses a second assignment while the mandate runs', () => {
    station
      .given([established, deputyAssigned()])
      .when({
        type: 'AssignDeputyToStation',
        data: { stationId, personId: deputyId, mandateId: deputyMandateId, assignedOn: '2026-11-20', currentMandateValidTo: null },
      })
      .thenRejects('already-assigned');
  });
  it('ends a manager’s role without a successor, and then nobody is in charge', () => {
    station
      .given([established, managerAssigned])
      .when({ type: 'EndStationManagerRole', data: { stationId, managerPersonId: chairId, endedOn: '2026-11-19', reason: '届满未连任' } })
      .then([{ type: 'StationManagerEnded', data: { stationId, managerPersonId: chairId, endedOn: '2026-11-19', reason: '届满未连任' } }]);
    station
      .given([
        established,
        managerAssigned,
        { type: 'StationManagerEnded', data: { stationId, managerPersonId: chairId, endedOn: '2026-11-19', reason: '届满' } },
      ])
      .when({ type: 'EndStationManagerRole', data: { stationId, managerPersonId: chairId, endedOn: '2026-11-20', reason: '届满' } })
      .thenRejects('not-manager');
  });
  it('lets the re-elected manager go on in the new post', () => {
    station
      .given([established, managerAssigned])
      .when({ type: 'AssignStationManager', data: { stationId, managerPersonId: chairId, managerMandateId: newMandateId, assignedOn: '2026-11-20' } })
      .then([{ type: 'StationManagerAssigned', data: { stationId, managerPersonId: chairId, managerMandateId: newMandateId, assignedOn: '2026-11-20' } }]);
    expect(chairMandateId).not.toBe(newMandateId);
  });
});

describe('a pairing at a term change', () => {
  const pairing = spec(pairingDecider);
  const pairingId = '44444444-4444-4444-8444-444444444444';
  const mentor = '55555555-5555-4555-8555-555555555555';
  const [menteeA, menteeB] = ['66666666-6666-4666-8666-666666666661', '66666666-6666-4666-8666-666666666662'];
  const formed: PairingEvent = {
    type: 'PairingFormed',
    data: {
      pairingId,
      kind: 'deputy-mentoring',
      termId,
      mentorPersonId: mentor,
      mentorMandateId: '77777777-7777-4777-8777-777777777770',
      mentees: [
        { personId: menteeA, mandateId: '77777777-7777-4777-8777-777777777771' },
        { personId: menteeB, mandateId: '77777777-7777-4777-8777-777777777772' },
      ],
      startsOn: '2022-04-01',
    },
  };
  const member = (person: string, mandate: string, publicServant: boolean): PairingMember => ({
    personId: person,
    mandateId: mandate,
    termId: nextTermId,
    kind: 'deputy',
    publicServant,
  });
  const carryOver = (mentorMember: PairingMember | null, a: PairingMember | null, b: PairingMember | null): PairingCommand => ({
    type: 'CarryOverPairing',
    data: {
      pairingId,
      carriedOverOn: '2026-11-20',
      mentor: mentorMember,
      mentees: [
        { personId: menteeA, member: a },
        { personId: menteeB, member: b },
      ],
      reason: '换届衔接',
    },
  });
  const newA = member(menteeA, '88888888-8888-4888-8888-888888888881', false);
  const newMentor = member(mentor, '88888888-8888-4888-8888-888888888880', true);

  it('goes on with the re-elected mentor and mentees; a mentee not re-elected leaves', () => {
    pairing
      .given([formed])
      .when(carryOver(newMentor, newA, null))
      .then([
        {
          type: 'PairingCarriedOver',
          data: {
            pairingId,
            carriedOverOn: '2026-11-20',
            mentorMandateId: newMentor.mandateId,
            mentees: [{ personId: menteeA, mandateId: newA.mandateId }],
            leftPersonIds: [menteeB],
            reason: '换届衔接',
          },
        },
      ]);
  });
  it('leaves the mentor’s post vacant when the mentor was not re-elected, and then takes no activity of the old mentor', () => {
    const vacant: PairingEvent = {
      type: 'PairingCarriedOver',
      data: {
        pairingId,
        carriedOverOn: '2026-11-20',
        mentorMandateId: null,
        mentees: [{ personId: menteeA, mandateId: newA.mandateId }],
        leftPersonIds: [menteeB],
        reason: '换届衔接',
      },
    };
    pairing
      .given([formed])
      .when(carryOver(null, newA, null))
      .then([vacant]);
    pairing
      .given([formed, vacant])
      .when({
        type: 'RecordPairingActivity',
        data: {
          pairingId,
          recordId: '99999999-9999-4999-8999-999999999999',
          personId: mentor,
          mandateId: formed.data.mentorMandateId,
          date: '2026-12-01',
          declared: false,
          description: '指导撰写建议',
          menteePersonIds: [menteeA],
        },
      })
      .thenRejects('not-in-pairing');
  });
  it('ends when no mentee was re-elected', () => {
    pairing
      .given([formed])
      .when(carryOver(newMentor, null, null))
      .then([{ type: 'PairingEnded', data: { pairingId, endedOn: '2026-11-19', reason: '换届衔接：结对代表均未连任' } }]);
  });
});
