import { z } from 'zod';
import { defineCommand } from '../kernel/command.ts';
import { DomainError } from '../kernel/errors.ts';
import type { Lookups } from '../kernel/lookups.ts';
import type { CommandContext } from '../kernel/messages.ts';
import { ACT_RECORDERS, declaredBy, recordIdFor } from '../kernel/recording.ts';
import { RECORDING_ROLES } from '../kernel/roles.ts';
import { id, isoDate, reason, text } from '../kernel/schemas.ts';
import { actingMandate } from '../mandate/acting.ts';
import { personStream } from '../person/decider.ts';
import { eventIdFor } from '../kernel/ids.ts';
import {
  activityDecider,
  activityNotFound,
  activityStream,
  refusalAt,
  sheetPlace,
  type Absentee,
  type Attendee,
  type Participant,
  type SheetPlace,
} from './decider.ts';
import { ABSENCE_ACTS, ACTIVITY_KINDS, isSupervisionKind, SUPERVISION_ACTS, TRAINING_TYPES } from './events.ts';

/** The activity's date, which every participant's mandate must cover; an unknown activity is refused here. */
async function activityDate(lookups: Lookups, activityId: string): Promise<string> {
  const { state } = await lookups.state(activityDecider, activityStream(activityId));
  if (state.status === 'none') throw activityNotFound();
  return state.date;
}

export const organiseTraining = defineCommand({
  name: 'OrganiseTraining',
  description: 'Records a training (培训) that was organised.',
  roles: ['staff', 'admin'],
  input: z.object({ activityId: id, trainingType: z.enum(TRAINING_TYPES), title: text(200), date: isoDate }),
  decider: activityDecider,
  streamId: (input) => activityStream(input.activityId),
  toCommand: (data) => ({ type: 'OrganiseTraining' as const, data }),
});

export const recordTrainingAttendance = defineCommand({
  name: 'RecordTrainingAttendance',
  description: 'Records that a person attended a training: one person-time (人次). A deputy may declare their own attendance (申报).',
  roles: ACT_RECORDERS,
  input: z.object({
    activityId: id,
    personId: id,
    /** Optional: trainings count for every team, and staff often record a class without naming seats. */
    mandateId: id.optional(),
    recordId: id.optional(),
  }),
  decider: activityDecider,
  streamId: (input) => activityStream(input.activityId),
  async toCommand({ activityId, personId, mandateId, recordId }, { context, lookups }) {
    const declared = declaredBy(context, personId);
    if (!(await lookups.exists(personStream(personId)))) {
      throw new DomainError('person-not-found', { zh: '找不到该人员', en: 'No such person' }, 'personId');
    }
    if (mandateId) await actingMandate(lookups, mandateId, personId, await activityDate(lookups, activityId));
    return {
      type: 'RecordTrainingAttendance' as const,
      data: { activityId, recordId: recordIdFor(context, recordId), personId, mandateId: mandateId ?? null, declared },
    };
  },
});

export const organiseActivity = defineCommand({
  name: 'OrganiseActivity',
  description: 'Records an organised supervision activity (视察、调研、执法检查、专题询问、报告审议) or a meeting deputies attend (常委会会议, 意见征求会).',
  roles: ['staff', 'admin'],
  input: z.object({
    activityId: id,
    kind: z.enum(ACTIVITY_KINDS),
    /** The supervision acts combined (调研+审议); a supervision activity defaults to its own kind, a meeting to none. */
    forms: z.array(z.enum(SUPERVISION_ACTS)).max(SUPERVISION_ACTS.length).optional(),
    title: text(200),
    date: isoDate,
    organiser: text(200),
    township: text(100).nullable().default(null),
  }),
  decider: activityDecider,
  streamId: (input) => activityStream(input.activityId),
  toCommand: ({ forms, ...data }) => ({
    type: 'OrganiseActivity' as const,
    data: { ...data, forms: forms ?? (isSupervisionKind(data.kind) ? [data.kind] : []) },
  }),
});

const participantInput = z.object({ activityId: id, personId: id, mandateId: id, recordId: id.optional() });

async function participant(
  { activityId, personId, mandateId, recordId }: z.output<typeof participantInput>,
  { context, lookups }: { context: CommandContext; lookups: Lookups },
): Promise<Participant> {
  const declared = declaredBy(context, personId);
  const mandate = await actingMandate(lookups, mandateId, personId, await activityDate(lookups, activityId));
  return { activityId, recordId: recordIdFor(context, recordId), personId, mandateId, mandateKind: mandate.kind, declared };
}

export const recordParticipation = defineCommand({
  name: 'RecordParticipation',
  description: 'Records that a person took part in an organised activity (参加活动; 列席; 被推荐参加意见征求会). A deputy may declare their own (申报).',
  roles: ACT_RECORDERS,
  input: participantInput,
  decider: activityDecider,
  streamId: (input) => activityStream(input.activityId),
  toCommand: async (input, env) => ({ type: 'RecordParticipation' as const, data: await participant(input, env) }),
});

export const recordAbsence = defineCommand({
  name: 'RecordAbsence',
  description: 'Records that a person expected at an organised activity was absent, with leave (请假) or without (无故缺席). Recorded by staff only.',
  roles: RECORDING_ROLES,
  input: participantInput.extend({ act: z.enum(ABSENCE_ACTS), reason: text(1000).nullable().default(null) }),
  decider: activityDecider,
  streamId: (input) => activityStream(input.activityId),
  toCommand: async ({ act, reason, ...input }, env) => ({ type: 'RecordAbsence' as const, data: { ...(await participant(input, env)), act, reason } }),
});

export const cancelActivity = defineCommand({
  name: 'CancelActivity',
  description: 'Cancels an organised activity (取消): nothing more can be recorded for it; records already made stay.',
  roles: ['staff', 'admin'],
  input: z.object({ activityId: id, reason }),
  decider: activityDecider,
  streamId: (input) => activityStream(input.activityId),
  toCommand: (data) => ({ type: 'CancelActivity' as const, data }),
});

// ---------------------------------------------------------------------------------------------
// An activity with its sign-in sheet, in one command (all or nothing; see the decider)

/** The most people one sheet may hold (a county-wide class of deputies is a few hundred). */
export const MAX_SHEET = 1000;

const sheetPerson = z.object({
  personId: id,
  /** The seat the person attended in, valid on the activity's date: every person of a sheet names one. */
  mandateId: id,
  recordId: id.optional(),
});

/** The record id of the n-th person of a sheet when the client chose none: the same on a retry. */
const sheetRecordId = (context: CommandContext, list: string, index: number, given: string | undefined) =>
  given ?? eventIdFor(context.commandId, `record:${list}`, index);

/**
 * Checks every person of a sheet before anything is decided: the person is known and the seat is
 * theirs and valid on `date` (its kind returned). The first refusal in sheet order is reported at
 * its place (`attendees.3.mandateId`), so the clerk sees which line is wrong.
 */
async function checkSheet<P extends z.output<typeof sheetPerson>>(
  lookups: Lookups,
  people: readonly P[],
  list: 'attendees' | 'participants' | 'absentees',
  date: string,
): Promise<Awaited<ReturnType<typeof actingMandate>>[]> {
  const checks = await Promise.allSettled(
    people.map(async (person, index) => {
      const place: SheetPlace = sheetPlace(list, index);
      if (!(await lookups.exists(personStream(person.personId)))) {
        throw refusalAt(place, new DomainError('person-not-found', { zh: '找不到该人员', en: 'No such person' }, 'personId'));
      }
      return actingMandate(lookups, person.mandateId, person.personId, date, { field: `${place.path}.mandateId`, prefix: place.prefix });
    }),
  );
  const refused = checks.find((check) => check.status === 'rejected');
  if (refused) throw (refused as PromiseRejectedResult).reason;
  return checks.map((check) => (check as PromiseFulfilledResult<Awaited<ReturnType<typeof actingMandate>>>).value);
}

export const organiseTrainingWithAttendance = defineCommand({
  name: 'OrganiseTrainingWithAttendance',
  description:
    'Records a training (培训) together with everyone who attended it (its sign-in sheet): one person-time (人次) each, every attendee in a seat valid on the training’s date. ' +
    'All or nothing: when any attendee is refused, nothing is recorded.',
  roles: ['staff', 'admin'],
  input: z.object({
    activityId: id,
    trainingType: z.enum(TRAINING_TYPES),
    title: text(200),
    date: isoDate,
    attendees: z.array(sheetPerson).min(1).max(MAX_SHEET),
  }),
  decider: activityDecider,
  streamId: (input) => activityStream(input.activityId),
  async toCommand({ attendees, ...training }, { context, lookups }) {
    await checkSheet(lookups, attendees, 'attendees', training.date);
    return {
      type: 'OrganiseTrainingWithAttendance' as const,
      data: {
        training,
        attendees: attendees.map(
          ({ personId, mandateId, recordId }, index): Attendee => ({
            activityId: training.activityId,
            recordId: sheetRecordId(context, 'attendees', index, recordId),
            personId,
            mandateId,
            declared: declaredBy(context, personId),
          }),
        ),
      },
    };
  },
});

export const organiseActivityWithParticipants = defineCommand({
  name: 'OrganiseActivityWithParticipants',
  description:
    'Records an organised supervision activity (视察、调研、执法检查、专题询问、报告审议) or a meeting deputies attend, together with who took part and who was absent ' +
    '(请假 or 无故缺席), each in a seat valid on its date. All or nothing: when any person is refused, nothing is recorded.',
  roles: ['staff', 'admin'],
  input: z.object({
    activityId: id,
    kind: z.enum(ACTIVITY_KINDS),
    /** The supervision acts combined (调研+审议); a supervision activity defaults to its own kind, a meeting to none. */
    forms: z.array(z.enum(SUPERVISION_ACTS)).max(SUPERVISION_ACTS.length).optional(),
    title: text(200),
    date: isoDate,
    organiser: text(200),
    township: text(100).nullable().default(null),
    participants: z.array(sheetPerson).max(MAX_SHEET),
    absentees: z
      .array(sheetPerson.extend({ act: z.enum(ABSENCE_ACTS), reason: text(1000).nullable().default(null) }))
      .max(MAX_SHEET)
      .default([]),
  }),
  decider: activityDecider,
  streamId: (input) => activityStream(input.activityId),
  async toCommand({ participants, absentees, forms, ...activity }, { context, lookups }) {
    const seats = await checkSheet(lookups, participants, 'participants', activity.date);
    const absentSeats = await checkSheet(lookups, absentees, 'absentees', activity.date);
    const participant = (
      list: string,
      { personId, mandateId, recordId }: z.output<typeof sheetPerson>,
      index: number,
      kind: Participant['mandateKind'],
    ): Participant => ({
      activityId: activity.activityId,
      recordId: sheetRecordId(context, list, index, recordId),
      personId,
      mandateId,
      mandateKind: kind,
      declared: declaredBy(context, personId),
    });
    return {
      type: 'OrganiseActivityWithParticipants' as const,
      data: {
        activity: { ...activity, forms: forms ?? (isSupervisionKind(activity.kind) ? [activity.kind] : []) },
        participants: participants.map((person, index) => participant('participants', person, index, seats[index]!.kind)),
        absentees: absentees.map(
          (person, index): Absentee => ({ ...participant('absentees', person, index, absentSeats[index]!.kind), act: person.act, reason: person.reason }),
        ),
      },
    };
  },
});

export const activityCommands = [
  organiseTraining,
  recordTrainingAttendance,
  organiseActivity,
  recordParticipation,
  recordAbsence,
  cancelActivity,
  organiseTrainingWithAttendance,
  organiseActivityWithParticipants,
];
