import { z } from 'zod';
import { defineEvent, type EventOf } from '../kernel/registry.ts';

/** Kinds of training (培训) the county organises. */
export const TRAINING_TYPES = ['annual-study-plan', 'expert-lecture', 'station-study', 'induction-class', 'committee-member-training'] as const;
export type TrainingType = (typeof TRAINING_TYPES)[number];

export const TRAINING_TYPE_LABELS: Record<TrainingType, { zh: string; en: string }> = {
  'annual-study-plan': { zh: '年度学习计划', en: 'Annual study plan' },
  'expert-lecture': { zh: '专家讲座', en: 'Expert lecture' },
  'station-study': { zh: '进站学习', en: 'Study at a station' },
  'induction-class': { zh: '新任干部和代表培训班', en: 'Induction class for new cadres and deputies' },
  'committee-member-training': { zh: '常委会组成人员培训', en: 'Standing-committee member training' },
};

const id = z.uuid();
const date = z.iso.date();

export const TrainingOrganised = defineEvent({
  type: 'TrainingOrganised',
  version: 1,
  stream: 'activity',
  description: 'A training (培训) was organised: its type, title and date.',
  schema: z.object({ activityId: id, trainingType: z.enum(TRAINING_TYPES), title: z.string().min(1).max(200), date }),
});

export const TrainingAttendanceRecorded = defineEvent({
  type: 'TrainingAttendanceRecorded',
  version: 2,
  stream: 'activity',
  description: 'A person attended a training: one person-time (人次).',
  schema: z.object({ activityId: id, personId: id, trainingType: z.enum(TRAINING_TYPES) }),
  // Version 1 did not repeat the training type; it was named "type".
  upcast: {
    1: ({ type, ...rest }) => ({ ...rest, trainingType: type }),
  },
});

export const activityEvents = [TrainingOrganised, TrainingAttendanceRecorded];
export type ActivityEvent = EventOf<typeof TrainingOrganised> | EventOf<typeof TrainingAttendanceRecorded>;
