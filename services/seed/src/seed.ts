/**
 * The demo county. Every record goes through the domain commands, with ids and command ids
 * derived from the seed, so the same seed gives the same log and running it twice adds nothing.
 */
import { createDomain, TRAINING_TYPES, eventIdFor, type CommandContext, type TrainingType } from '@yingpan/domain';
import type { EventStore } from '@yingpan/event-store';
import { chineseName } from './names.ts';
import { Random } from './random.ts';

export interface SeedOptions {
  seed: number;
  people?: number;
  trainings?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface SeedSummary {
  people: number;
  trainings: number;
  attendances: number;
}

const TITLES: Record<TrainingType, string[]> = {
  'annual-study-plan': ['年度学习计划专题学习', '“一要点四计划”集中学习'],
  'expert-lecture': ['宪法和法律专题讲座', '预算审查监督专家讲座', '代表履职能力提升讲座'],
  'station-study': ['代表进站集中学习', '联络站学习日'],
  'induction-class': ['新任人大代表履职培训班', '新任机关干部培训班'],
  'committee-member-training': ['常委会组成人员履职培训', '常委会组成人员专题研讨班'],
};

const STAFF = { personId: 'seed', role: 'staff' };

export async function seedDemo(store: EventStore, options: SeedOptions): Promise<SeedSummary> {
  const random = new Random(options.seed);
  const { bus } = createDomain(store);
  const id = (kind: string, index: number) => eventIdFor(`seed-${options.seed}`, kind, index);
  const context = (kind: string, index: number, occurredAt: string): CommandContext => ({
    commandId: id(`command-${kind}`, index),
    actor: STAFF,
    occurredAt,
  });

  const peopleCount = options.people ?? 24;
  const trainingCount = options.trainings ?? 8;
  const plan: Array<() => Promise<unknown>> = [];
  const people = Array.from({ length: peopleCount }, (_, index) => id('person', index));
  people.forEach((personId, index) => {
    const person = { personId, name: chineseName(random), gender: random.pick(['male', 'female'] as const), publicServant: random.next() < 0.4 };
    plan.push(() => bus.execute('RegisterPerson', person, context('person', index, '2021-12-01T01:00:00.000Z')));
  });
  let attendances = 0;
  for (let index = 0; index < trainingCount; index++) {
    const activityId = id('training', index);
    const trainingType = TRAINING_TYPES[index % TRAINING_TYPES.length]!;
    const date = `202${2 + (index % 2)}-${String(random.int(1, 12)).padStart(2, '0')}-${String(random.int(1, 28)).padStart(2, '0')}`;
    const occurredAt = `${date}T02:00:00.000Z`;
    const training = { activityId, trainingType, title: random.pick(TITLES[trainingType]), date };
    plan.push(() => bus.execute('OrganiseTraining', training, context('training', index, occurredAt)));
    for (const [slot, personId] of random.sample(people, random.int(3, Math.min(12, peopleCount))).entries()) {
      attendances += 1;
      plan.push(() => bus.execute('RecordTrainingAttendance', { activityId, personId }, context(`attendance-${index}`, slot, occurredAt)));
    }
  }
  for (const [done, step] of plan.entries()) {
    await step();
    options.onProgress?.(done + 1, plan.length);
  }
  return { people: peopleCount, trainings: trainingCount, attendances };
}
