/** Organised activities with participants. This slice covers trainings (培训). */
import { assertNever, type Decider } from '../kernel/decider.ts';
import { DomainError } from '../kernel/errors.ts';
import type { Command } from '../kernel/messages.ts';
import type { ActivityEvent, TrainingType } from './events.ts';

export type ActivityCommand =
  | Command<'OrganiseTraining', { activityId: string; trainingType: TrainingType; title: string; date: string }>
  | Command<'RecordTrainingAttendance', { activityId: string; personId: string }>;

export type ActivityState =
  | { status: 'none' }
  | { status: 'organised'; trainingType: TrainingType; title: string; date: string; participants: Set<string> };

export const activityStream = (activityId: string) => `activity:${activityId}`;

export const activityDecider: Decider<ActivityCommand, ActivityEvent, ActivityState> = {
  category: 'activity',
  initialState: () => ({ status: 'none' }),

  decide(command, state) {
    switch (command.type) {
      case 'OrganiseTraining':
        if (state.status !== 'none') {
          throw new DomainError('activity-exists', { zh: '该活动已经登记过', en: 'This activity is already recorded' }, 'activityId');
        }
        return [{ type: 'TrainingOrganised', data: command.data }];
      case 'RecordTrainingAttendance':
        if (state.status === 'none') {
          throw new DomainError('activity-not-found', { zh: '找不到该培训', en: 'No such training' }, 'activityId');
        }
        if (state.participants.has(command.data.personId)) {
          throw new DomainError(
            'already-attended',
            { zh: '该人员已登记参加此次培训', en: 'This person is already recorded as attending this training' },
            'personId',
          );
        }
        return [{ type: 'TrainingAttendanceRecorded', data: { ...command.data, trainingType: state.trainingType } }];
      default:
        return assertNever(command);
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'TrainingOrganised':
        return { status: 'organised', ...event.data, participants: new Set() };
      case 'TrainingAttendanceRecorded':
        if (state.status !== 'organised') return state;
        return { ...state, participants: new Set([...state.participants, event.data.personId]) };
      default:
        return assertNever(event);
    }
  },
};
