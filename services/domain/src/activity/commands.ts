import { z } from 'zod';
import { DomainError } from '../kernel/errors.ts';
import { defineCommand } from '../kernel/command.ts';
import { id, isoDate, text } from '../kernel/schemas.ts';
import { personStream } from '../person/decider.ts';
import { activityDecider, activityStream } from './decider.ts';
import { TRAINING_TYPES } from './events.ts';

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
  description: 'Records that a person attended a training: one person-time (人次).',
  roles: ['staff', 'station-manager', 'admin'],
  input: z.object({ activityId: id, personId: id }),
  decider: activityDecider,
  streamId: (input) => activityStream(input.activityId),
  async toCommand(data, { lookups }) {
    if (!(await lookups.exists(personStream(data.personId)))) {
      throw new DomainError('person-not-found', { zh: '找不到该人员', en: 'No such person' }, 'personId');
    }
    return { type: 'RecordTrainingAttendance' as const, data };
  },
});

export const activityCommands = [organiseTraining, recordTrainingAttendance];
