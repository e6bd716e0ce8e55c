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
import { activityDecider, activityNotFound, activityStream, type Participant } from './decider.ts';
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

export const activityCommands = [organiseTraining, recordTrainingAttendance, organiseActivity, recordParticipation, recordAbsence, cancelActivity];
