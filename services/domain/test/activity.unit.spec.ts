import { describe, it } from 'vitest';
import { activityDecider, type ActivityCommand } from '../src/activity/decider.ts';
import type { ActivityEvent } from '../src/activity/events.ts';
import { spec } from './spec.ts';

const activityId = '7d6f0b0e-3b7e-4d53-9a59-1a2b3c4d5e6f';
const personId = '0f8fad5b-d9cb-469f-a165-70867728950e';
const organised: ActivityEvent = {
  type: 'TrainingOrganised',
  data: { activityId, trainingType: 'induction-class', title: '新任代表履职培训班', date: '2022-03-15' },
};
const attend: ActivityCommand = { type: 'RecordTrainingAttendance', data: { activityId, personId } };
const training = spec(activityDecider);

describe('when no training exists', () => {
  it('organises one', () => {
    training.given([]).when({ type: 'OrganiseTraining', data: organised.data }).then([organised]);
  });
  it('rejects an attendance', () => {
    training.given([]).when(attend).thenRejects('activity-not-found');
  });
});

describe('when the training is organised', () => {
  it('rejects organising it again', () => {
    training.given([organised]).when({ type: 'OrganiseTraining', data: organised.data }).thenRejects('activity-exists');
  });
  it('records an attendance with the training type', () => {
    training
      .given([organised])
      .when(attend)
      .then([{ type: 'TrainingAttendanceRecorded', data: { activityId, personId, trainingType: 'induction-class' } }]);
  });
});

describe('when the person already attended', () => {
  it('rejects a second attendance', () => {
    training
      .given([organised, { type: 'TrainingAttendanceRecorded', data: { activityId, personId, trainingType: 'induction-class' } }])
      .when(attend)
      .thenRejects('already-attended');
  });
});
