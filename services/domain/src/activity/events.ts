import { z } from 'zod';
import { ACT_VOCABULARY, actRecordFields, type ActKind, type Bilingual } from '../kernel/acts.ts';
import { eventIdFor } from '../kernel/ids.ts';
import { defineEvent, type EventOf } from '../kernel/registry.ts';
import type { ReviewEvent } from '../review/events.ts';

/** Kinds of training (培训) the county organises. */
export const TRAINING_TYPES = ['annual-study-plan', 'expert-lecture', 'station-study', 'induction-class', 'committee-member-training'] as const;
export type TrainingType = (typeof TRAINING_TYPES)[number];

export const TRAINING_TYPE_LABELS: Record<TrainingType, Bilingual> = {
  'annual-study-plan': { zh: '年度学习计划', en: 'Annual study plan' },
  'expert-lecture': { zh: '专家讲座', en: 'Expert lecture' },
  'station-study': { zh: '进站学习', en: 'Study at a station' },
  'induction-class': { zh: '新任干部和代表培训班', en: 'Induction class for new cadres and deputies' },
  'committee-member-training': { zh: '常委会组成人员培训', en: 'Standing-committee member training' },
};

/** Supervision acts (监督) an activity can combine, e.g. 调研+审议, 视察+询问. */
export const SUPERVISION_ACTS = [
  'inspection',
  'research',
  'law-enforcement-inspection',
  'special-inquiry',
  'report-deliberation',
] as const satisfies readonly ActKind[];
export type SupervisionAct = (typeof SUPERVISION_ACTS)[number];

/** Organised activities other than trainings: supervision work and the meetings deputies are invited to. */
export const ACTIVITY_KINDS = [...SUPERVISION_ACTS, 'committee-meeting', 'consultation-meeting'] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];
export const isSupervisionKind = (kind: ActivityKind): kind is SupervisionAct => (SUPERVISION_ACTS as readonly ActivityKind[]).includes(kind);

/** An activity's kind in words: a supervision activity is named as its act (ACT_VOCABULARY), a meeting here. */
export const ACTIVITY_KIND_LABELS: Record<ActivityKind, Bilingual> = {
  ...(Object.fromEntries(SUPERVISION_ACTS.map((act) => [act, { zh: ACT_VOCABULARY[act].zh, en: ACT_VOCABULARY[act].en }])) as Record<
    SupervisionAct,
    Bilingual
  >),
  'committee-meeting': { zh: '常委会会议', en: 'Standing-committee meeting' },
  'consultation-meeting': { zh: '县委、县政府意见征求会', en: 'County consultation meeting' },
};

/** What taking part counts as: the supervision act itself, 列席 a committee meeting, or being recommended to a consultation meeting. */
export const PARTICIPATION_ACTS = [...SUPERVISION_ACTS, 'committee-meeting-attendance', 'consultation-recommendation'] as const satisfies readonly ActKind[];
export type ParticipationAct = (typeof PARTICIPATION_ACTS)[number];

export const ABSENCE_ACTS = ['absence-with-leave', 'absence-without-leave'] as const satisfies readonly ActKind[];
export type AbsenceAct = (typeof ABSENCE_ACTS)[number];

const id = z.uuid();
const date = z.iso.date();
const activityId = id.describe('the activity (its stream is activity:<activityId>)');
const title = z.string().min(1).max(200).describe('the title as announced');

/** The record id given to attendances stored before version 3, which had none: the same for the same training and person. */
export const legacyAttendanceRecordId = (activityId: string, personId: string): string =>
  eventIdFor(`training-attendance:${personId}`, `activity:${activityId}`, 0);

export const TrainingOrganised = defineEvent({
  type: 'TrainingOrganised',
  version: 1,
  stream: 'activity',
  description: 'A training (培训) was organised: its type, title and date.',
  schema: z.object({
    activityId,
    trainingType: z.enum(TRAINING_TYPES).describe('the kind of training'),
    title,
    date: date.describe('the day of the training'),
  }),
});

export const TrainingAttendanceRecorded = defineEvent({
  type: 'TrainingAttendanceRecorded',
  version: 3,
  stream: 'activity',
  record: true,
  description:
    'A person attended a training (培训): one person-time (人次), a record of the act `training`. Trainings count for every team, so ' +
    '`mandateId` is null when the attendance was recorded without naming a mandate (e.g. office staff at a class); when given, it was ' +
    'valid on the training’s date. `date` is null only on attendances stored before version 3: they did not repeat the training’s date, ' +
    'which is on TrainingOrganised.',
  schema: z.object({
    ...actRecordFields,
    act: z.literal('training').describe('always `training`'),
    mandateId: id.nullable().describe('the seat or post the person attended in, valid on the training’s date; null when none was named'),
    date: date.nullable().describe('the training’s date; null on attendances stored before version 3 (see TrainingOrganised)'),
    activityId,
    trainingType: z.enum(TRAINING_TYPES).describe('the kind of training, repeated from TrainingOrganised'),
  }),
  upcast: {
    // Version 1 did not repeat the training type; it was named "type".
    1: ({ type, ...rest }) => ({ ...rest, trainingType: type }),
    // Version 2 was not a record. Staff entered every one of them (deputies could not), so they are approved records
    // with a deterministic id; no mandate was named and the date lives on TrainingOrganised.
    2: (data) => ({
      ...data,
      recordId: legacyAttendanceRecordId(String(data.activityId), String(data.personId)),
      act: 'training',
      mandateId: null,
      date: null,
      declared: false,
    }),
  },
});

export const ActivityOrganised = defineEvent({
  type: 'ActivityOrganised',
  version: 1,
  stream: 'activity',
  description:
    'A supervision activity (视察、调研、执法检查、专题询问、报告审议) or a meeting deputies are invited to (常委会会议 for 列席, 县委县政府意见征求会) was organised.',
  schema: z.object({
    activityId,
    kind: z
      .enum(ACTIVITY_KINDS)
      .describe('the main kind of activity; participation counts as this act (列席 for a committee meeting, 推荐 for a consultation meeting)'),
    forms: z
      .array(z.enum(SUPERVISION_ACTS))
      .describe('the supervision acts it combines, e.g. [research, report-deliberation] for 调研+审议; a supervision activity lists its own kind'),
    title,
    date: date.describe('the day of the activity; participants’ mandates must be valid on it'),
    organiser: z.string().min(1).max(200).describe('who organised it, e.g. a working committee of the standing committee'),
    township: z.string().max(100).nullable().describe('the township or street where it took place, if it was local'),
  }),
});

export const ParticipationRecorded = defineEvent({
  type: 'ParticipationRecorded',
  version: 1,
  stream: 'activity',
  record: true,
  description:
    'A person took part in an organised activity (参加视察、调研、执法检查、专题询问、报告审议; 列席常委会会议; 被推荐参加意见征求会): one person-time (人次).',
  schema: z.object({
    ...actRecordFields,
    act: z
      .enum(PARTICIPATION_ACTS)
      .describe('the activity’s kind as an act; `committee-meeting-attendance` for 列席, `consultation-recommendation` for a consultation meeting'),
    activityId,
  }),
});

export const AbsenceRecorded = defineEvent({
  type: 'AbsenceRecorded',
  version: 1,
  stream: 'activity',
  record: true,
  description: 'A person expected at an organised activity was absent (缺席), with leave (请假) or without (无故缺席); scoring rules may deduct for it.',
  schema: z.object({
    ...actRecordFields,
    act: z.enum(ABSENCE_ACTS).describe('`absence-with-leave` (请假) or `absence-without-leave` (无故缺席)'),
    activityId,
    reason: z.string().max(1000).nullable().describe('the reason given for the leave, if any'),
  }),
});

export const ActivityCancelled = defineEvent({
  type: 'ActivityCancelled',
  version: 1,
  stream: 'activity',
  description:
    'An organised activity was cancelled (取消): nothing more can be recorded for it. Records already made stay and still count; ' +
    'one that should not is retracted on its own (撤销).',
  schema: z.object({ activityId, reason: z.string().min(1).max(1000).describe('why it was cancelled') }),
});

export const activityEvents = [TrainingOrganised, TrainingAttendanceRecorded, ActivityOrganised, ParticipationRecorded, AbsenceRecorded, ActivityCancelled];
export type ActivityOwnEvent =
  | EventOf<typeof TrainingOrganised>
  | EventOf<typeof TrainingAttendanceRecorded>
  | EventOf<typeof ActivityOrganised>
  | EventOf<typeof ParticipationRecorded>
  | EventOf<typeof AbsenceRecorded>
  | EventOf<typeof ActivityCancelled>;
/** Everything on an activity stream: its own events and the review of its records. */
export type ActivityEvent = ActivityOwnEvent | ReviewEvent;
export type ActivityOrganisedData = EventOf<typeof ActivityOrganised>['data'];
