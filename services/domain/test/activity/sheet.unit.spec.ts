/**
 * An activity with its sign-in sheet in one command (OrganiseTrainingWithAttendance,
 * OrganiseActivityWithParticipants): the activity's event and every person's record together, or
 * a refusal at the place of the first person refused, and then no event at all.
 */
import { describe, expect, it } from 'vitest';
import { activityDecider, type Absentee, type ActivityCommand, type Attendee, type Participant } from '../../src/activity/decider.ts';
import type { ActivityEvent, ActivityOrganisedData } from '../../src/activity/events.ts';
import { DomainError } from '../../src/kernel/errors.ts';
import { spec } from '../spec.ts';

const activityId = '7d6f0b0e-3b7e-4d53-9a59-1a2b3c4d5e6f';
const people = ['0f8fad5b-d9cb-469f-a165-70867728950e', '1a8fad5b-d9cb-469f-a165-70867728950e', '2a8fad5b-d9cb-469f-a165-70867728950e'];
const mandates = ['2b8fad5b-d9cb-469f-a165-70867728950e', '3b8fad5b-d9cb-469f-a165-70867728950e', '4b8fad5b-d9cb-469f-a165-70867728950e'];
const records = ['3c8fad5b-d9cb-469f-a165-70867728950e', '4d8fad5b-d9cb-469f-a165-70867728950e', '5e8fad5b-d9cb-469f-a165-70867728950e'];
const activities = spec(activityDecider);

/** The refusal a command meets on a history: its code, field and Chinese message. */
function refusal(history: ActivityEvent[], command: ActivityCommand): Pick<DomainError, 'code' | 'field'> & { zh: string } {
  try {
    activityDecider.decide(command, history.reduce(activityDecider.evolve, activityDecider.initialState()));
  } catch (error) {
    if (error instanceof DomainError) return { code: error.code, field: error.field, zh: error.messages.zh };
    throw error;
  }
  throw new Error('not refused');
}

describe('a training with its sign-in sheet (OrganiseTrainingWithAttendance)', () => {
  const training = { activityId, trainingType: 'induction-class' as const, title: '新任代表履职培训班', date: '2026-11-20' };
  const attendee = (index: number, data: Partial<Attendee> = {}): Attendee => ({
    activityId,
    recordId: records[index]!,
    personId: people[index]!,
    mandateId: mandates[index]!,
    declared: false,
    ...data,
  });
  const sheet = (attendees: Attendee[]): ActivityCommand => ({ type: 'OrganiseTrainingWithAttendance', data: { training, attendees } });
  const attended = (index: number): ActivityEvent => ({
    type: 'TrainingAttendanceRecorded',
    data: { ...attendee(index), act: 'training', date: '2026-11-20', trainingType: 'induction-class' },
  });
  const organised: ActivityEvent = { type: 'TrainingOrganised', data: training };

  describe('when no activity exists', () => {
    it('organises the training and records every attendee on its date, in sheet order, as one decision', () => {
      activities
        .given([])
        .when(sheet([attendee(0), attendee(1), attendee(2)]))
        .then([organised, attended(0), attended(1), attended(2)]);
    });

    it('refuses a person listed twice, at the second place, and decides nothing', () => {
      const twice = sheet([attendee(0), attendee(1), attendee(0, { recordId: records[2]! })]);
      activities.given([]).when(twice).thenRejects('already-attended');
      expect(refusal([], twice)).toEqual({ code: 'already-attended', field: 'attendees.2.personId', zh: '第 3 位参训人员：该人员已登记参加此次培训' });
    });

    it('refuses one record id given to two people', () => {
      const reused = sheet([attendee(0), attendee(1, { recordId: records[0]! })]);
      expect(refusal([], reused)).toMatchObject({ code: 'record-exists', field: 'attendees.1.recordId' });
    });

    it('refuses an empty sheet', () => {
      activities.given([]).when(sheet([])).thenRejects('nobody-recorded');
    });
  });

  describe('when the activity already exists', () => {
    it('refuses the whole sheet: an activity is organised once', () => {
      const again = sheet([attendee(0)]);
      activities
        .given([organised, attended(1)])
        .when(again)
        .thenRejects('activity-exists');
      expect(refusal([organised], again)).toMatchObject({ code: 'activity-exists', field: 'activityId' });
    });
  });
});

describe('a supervision activity with who took part and who was absent (OrganiseActivityWithParticipants)', () => {
  const research: ActivityOrganisedData = {
    activityId,
    kind: 'research',
    forms: ['research', 'report-deliberation'],
    title: '农村人居环境整治调研',
    date: '2026-10-15',
    organiser: '县人大常委会农业农村工作委员会',
    township: '石羊镇',
  };
  const participant = (index: number, data: Partial<Participant> = {}): Participant => ({
    activityId,
    recordId: records[index]!,
    personId: people[index]!,
    mandateId: mandates[index]!,
    mandateKind: 'deputy',
    declared: false,
    ...data,
  });
  const sheet = (activity: ActivityOrganisedData, participants: Participant[], absentees: Absentee[]): ActivityCommand => ({
    type: 'OrganiseActivityWithParticipants',
    data: { activity, participants, absentees },
  });
  const onLeave = { ...participant(2), act: 'absence-with-leave' as const, reason: '因病请假' };

  it('organises it, records the participations as its kind and the absence with its reason', () => {
    activities
      .given([])
      .when(sheet(research, [participant(0), participant(1)], [onLeave]))
      .then([
        { type: 'ActivityOrganised', data: research },
        {
          type: 'ParticipationRecorded',
          data: { recordId: records[0]!, act: 'research', personId: people[0]!, mandateId: mandates[0]!, date: '2026-10-15', declared: false, activityId },
        },
        {
          type: 'ParticipationRecorded',
          data: { recordId: records[1]!, act: 'research', personId: people[1]!, mandateId: mandates[1]!, date: '2026-10-15', declared: false, activityId },
        },
        {
          type: 'AbsenceRecorded',
          data: {
            recordId: records[2]!,
            act: 'absence-with-leave',
            personId: people[2]!,
            mandateId: mandates[2]!,
            date: '2026-10-15',
            declared: false,
            activityId,
            reason: '因病请假',
          },
        },
      ]);
  });

  it('refuses a person both present and absent, at the absentee’s place', () => {
    const both = sheet(research, [participant(0)], [{ ...onLeave, personId: people[0]! }]);
    expect(refusal([], both)).toEqual({ code: 'already-recorded', field: 'absentees.0.personId', zh: '第 1 位缺席人员：该人员已登记参加或缺席此次活动' });
  });

  it('refuses 列席 of a committee meeting by anyone but a deputy, at that participant’s place', () => {
    const meeting: ActivityOrganisedData = { ...research, kind: 'committee-meeting', forms: [], township: null };
    const staffAttending = sheet(meeting, [participant(0), participant(1, { mandateKind: 'office-staff' })], []);
    activities.given([]).when(staffAttending).thenRejects('attendance-deputies-only');
    expect(refusal([], staffAttending)).toMatchObject({ field: 'participants.1.mandateId' });
  });

  it('refuses forms that leave out the activity’s own kind before anyone is recorded', () => {
    activities
      .given([])
      .when(sheet({ ...research, forms: ['report-deliberation'] }, [participant(0)], []))
      .thenRejects('forms-without-kind');
  });

  it('refuses a sheet with nobody on it', () => {
    activities
      .given([])
      .when(sheet(research, [], []))
      .thenRejects('nobody-recorded');
  });
});
