/**
 * 组织培训或活动并登记参加人员 — the clerk's one-submit flow on /training, as pure functions:
 * reading a pasted sign-in sheet (签到表) into names, matching the names to people (namesakes to
 * choose, unknown names to remove), the seat each person is recorded in on the activity's date,
 * the one command the flow sends (`organiseTrainingWithAttendance` or
 * `organiseActivityWithParticipants`: the activity and everyone on it in one append, all or
 * nothing), and which row a refusal concerns.
 */
import { OrganiseActivityWithParticipantsCommand } from '$lib/forms/activity-commands';
import { command, type CommandPlan } from '$lib/forms/command';
import { mandatesFor, type MandateOption, type PersonChoice } from '$lib/forms/engine';
import { graphql } from '$lib/gql';
import type { Words } from '$lib/i18n';
import { ACTIVITY_KIND_LABELS, TRAINING_TYPE_LABELS } from '$lib/vocabulary.generated';

const OrganiseTrainingWithAttendanceCommand = graphql(`
  mutation OrganiseTrainingWithAttendanceCommand($input: OrganiseTrainingWithAttendanceInput!) {
    result: organiseTrainingWithAttendance(input: $input) {
      __typename
      ...CommandRecorded
      ...CommandRejected
    }
  }
`);

// ---------------------------------------------------------------------------------------------
// What can be organised

export interface Category {
  /** `training:INDUCTION_CLASS` or `activity:INSPECTION`. */
  value: string;
  label: Words;
}

/** Every kind the generated domain vocabulary names, as `prefix:KIND`; `notes` adds words after some (what a meeting counts as). */
const categories = <K extends string>(prefix: string, labels: Record<K, Words>, notes: Partial<Record<K, Words>> = {}): Category[] =>
  (Object.keys(labels) as K[]).map((kind) => ({
    value: `${prefix}:${kind}`,
    label: { zh: `${labels[kind].zh}${notes[kind]?.zh ?? ''}`, en: `${labels[kind].en}${notes[kind]?.en ?? ''}` },
  }));

/** Trainings (培训), as the API's TrainingType. */
export const TRAINING_CATEGORIES: readonly Category[] = categories('training', TRAINING_TYPE_LABELS);

/** Supervision activities and the meetings deputies are invited to, as the API's OrganiseActivityKind. */
export const ACTIVITY_CATEGORIES: readonly Category[] = categories('activity', ACTIVITY_KIND_LABELS, {
  COMMITTEE_MEETING: { zh: '（列席）', en: ' (attending)' },
  CONSULTATION_MEETING: { zh: '（推荐）', en: ' (recommended)' },
});

export const isTraining = (value: string) => value.startsWith('training:');
const enumOf = (value: string) => value.slice(value.indexOf(':') + 1);

export const categoryLabel = (value: string): Words =>
  [...TRAINING_CATEGORIES, ...ACTIVITY_CATEGORIES].find((item) => item.value === value)?.label ?? { zh: '活动', en: 'Activity' };

/** The seat kinds the activity takes: 列席 is for deputies only; anything else, any seat. */
export const seatKindsFor = (value: string): readonly string[] | undefined => (value === 'activity:COMMITTEE_MEETING' ? ['DEPUTY'] : undefined);

// ---------------------------------------------------------------------------------------------
// People on the sheet

/** A person as the search and the sheet's matching return them (with what tells namesakes apart). */
export interface SheetPerson {
  personId: string;
  name: string;
  gender?: string | null;
  mandates: readonly MandateOption[];
}

/** A person recorded: their seat on the day (null when they held none that fits). */
export interface Attendee extends SheetPerson {
  mandateId: string | null;
}

/** An absentee: with leave (请假) or without (无故缺席), and the reason given. */
export interface Absentee extends Attendee {
  act: 'ABSENCE_WITH_LEAVE' | 'ABSENCE_WITHOUT_LEAVE';
  reason: string;
}

/** The seats a person held on `date` that the activity takes. */
export const seatsOn = (person: Pick<SheetPerson, 'mandates'>, date: string, kinds?: readonly string[]): MandateOption[] =>
  mandatesFor(person, kinds ? { kinds } : undefined, date);

/** The person with a seat for `date`: the one they had if it still fits, else the first that does, else none. */
export function withSeat<P extends SheetPerson & { mandateId?: string | null }>(
  person: P,
  date: string,
  kinds?: readonly string[],
): P & { mandateId: string | null } {
  const seats = seatsOn(person, date, kinds);
  const kept = seats.find((seat) => seat.mandateId === person.mandateId);
  return { ...person, mandateId: kept?.mandateId ?? seats[0]?.mandateId ?? null };
}

/** A picked person (PersonChoice from the picker) as an attendee seated on `date`. */
export const attendeeOf = (person: PersonChoice & { gender?: string | null }, date: string, kinds?: readonly string[]): Attendee =>
  withSeat({ personId: person.personId, name: person.name, gender: person.gender ?? null, mandates: person.mandates, mandateId: null }, date, kinds);

// ---------------------------------------------------------------------------------------------
// Reading a sign-in sheet

/** Separators between names: line breaks, 、，,；; and tabs. Spaces are read below. */
const SEPARATORS = /[\n\r\t、，,；;]+/;
/** A piece holding no letter of a name: a number, a tick, punctuation. */
const NOT_A_NAME = /^[\p{N}\p{P}\p{S}]*$/u;
/** A leading number of a numbered list: "1.", "12、", "(3)", "３．". */
const NUMBERING = /^[(（]?\p{N}+[)）.．、:：]?\s*/u;
const HAN = /^\p{Script=Han}$/u;

/**
 * The names on a sign-in sheet, in order, each once, and the names written more than once. Names
 * are separated by line breaks, 、，, ；, tabs or spaces; a two-character name spaced to line up
 * with three-character ones ("王　芳") stays one name; a list's numbering is dropped.
 */
export function parseSheet(text: string): { names: string[]; repeated: string[] } {
  const names: string[] = [];
  const repeated: string[] = [];
  for (const piece of text.split(SEPARATORS)) {
    const cleaned = piece.replace(NUMBERING, '').trim();
    if (cleaned === '') continue;
    const words = cleaned.split(/[\s\u3000]+/).filter(Boolean);
    const spaced = words.length === 2 && words.every((word) => HAN.test(word));
    for (const word of spaced ? [words.join('')] : words) {
      const name = word.replace(NUMBERING, '').trim();
      if (name === '' || NOT_A_NAME.test(name)) continue;
      if (names.includes(name)) {
        if (!repeated.includes(name)) repeated.push(name);
      } else names.push(name);
    }
  }
  return { names, repeated };
}

/** A name of the sheet that is not settled yet: nobody bears it, nobody bearing it had a seat that day, or namesakes to choose from. */
export interface SheetIssue {
  name: string;
  kind: 'unknown' | 'no-seat' | 'namesakes';
  /** The namesakes who held a seat on the day (to choose one), or everyone bearing the name (no-seat). */
  candidates: SheetPerson[];
}

/**
 * The people the sheet names, matched on the day: a name borne by exactly one person with a seat
 * that day is theirs (namesakes without a seat that day are no choice); a name with several such
 * people waits for the clerk's choice; a name nobody bears, or nobody with a seat that day, is
 * listed for the clerk to remove. People already on the list are not added twice.
 */
export function matchSheet(
  answers: readonly { name: string; people: readonly SheetPerson[] }[],
  date: string,
  listed: ReadonlySet<string>,
  kinds?: readonly string[],
): { matched: SheetPerson[]; issues: SheetIssue[]; alreadyListed: string[] } {
  const matched: SheetPerson[] = [];
  const issues: SheetIssue[] = [];
  const alreadyListed: string[] = [];
  for (const { name, people } of answers) {
    const seated = people.filter((person) => seatsOn(person, date, kinds).length > 0);
    if (people.length === 0) issues.push({ name, kind: 'unknown', candidates: [] });
    else if (seated.length === 0) issues.push({ name, kind: 'no-seat', candidates: [...people] });
    else if (seated.length === 1) {
      if (listed.has(seated[0]!.personId)) alreadyListed.push(name);
      else matched.push(seated[0]!);
    } else issues.push({ name, kind: 'namesakes', candidates: seated });
  }
  return { matched, issues, alreadyListed };
}

// ---------------------------------------------------------------------------------------------
// The command

export interface Details {
  category: string;
  title: string;
  date: string;
  organiser: string;
  township: string;
}

/** The one command that records the activity and everyone on it (the activity's id and the record ids from `ids`, kept for a retry). */
export function planOf(details: Details, attendees: readonly Attendee[], absentees: readonly Absentee[], ids: (name: string) => string): CommandPlan {
  const seat = (person: Attendee, list: string) => ({ personId: person.personId, mandateId: person.mandateId, recordId: ids(`${list}:${person.personId}`) });
  const common = { activityId: ids('activityId'), title: details.title.trim(), date: details.date };
  if (isTraining(details.category)) {
    return command(OrganiseTrainingWithAttendanceCommand, {
      ...common,
      trainingType: enumOf(details.category),
      attendees: attendees.map((person) => seat(person, 'attendees')),
    });
  }
  return command(OrganiseActivityWithParticipantsCommand, {
    ...common,
    kind: enumOf(details.category),
    organiser: details.organiser.trim(),
    township: details.township.trim() || null,
    participants: attendees.map((person) => seat(person, 'participants')),
    absentees: absentees.map((person) => ({ ...seat(person, 'absentees'), act: person.act, reason: person.reason.trim() || null })),
  });
}

/** The row a refusal's field names (`attendees.3.mandateId` → the 4th attendee), or null for the activity's own fields. */
export function rowOfRejection(field: string | null | undefined): { list: 'attendees' | 'absentees'; index: number } | null {
  const found = /^(attendees|participants|absentees)\.(\d+)(\.|$)/.exec(field ?? '');
  if (!found) return null;
  return { list: found[1] === 'absentees' ? 'absentees' : 'attendees', index: Number(found[2]) };
}

/** The detail field a refusal names (`title`, `date`, …), or null. */
export function detailOfRejection(field: string | null | undefined): keyof Details | null {
  switch (field) {
    case 'title':
    case 'date':
    case 'organiser':
    case 'township':
      return field;
    case 'trainingType':
    case 'kind':
    case 'forms':
      return 'category';
    default:
      return null;
  }
}
