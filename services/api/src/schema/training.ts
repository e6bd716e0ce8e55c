/** Trainings (培训): the person-times read model, the directory lists and the attendance command. */
import { commandDefinitions, DomainError, TRAINING_TYPE_LABELS, TRAINING_TYPES, type TrainingType as Kind } from '@yingpan/domain';
import { findTraining, listPeople, listTrainings, trainingPersonTimes, type TrainingRow, type TrainingTypeCount } from '@yingpan/projections';
import { builder } from './builder.ts';
import { CommandResultRef } from './command-result.ts';
import { pageOf, pageTypes, rolesText } from './common.ts';
import { NodeRef, nodeType } from './node.ts';
import { PersonType } from './people.ts';

export const TrainingType = builder.enumType('TrainingType', {
  description: 'Kinds of training (培训).',
  values: Object.fromEntries(
    TRAINING_TYPES.map((kind) => [kind.toUpperCase().replaceAll('-', '_'), { value: kind, description: TRAINING_TYPE_LABELS[kind].zh }]),
  ) as Record<string, { value: Kind; description: string }>,
});

const TrainingTypeCountRef = builder.objectRef<TrainingTypeCount>('TrainingTypeCount').implement({
  description: 'Person-times (人次) of attendance for one kind of training.',
  fields: (t) => ({
    trainingType: t.field({ type: TrainingType, resolve: (row) => row.trainingType }),
    labelZh: t.string({ resolve: (row) => TRAINING_TYPE_LABELS[row.trainingType].zh }),
    labelEn: t.string({ resolve: (row) => TRAINING_TYPE_LABELS[row.trainingType].en }),
    personTimes: t.exposeInt('personTimes'),
  }),
});

const TrainingRef = builder.objectRef<TrainingRow>('Training').implement({
  description: 'One organised training session.',
  interfaces: [NodeRef],
  fields: (t) => ({
    id: t.id(
      nodeType<TrainingRow>(
        'Training',
        (training) => training.activityId,
        ({ db }, trainingId) => findTraining(db, trainingId),
      ),
    ),
    trainingId: t.exposeID('activityId', { description: 'The training (the activity’s id): `recordTrainingAttendance` takes it.' }),
    trainingType: t.field({ type: TrainingType, resolve: (row) => row.trainingType }),
    title: t.exposeString('title'),
    date: t.expose('date', { type: 'Date', description: 'ISO date (YYYY-MM-DD).' }),
    attendees: t.exposeInt('attendees', { description: 'Person-times recorded so far.' }),
  }),
});

/** How many trainings `trainingsConnection` pages through (a county organises a few dozen a year). */
const TRAININGS_READ = 100_000;

builder.queryFields((t) => ({
  trainingPersonTimes: t.field({
    type: [TrainingTypeCountRef],
    description: 'Training person-times per kind of training, every kind listed (zero included).',
    args: { year: t.arg.int({ description: 'Only acts that happened in this year.' }) },
    resolve: (_, { year }, { db }) => trainingPersonTimes(db, year ?? undefined),
  }),
  people: t.field({
    type: [PersonType],
    description: 'People by name (at most 500).',
    deprecationReason: 'Use peopleConnection instead: every person, a page at a time.',
    resolve: (_, __, { db }) => listPeople(db),
  }),
  trainings: t.field({
    type: [TrainingRef],
    description: 'Trainings, newest first (at most 200).',
    deprecationReason: 'Use trainingsConnection instead: every training, a page at a time.',
    resolve: (_, __, { db }) => listTrainings(db),
  }),
  trainingsConnection: t.connection(
    {
      type: TrainingRef,
      description: 'Every training, newest first (then by title), a page at a time.',
      resolve: async (_, args, { db }) => pageOf(args, await listTrainings(db, TRAININGS_READ)),
    },
    ...pageTypes('Training', 'Trainings, newest first.', 'A training.'),
  ),
}));

const RecordTrainingAttendanceInput = builder.inputType('RecordTrainingAttendanceInput', {
  fields: (t) => ({
    commandId: t.id({ required: true, description: 'Chosen by the client (a UUID); retrying with the same id records nothing new.' }),
    trainingId: t.id({ required: true }),
    personId: t.id({ required: true }),
    occurredAt: t.string({ description: 'When the attendance happened (ISO 8601); defaults to now.' }),
  }),
});

builder.mutationField('recordTrainingAttendance', (t) =>
  t.field({
    type: CommandResultRef,
    description: `Records that a person attended a training (one person-time); a deputy may declare their own (申报). May be issued by: ${rolesText(
      commandDefinitions.find((definition) => definition.name === 'RecordTrainingAttendance')!.roles,
    )}; others get a Rejection with code "forbidden".`,
    errors: { types: [DomainError], directResult: true },
    args: { input: t.arg({ type: RecordTrainingAttendanceInput, required: true }) },
    async resolve(_, { input }, context) {
      const outcome = await context.commands.execute(
        'RecordTrainingAttendance',
        { activityId: String(input.trainingId), personId: String(input.personId) },
        context.commandContext(String(input.commandId), input.occurredAt ?? undefined),
      );
      const position = outcome.events.at(-1)?.position ?? 0;
      // Answered once durable; a client that must read it back names the position (consistency.ts).
      context.written.position = Math.max(context.written.position, position);
      return { position, duplicate: outcome.duplicate, events: outcome.events };
    },
  }),
);
