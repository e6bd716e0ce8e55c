/**
 * Organised activities with participants, counted in person-times (人次): trainings (培训),
 * supervision activities (视察、调研、执法检查、专题询问、报告审议, often combined) and the meetings
 * deputies are invited to (列席常委会会议, 推荐参加意见征求会). Each attendance, participation or
 * absence is a reviewable record; a person has at most one standing record per activity (a
 * declaration rejected in review, or a retracted record, no longer stands).
 * An organised activity may be cancelled at any time: nothing more is recorded for it, and the
 * records already made stay and count (staff retract any that should not). A training is not
 * cancelled; its attendances are retracted one by one.
 *
 * A clerk records an activity after the meeting with its sign-in sheet: `OrganiseTrainingWithAttendance`
 * and `OrganiseActivityWithParticipants` organise it and record everyone on the sheet in one command.
 * They decide as the single commands would, one after another on the state each leaves (so every
 * rule above holds for each person, e.g. nobody is recorded twice), and hand all the events back
 * together. Every event of an activity lives on its one stream, `activity:<id>`, and the command
 * handler appends a command's events in one append (one statement, one transaction, expecting the
 * stream not to exist yet): either the activity and all its records are written, or — when any
 * person is refused, here or in the command definition's look-ups before — nothing is.
 */
import { assertNever, type Decider } from '../kernel/decider.ts';
import { DomainError } from '../kernel/errors.ts';
import type { Command } from '../kernel/messages.ts';
import type { MandateKind } from '../mandate/events.ts';
import { isReviewEvent } from '../review/events.ts';
import { assertNewRecord, noRecords, type Records, standingRecordsOf, trackRecords } from '../review/records.ts';
import {
  isSupervisionKind,
  type AbsenceAct,
  type ActivityEvent,
  type ActivityKind,
  type ActivityOrganisedData,
  type ParticipationAct,
  type TrainingType,
} from './events.ts';

export const activityStream = (activityId: string) => `activity:${activityId}`;

/** Who is recorded, as the command definition checked it: the mandate is valid on the activity's date. */
export interface Participant {
  activityId: string;
  recordId: string;
  personId: string;
  mandateId: string;
  /** The kind of that mandate (列席 is for deputies only). */
  mandateKind: MandateKind;
  declared: boolean;
}

/** One person of a training's sign-in sheet, as the command definition checked it (the mandate, when named, was valid on the date). */
export interface Attendee {
  activityId: string;
  recordId: string;
  personId: string;
  mandateId: string | null;
  declared: boolean;
}

/** An absentee: a participant who did not come, with leave (请假) or without. */
export type Absentee = Participant & { act: AbsenceAct; reason: string | null };

type TrainingData = { activityId: string; trainingType: TrainingType; title: string; date: string };

export type ActivityCommand =
  | Command<'OrganiseTraining', TrainingData>
  | Command<'RecordTrainingAttendance', Attendee>
  | Command<'OrganiseActivity', ActivityOrganisedData>
  | Command<'RecordParticipation', Participant>
  | Command<'RecordAbsence', Absentee>
  | Command<'CancelActivity', { activityId: string; reason: string }>
  | Command<'OrganiseTrainingWithAttendance', { training: TrainingData; attendees: Attendee[] }>
  | Command<'OrganiseActivityWithParticipants', { activity: ActivityOrganisedData; participants: Participant[]; absentees: Absentee[] }>;

interface Held {
  activityId: string;
  title: string;
  date: string;
  records: Records;
}

type OrganisedState = Held & {
  status: 'organised' | 'cancelled';
  kind: ActivityKind;
  forms: ActivityOrganisedData['forms'];
  organiser: string;
  township: string | null;
};

export type ActivityState = { status: 'none' } | (Held & { status: 'training'; trainingType: TrainingType }) | OrganisedState;

/** What taking part in an activity of this kind counts as. */
export function participationActOf(kind: ActivityKind): ParticipationAct {
  switch (kind) {
    case 'inspection':
    case 'research':
    case 'law-enforcement-inspection':
    case 'special-inquiry':
    case 'report-deliberation':
      return kind;
    case 'committee-meeting':
      return 'committee-meeting-attendance';
    case 'consultation-meeting':
      return 'consultation-recommendation';
    default:
      return assertNever(kind);
  }
}

export const activityNotFound = () => new DomainError('activity-not-found', { zh: '找不到该活动', en: 'No such activity' }, 'activityId');

function assertNew(state: ActivityState): void {
  if (state.status !== 'none') {
    throw new DomainError('activity-exists', { zh: '该活动已经登记过', en: 'This activity is already recorded' }, 'activityId');
  }
}

function assertForms({ kind, forms }: ActivityOrganisedData): void {
  if (new Set(forms).size !== forms.length) {
    throw new DomainError('duplicate-forms', { zh: '活动形式重复', en: 'An activity form is listed twice' }, 'forms');
  }
  if (isSupervisionKind(kind) && !forms.includes(kind)) {
    throw new DomainError('forms-without-kind', { zh: '活动形式须包含活动本身的类别', en: 'The forms must include the activity’s own kind' }, 'forms');
  }
}

/** An organised (not training, not cancelled) activity that can take a new record for the participant. */
function openFor(state: ActivityState, participant: Participant): OrganisedState {
  if (state.status === 'none') throw activityNotFound();
  if (state.status === 'training') {
    throw new DomainError('is-a-training', { zh: '这是一次培训，请登记培训出席', en: 'This is a training: record an attendance instead' }, 'activityId');
  }
  if (state.status === 'cancelled') {
    throw new DomainError(
      'activity-cancelled',
      { zh: '该活动已取消，不能再登记', en: 'This activity was cancelled; nothing more can be recorded' },
      'activityId',
    );
  }
  assertNewRecord(state.records, participant.recordId);
  if (standingRecordsOf(state.records, participant.personId).length > 0) {
    throw new DomainError(
      'already-recorded',
      { zh: '该人员已登记参加或缺席此次活动', en: 'This person is already recorded as taking part in or missing this activity' },
      'personId',
    );
  }
  if (state.kind === 'committee-meeting' && participant.mandateKind !== 'deputy') {
    throw new DomainError(
      'attendance-deputies-only',
      { zh: '只有人大代表可以列席常委会会议', en: 'Only deputies attend standing-committee meetings as non-voting attendees (列席)' },
      'mandateId',
    );
  }
  return state;
}

/** Where a person of a sheet stands in the command's input, for a refusal: `attendees.2` and "第 3 位参训人员：". */
export interface SheetPlace {
  path: string;
  prefix: { zh: string; en: string };
}

export const sheetPlace = (list: 'attendees' | 'participants' | 'absentees', index: number): SheetPlace => {
  const who = { attendees: ['参训人员', 'Attendee'], participants: ['参加人员', 'Participant'], absentees: ['缺席人员', 'Absentee'] }[list];
  return { path: `${list}.${index}`, prefix: { zh: `第 ${index + 1} 位${who[0]}：`, en: `${who[1]} ${index + 1}: ` } };
};

/** A refusal about one person of a sheet, said of that person: its field under their place, its messages prefixed. */
export function refusalAt(place: SheetPlace, error: DomainError): DomainError {
  const field = error.field === 'activityId' || error.field === null ? null : `${place.path}.${error.field}`;
  return new DomainError(error.code, { zh: `${place.prefix.zh}${error.messages.zh}`, en: `${place.prefix.en}${error.messages.en}` }, field);
}

/**
 * Decides commands one after another, each on the state the ones before leave, and returns all
 * their events; a refusal of a person's command is reported at their place on the sheet.
 */
function decideInTurn(state: ActivityState, steps: { command: ActivityCommand; place?: SheetPlace }[]): ActivityEvent[] {
  const events: ActivityEvent[] = [];
  let current = state;
  for (const { command, place } of steps) {
    let decided: ActivityEvent[];
    try {
      decided = activityDecider.decide(command, current);
    } catch (error) {
      throw place && error instanceof DomainError ? refusalAt(place, error) : error;
    }
    for (const event of decided) current = activityDecider.evolve(current, event);
    events.push(...decided);
  }
  return events;
}

function assertSomeone(count: number): void {
  if (count === 0) {
    throw new DomainError('nobody-recorded', { zh: '请至少登记一名参加人员', en: 'Record at least one person' }, null);
  }
}

const recordOf = ({ recordId, personId, mandateId, declared, activityId }: Participant, date: string) => ({
  recordId,
  personId,
  mandateId,
  date,
  declared,
  activityId,
});

export const activityDecider: Decider<ActivityCommand, ActivityEvent, ActivityState> = {
  category: 'activity',
  initialState: () => ({ status: 'none' }),

  decide(command, state) {
    switch (command.type) {
      case 'OrganiseTraining':
        assertNew(state);
        return [{ type: 'TrainingOrganised', data: command.data }];
      case 'RecordTrainingAttendance': {
        if (state.status === 'none') throw activityNotFound();
        if (state.status !== 'training') {
          throw new DomainError(
            'not-a-training',
            { zh: '该活动不是培训，请登记参加活动', en: 'This activity is not a training: record a participation instead' },
            'activityId',
          );
        }
        assertNewRecord(state.records, command.data.recordId);
        if (standingRecordsOf(state.records, command.data.personId).length > 0) {
          throw new DomainError(
            'already-attended',
            { zh: '该人员已登记参加此次培训', en: 'This person is already recorded as attending this training' },
            'personId',
          );
        }
        return [{ type: 'TrainingAttendanceRecorded', data: { ...command.data, act: 'training', date: state.date, trainingType: state.trainingType } }];
      }
      case 'OrganiseActivity':
        assertNew(state);
        assertForms(command.data);
        return [{ type: 'ActivityOrganised', data: command.data }];
      case 'RecordParticipation': {
        const activity = openFor(state, command.data);
        return [{ type: 'ParticipationRecorded', data: { ...recordOf(command.data, activity.date), act: participationActOf(activity.kind) } }];
      }
      case 'RecordAbsence': {
        const activity = openFor(state, command.data);
        return [{ type: 'AbsenceRecorded', data: { ...recordOf(command.data, activity.date), act: command.data.act, reason: command.data.reason } }];
      }
      case 'CancelActivity':
        if (state.status === 'none') throw activityNotFound();
        if (state.status === 'training') {
          throw new DomainError(
            'is-a-training',
            { zh: '培训不能取消，请撤销其出席记录', en: 'A training cannot be cancelled; retract its attendances instead' },
            'activityId',
          );
        }
        if (state.status === 'cancelled') {
          throw new DomainError('already-cancelled', { zh: '该活动已经取消', en: 'This activity is already cancelled' }, 'activityId');
        }
        return [{ type: 'ActivityCancelled', data: command.data }];
      case 'OrganiseTrainingWithAttendance':
        assertSomeone(command.data.attendees.length);
        return decideInTurn(state, [
          { command: { type: 'OrganiseTraining', data: command.data.training } },
          ...command.data.attendees.map((data, index) => ({
            command: { type: 'RecordTrainingAttendance' as const, data },
            place: sheetPlace('attendees', index),
          })),
        ]);
      case 'OrganiseActivityWithParticipants':
        assertSomeone(command.data.participants.length + command.data.absentees.length);
        return decideInTurn(state, [
          { command: { type: 'OrganiseActivity', data: command.data.activity } },
          ...command.data.participants.map((data, index) => ({
            command: { type: 'RecordParticipation' as const, data },
            place: sheetPlace('participants', index),
          })),
          ...command.data.absentees.map((data, index) => ({ command: { type: 'RecordAbsence' as const, data }, place: sheetPlace('absentees', index) })),
        ]);
      default:
        return assertNever(command);
    }
  },

  evolve(state, event) {
    if (event.type === 'TrainingOrganised') return { status: 'training', ...event.data, records: noRecords };
    if (event.type === 'ActivityOrganised') return { status: 'organised', ...event.data, records: noRecords };
    if (state.status === 'none') return state;
    if (isReviewEvent(event)) return { ...state, records: trackRecords(state.records, event) };
    switch (event.type) {
      case 'ActivityCancelled':
        return state.status === 'organised' ? { ...state, status: 'cancelled' } : state;
      case 'TrainingAttendanceRecorded':
      case 'ParticipationRecorded':
      case 'AbsenceRecorded':
        return { ...state, records: trackRecords(state.records, event) };
      default:
        return assertNever(event);
    }
  },
};
