import { describe, expect, it } from 'vitest';
import { activityDecider, participationActOf, type ActivityCommand, type ActivityState, type Participant } from '../../src/activity/decider.ts';
import {
  ACTIVITY_KINDS,
  legacyAttendanceRecordId,
  TrainingAttendanceRecorded,
  type ActivityEvent,
  type ActivityOrganisedData,
} from '../../src/activity/events.ts';
import { fold } from '../../src/kernel/decider.ts';
import { EventRegistry } from '../../src/kernel/registry.ts';
import { spec } from '../spec.ts';

const activityId = '7d6f0b0e-3b7e-4d53-9a59-1a2b3c4d5e6f';
const personId = '0f8fad5b-d9cb-469f-a165-70867728950e';
const otherPersonId = '1a8fad5b-d9cb-469f-a165-70867728950e';
const mandateId = '2b8fad5b-d9cb-469f-a165-70867728950e';
const recordId = '3c8fad5b-d9cb-469f-a165-70867728950e';
const otherRecordId = '4d8fad5b-d9cb-469f-a165-70867728950e';
const activities = spec(activityDecider);

describe('trainings (培训)', () => {
  const organised: ActivityEvent = {
    type: 'TrainingOrganised',
    data: { activityId, trainingType: 'induction-class', title: '新任代表履职培训班', date: '2022-03-15' },
  };
  const attend = (data: Partial<Extract<ActivityCommand, { type: 'RecordTrainingAttendance' }>['data']> = {}): ActivityCommand => ({
    type: 'RecordTrainingAttendance',
    data: { activityId, recordId, personId, mandateId: null, declared: false, ...data },
  });
  const attended = (data: Partial<Extract<ActivityEvent, { type: 'TrainingAttendanceRecorded' }>['data']> = {}): ActivityEvent => ({
    type: 'TrainingAttendanceRecorded',
    data: { recordId, act: 'training', personId, mandateId: null, date: '2022-03-15', declared: false, activityId, trainingType: 'induction-class', ...data },
  });

  describe('when no training exists', () => {
    it('organises one', () => {
      activities.given([]).when({ type: 'OrganiseTraining', data: organised.data }).then([organised]);
    });
    it('rejects an attendance', () => {
      activities.given([]).when(attend()).thenRejects('activity-not-found');
    });
  });

  describe('when the training is organised', () => {
    it('rejects organising it again', () => {
      activities.given([organised]).when({ type: 'OrganiseTraining', data: organised.data }).thenRejects('activity-exists');
    });
    it('rejects organising another activity under its id', () => {
      activities
        .given([organised])
        .when({
          type: 'OrganiseActivity',
          data: { activityId, kind: 'research', forms: ['research'], title: '调研', date: '2022-03-15', organiser: '办公室', township: null },
        })
        .thenRejects('activity-exists');
    });
    it('records an attendance without a mandate, with the training’s date and type', () => {
      activities.given([organised]).when(attend()).then([attended()]);
    });
    it('records an attendance in a named mandate', () => {
      activities
        .given([organised])
        .when(attend({ mandateId }))
        .then([attended({ mandateId })]);
    });
    it('records a deputy’s own declared attendance', () => {
      activities
        .given([organised])
        .when(attend({ declared: true }))
        .then([attended({ declared: true })]);
    });
    it('rejects a participation: a training takes attendances', () => {
      activities
        .given([organised])
        .when({ type: 'RecordParticipation', data: { activityId, recordId, personId, mandateId, mandateKind: 'deputy', declared: false } })
        .thenRejects('is-a-training');
    });
    it('rejects cancelling it', () => {
      activities
        .given([organised])
        .when({ type: 'CancelActivity', data: { activityId, reason: '改期' } })
        .thenRejects('is-a-training');
    });
  });

  describe('when the person already attended', () => {
    it('rejects a second attendance', () => {
      activities
        .given([organised, attended()])
        .when(attend({ recordId: otherRecordId }))
        .thenRejects('already-attended');
    });
    it('rejects a record id already in use, even for someone else', () => {
      activities
        .given([organised, attended()])
        .when(attend({ personId: otherPersonId }))
        .thenRejects('record-exists');
    });
    it('records another person', () => {
      activities
        .given([organised, attended()])
        .when(attend({ personId: otherPersonId, recordId: otherRecordId }))
        .then([attended({ personId: otherPersonId, recordId: otherRecordId })]);
    });
  });

  describe('when the person’s declared attendance was rejected in review', () => {
    it('accepts a new declaration', () => {
      activities
        .given([organised, attended({ declared: true }), { type: 'RecordRejected', data: { recordId, reason: '未签到' } }])
        .when(attend({ recordId: otherRecordId, declared: true }))
        .then([attended({ recordId: otherRecordId, declared: true })]);
    });
  });

  describe('when the person’s attendance was retracted', () => {
    it('accepts a new attendance', () => {
      activities
        .given([organised, attended(), { type: 'RecordRetracted', data: { recordId, reason: '录入错误' } }])
        .when(attend({ recordId: otherRecordId }))
        .then([attended({ recordId: otherRecordId })]);
    });
  });
});

describe('organised activities (视察、调研、执法检查、专题询问、报告审议、列席、意见征求会)', () => {
  const inspection: ActivityOrganisedData = {
    activityId,
    kind: 'inspection',
    forms: ['inspection', 'special-inquiry'],
    title: '全县农村饮水安全视察并专题询问',
    date: '2023-06-08',
    organiser: '县人大常委会农业农村工作委员会',
    township: '石羊镇',
  };
  const meeting: ActivityOrganisedData = {
    activityId,
    kind: 'committee-meeting',
    forms: ['report-deliberation'],
    title: '县人大常委会第十二次会议',
    date: '2023-06-20',
    organiser: '县人大常委会办公室',
    township: null,
  };
  const participant = (data: Partial<Participant> = {}): Participant => ({
    activityId,
    recordId,
    personId,
    mandateId,
    mandateKind: 'deputy',
    declared: false,
    ...data,
  });
  const participate = (data: Partial<Participant> = {}): ActivityCommand => ({ type: 'RecordParticipation', data: participant(data) });
  const absent = (data: Partial<Participant> = {}): ActivityCommand => ({
    type: 'RecordAbsence',
    data: { ...participant(data), act: 'absence-with-leave', reason: '因公出差' },
  });
  const organisedEvent = (data: ActivityOrganisedData): ActivityEvent => ({ type: 'ActivityOrganised', data });
  const participated = (
    date: string,
    act: 'inspection' | 'committee-meeting-attendance' | 'consultation-recommendation',
    data: object = {},
  ): ActivityEvent => ({
    type: 'ParticipationRecorded',
    data: { recordId, act, personId, mandateId, date, declared: false, activityId, ...data },
  });
  const cancelled: ActivityEvent = { type: 'ActivityCancelled', data: { activityId, reason: '因汛期防汛工作取消' } };

  describe('when no activity exists', () => {
    it('organises a combined inspection (视察+询问)', () => {
      activities
        .given([])
        .when({ type: 'OrganiseActivity', data: inspection })
        .then([organisedEvent(inspection)]);
    });
    it('organises a committee meeting that deliberates a report', () => {
      activities
        .given([])
        .when({ type: 'OrganiseActivity', data: meeting })
        .then([organisedEvent(meeting)]);
    });
    it('organises a consultation meeting with no supervision forms', () => {
      const consultation: ActivityOrganisedData = { ...meeting, kind: 'consultation-meeting', forms: [], title: '县政府工作报告意见征求会' };
      activities
        .given([])
        .when({ type: 'OrganiseActivity', data: consultation })
        .then([organisedEvent(consultation)]);
    });
    it('rejects forms that leave out the activity’s own kind', () => {
      activities
        .given([])
        .when({ type: 'OrganiseActivity', data: { ...inspection, forms: ['special-inquiry'] } })
        .thenRejects('forms-without-kind');
    });
    it('rejects a form listed twice', () => {
      activities
        .given([])
        .when({ type: 'OrganiseActivity', data: { ...inspection, forms: ['inspection', 'inspection'] } })
        .thenRejects('duplicate-forms');
    });
    it('rejects a participation', () => {
      activities.given([]).when(participate()).thenRejects('activity-not-found');
    });
    it('rejects an absence', () => {
      activities.given([]).when(absent()).thenRejects('activity-not-found');
    });
    it('rejects a cancellation', () => {
      activities.given([]).when({ type: 'CancelActivity', data: cancelled.data }).thenRejects('activity-not-found');
    });
  });

  describe('when an inspection is organised', () => {
    const given = activities.given([organisedEvent(inspection)]);
    it('rejects organising it again', () => {
      given.when({ type: 'OrganiseActivity', data: inspection }).thenRejects('activity-exists');
    });
    it('records a participation as the activity’s own kind, on its date', () => {
      given.when(participate()).then([participated('2023-06-08', 'inspection')]);
    });
    it('records a deputy’s own declared participation', () => {
      given.when(participate({ declared: true })).then([participated('2023-06-08', 'inspection', { declared: true })]);
    });
    it('records a committee member taking part', () => {
      given.when(participate({ mandateKind: 'committee-member' })).then([participated('2023-06-08', 'inspection')]);
    });
    it('records an absence with leave and its reason', () => {
      given.when(absent()).then([
        {
          type: 'AbsenceRecorded',
          data: { recordId, act: 'absence-with-leave', personId, mandateId, date: '2023-06-08', declared: false, activityId, reason: '因公出差' },
        },
      ]);
    });
    it('records an absence without leave', () => {
      given.when({ type: 'RecordAbsence', data: { ...participant(), act: 'absence-without-leave', reason: null } }).then([
        {
          type: 'AbsenceRecorded',
          data: { recordId, act: 'absence-without-leave', personId, mandateId, date: '2023-06-08', declared: false, activityId, reason: null },
        },
      ]);
    });
    it('rejects a training attendance', () => {
      given
        .when({ type: 'RecordTrainingAttendance', data: { activityId, recordId, personId, mandateId: null, declared: false } })
        .thenRejects('not-a-training');
    });
    it('cancels it', () => {
      given.when({ type: 'CancelActivity', data: cancelled.data }).then([cancelled]);
    });
  });

  describe('when the person is already recorded', () => {
    const given = activities.given([organisedEvent(inspection), participated('2023-06-08', 'inspection')]);
    it('rejects a second participation', () => {
      given.when(participate({ recordId: otherRecordId })).thenRejects('already-recorded');
    });
    it('rejects an absence as well', () => {
      given.when(absent({ recordId: otherRecordId })).thenRejects('already-recorded');
    });
    it('rejects a record id already in use', () => {
      given.when(participate({ personId: otherPersonId })).thenRejects('record-exists');
    });
    it('records someone else', () => {
      given
        .when(participate({ personId: otherPersonId, recordId: otherRecordId }))
        .then([participated('2023-06-08', 'inspection', { personId: otherPersonId, recordId: otherRecordId })]);
    });
  });

  describe('when the person was recorded absent', () => {
    it('rejects recording them as taking part too', () => {
      activities
        .given([
          organisedEvent(inspection),
          {
            type: 'AbsenceRecorded',
            data: { recordId, act: 'absence-without-leave', personId, mandateId, date: '2023-06-08', declared: false, activityId, reason: null },
          },
        ])
        .when(participate({ recordId: otherRecordId }))
        .thenRejects('already-recorded');
    });
  });

  describe('when the person’s declared participation was rejected in review', () => {
    it('accepts a new declaration', () => {
      activities
        .given([
          organisedEvent(inspection),
          participated('2023-06-08', 'inspection', { declared: true }),
          { type: 'RecordRejected', data: { recordId, reason: '未参加' } },
        ])
        .when(participate({ recordId: otherRecordId, declared: true }))
        .then([participated('2023-06-08', 'inspection', { recordId: otherRecordId, declared: true })]);
    });
  });

  describe('when a committee meeting is organised', () => {
    const given = activities.given([organisedEvent(meeting)]);
    it('records a deputy attending without a vote (列席)', () => {
      given.when(participate()).then([participated('2023-06-20', 'committee-meeting-attendance')]);
    });
    it('rejects 列席 by anyone but a deputy', () => {
      given.when(participate({ mandateKind: 'township-chair' })).thenRejects('attendance-deputies-only');
    });
    it('rejects an absence of anyone but a deputy', () => {
      given.when(absent({ mandateKind: 'office-staff' })).thenRejects('attendance-deputies-only');
    });
  });

  describe('when a consultation meeting is organised', () => {
    it('records a person recommended to it (推荐)', () => {
      activities
        .given([organisedEvent({ ...meeting, kind: 'consultation-meeting', forms: [] })])
        .when(participate())
        .then([participated('2023-06-20', 'consultation-recommendation')]);
    });
  });

  describe('when the activity was cancelled', () => {
    const given = activities.given([organisedEvent(inspection), participated('2023-06-08', 'inspection'), cancelled]);
    it('rejects a participation', () => {
      given.when(participate({ personId: otherPersonId, recordId: otherRecordId })).thenRejects('activity-cancelled');
    });
    it('rejects an absence', () => {
      given.when(absent({ personId: otherPersonId, recordId: otherRecordId })).thenRejects('activity-cancelled');
    });
    it('rejects cancelling it again', () => {
      given.when({ type: 'CancelActivity', data: cancelled.data }).thenRejects('already-cancelled');
    });
    it('keeps the records made before, still counting', () => {
      const state: ActivityState = fold(activityDecider, [organisedEvent(inspection), participated('2023-06-08', 'inspection'), cancelled]);
      expect(state.status).toBe('cancelled');
      expect(state.status !== 'none' && state.records.get(recordId)?.status).toBe('approved');
    });
  });
});

describe('the act a participation counts as', () => {
  it('is the supervision act itself, 列席 for a committee meeting, 推荐 for a consultation meeting', () => {
    expect(Object.fromEntries(ACTIVITY_KINDS.map((kind) => [kind, participationActOf(kind)]))).toEqual({
      inspection: 'inspection',
      research: 'research',
      'law-enforcement-inspection': 'law-enforcement-inspection',
      'special-inquiry': 'special-inquiry',
      'report-deliberation': 'report-deliberation',
      'committee-meeting': 'committee-meeting-attendance',
      'consultation-meeting': 'consultation-recommendation',
    });
  });
});

describe('an attendance stored before version 3', () => {
  const registry = new EventRegistry().register(TrainingAttendanceRecorded);
  const stored = { type: 'TrainingAttendanceRecorded', schemaVersion: 2, data: { activityId, personId, trainingType: 'station-study' } };
  it('reads as an approved staff record without mandate or date, with an id derived from the training and the person', () => {
    expect(registry.read(stored)).toEqual({
      type: 'TrainingAttendanceRecorded',
      data: {
        activityId,
        personId,
        trainingType: 'station-study',
        recordId: legacyAttendanceRecordId(activityId, personId),
        act: 'training',
        mandateId: null,
        date: null,
        declared: false,
      },
    });
    expect(legacyAttendanceRecordId(activityId, personId)).toBe(legacyAttendanceRecordId(activityId, personId));
    expect(legacyAttendanceRecordId(activityId, otherPersonId)).not.toBe(legacyAttendanceRecordId(activityId, personId));
  });
  it('still stops the person attending the same training twice', () => {
    activities
      .given([
        { type: 'TrainingOrganised', data: { activityId, trainingType: 'station-study', title: '进站学习', date: '2019-05-01' } },
        registry.read<ActivityEvent>(stored),
      ])
      .when({ type: 'RecordTrainingAttendance', data: { activityId, recordId, personId, mandateId: null, declared: false } })
      .thenRejects('already-attended');
  });
});
