/**
 * 登记参训 as a form description for the form engine ($lib/forms/engine.ts), rendered by
 * CommandForm like the forms of /record: the trainings to choose from come from the page's query,
 * so the description is made from them; the person is found in the whole roster by name or pinyin
 * initials (the person picker; a deputy declares as themself). Its words are the shared messages
 * `m.form.*`, in both languages.
 */
import { command } from '$lib/forms/command';
import { compact, instantOf, personOf, textOf, type Field, type FormSpec, type Option } from '$lib/forms/engine';
import { graphql } from '$lib/gql';
import { fill } from '$lib/i18n';
import { m } from '$lib/messages';

/** The first slice's attendance answers `AttendanceRecorded`, with the same fields as every command's result. */
const RecordTrainingAttendanceCommand = graphql(`
  mutation RecordTrainingAttendanceCommand($input: RecordTrainingAttendanceInput!) {
    result: recordTrainingAttendance(input: $input) {
      __typename
      ... on CommandResult {
        position
        duplicate
        events {
          type
        }
      }
      ...CommandRejected
    }
  }
`);

export interface TrainingOption {
  trainingId: string;
  title: string;
  date: string;
  attendees: number;
}

/** Who may record an attendance (the SDL's "May be issued by" of recordTrainingAttendance; a unit test keeps them in step). */
export const ATTENDANCE_RECORDERS = ['deputy', 'staff', 'station-manager', 'committee-member', 'admin'] as const;

/**
 * A `datetime-local` value as the API's `occurredAt`: undefined when left empty (the API then uses
 * "now"), null when it is not a time at all.
 */
export function occurredAtFromLocalInput(value: string): string | undefined | null {
  return value.trim() === '' ? undefined : instantOf(value);
}

/** The attendance form for these trainings. */
export function attendanceForm(trainings: readonly TrainingOption[]): FormSpec {
  const trainingOptions: Option[] = trainings.map((training) => ({
    value: training.trainingId,
    label: fill(m.form.training.option, { date: training.date, title: training.title, attendees: training.attendees }),
  }));
  const fields: Field[] = [
    {
      kind: 'select',
      name: 'training',
      label: m.form.training,
      required: true,
      options: trainingOptions,
      api: ['trainingId', 'activityId'],
      ...(trainings.length === 0 ? { hint: m.form.training.empty } : {}),
    },
    { kind: 'person', name: 'person', label: m.form.person, required: true, selfWhenDeclaring: true, api: ['personId'] },
    { kind: 'datetime', name: 'occurredAt', label: m.form.occurredAt, hint: m.form.occurredAt.hint },
  ];
  const titleOf = (id: string | null) => trainings.find((training) => training.trainingId === id)?.title ?? id ?? '';
  return {
    id: 'attendance',
    declares: true,
    title: m.form.title,
    description: m.training.lead,
    roles: ATTENDANCE_RECORDERS,
    fields,
    plan: (values) => [
      command(
        RecordTrainingAttendanceCommand,
        compact({
          trainingId: textOf(values, 'training'),
          personId: personOf(values, 'person')?.personId,
          occurredAt: occurredAtFromLocalInput(textOf(values, 'occurredAt') ?? '') ?? undefined,
        }),
      ),
    ],
    confirm: (values) => {
      const what = { title: titleOf(textOf(values, 'training')), name: personOf(values, 'person')?.name ?? '' };
      return { zh: `${what.name} 参加培训「${what.title}」`, en: `${what.name} attended “${what.title}”` };
    },
  };
}
