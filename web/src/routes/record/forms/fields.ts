/**
 * What the forms of /record share: the roles the API lets issue their commands, the common
 * fields (a date, a station, a deadline, a reason, the person who acted) and small helpers.
 */
import { isDeclaring, personOf, textOf, type Field, type FormContext, type Option, type PersonChoice, type Values } from '$lib/forms/engine';
import type { Words } from '$lib/i18n';

// ---------------------------------------------------------------------------------------------
// Roles (as the API's mutations list them)

export const STAFF = ['staff', 'admin'] as const;
export const STATION_ACTS = ['deputy', 'staff', 'station-manager', 'admin'] as const;
export const ACT_RECORDERS = ['deputy', 'staff', 'station-manager', 'committee-member', 'admin'] as const;
/** Those whose records are approved on entry: they record absences (never declared). */
export const RECORDERS = ['staff', 'station-manager', 'committee-member', 'admin'] as const;
export const OPINION_HANDLERS = ['staff', 'station-manager', 'admin'] as const;
export const SUGGESTION_WRITERS = ['deputy', 'staff', 'admin'] as const;
export const DUTY_REPORT_RATERS = ['station-manager', 'staff', 'admin'] as const;

export const DEPUTY_SEAT = ['DEPUTY'];

// ---------------------------------------------------------------------------------------------
// Shared fields and words

export const L = {
  date: { zh: '日期', en: 'Date' },
  station: { zh: '家站', en: 'Station' },
  deputy: { zh: '代表', en: 'Deputy' },
  summary: { zh: '履职内容', en: 'What was done' },
  opinion: { zh: '意见', en: 'Opinion' },
  reason: { zh: '理由', en: 'Reason' },
  deadline: { zh: '答复期限', en: 'Deadline' },
} satisfies Record<string, Words>;

export const notOwn = { zh: '代表只能申报本人的履职事项', en: 'A deputy can only declare their own acts' };

/** A declaring deputy may name only themself (as the API's `not-own-act`). */
export function ownActs(value: unknown, _values: Values, context: FormContext): Words | null {
  if (!isDeclaring(context) || !context.self) return null;
  const chosen = Array.isArray(value) ? value : value ? [value] : [];
  return chosen.some((person) => (person as PersonChoice).personId !== context.self!.personId) ? notOwn : null;
}

/**
 * The person who did the act, in the seat they held that day (of `kinds`, any when none): a
 * declaring deputy is themself. Without a date field the seat must be held today.
 */
export const actorField = (name: string, label: Words, dateField: string | undefined, api: string[], kinds?: readonly string[]): Field => ({
  kind: 'person',
  name,
  label,
  required: true,
  mandate: { ...(kinds ? { kinds } : {}), ...(dateField ? { dateField } : {}) },
  selfWhenDeclaring: true,
  api,
  check: ownActs,
});

/** A deputy acting in their deputy seat on the date of `dateField`. */
export const deputyField = (name: string, label: Words, dateField: string, api: string[]): Field => actorField(name, label, dateField, api, DEPUTY_SEAT);

export const dateField = (name: string, label: Words = L.date, extra: Partial<Extract<Field, { kind: 'date' }>> = {}): Field => ({
  kind: 'date',
  name,
  label,
  required: true,
  notFuture: true,
  defaultToday: true,
  ...extra,
});

export const stationField: Field = { kind: 'station', name: 'stationId', label: L.station, required: true };

/** A deadline not before the date of `after` (its label names that date in the message). */
export const deadlineField = (name: string, after: string, afterLabel: Words, label: Words = L.deadline): Field => ({
  kind: 'date',
  name,
  label,
  required: true,
  notBefore: { field: after, label: afterLabel },
});

/** Why, in words that will stand in the record (the API's `reason`: at most 1000 characters). */
export const reasonField = (label: Words = L.reason, required = true): Field => ({ kind: 'textarea', name: 'reason', label, required, maxLength: 1000 });

/** Words a page put beside a context value (e.g. `activityLabel`: the activity as the page showed it). */
export const wordsOf = (values: Values, name: string): Words | null => {
  const text = textOf(values, name);
  return text ? { zh: text, en: text } : null;
};

export const option = (value: string, zh: string, en: string): Option => ({ value, label: { zh, en } });

/** Options named by the generated domain vocabulary (`$lib/vocabulary.generated`): all of `labels`, or the values listed, in that order. */
export const optionsOf = <K extends string>(labels: Record<K, Words>, values: readonly K[] = Object.keys(labels) as K[]): Option[] =>
  values.map((value) => ({ value, label: { zh: labels[value].zh, en: labels[value].en } }));

export const SATISFACTION: readonly Option[] = [
  option('SATISFIED', '满意', 'Satisfied'),
  option('BASICALLY_SATISFIED', '基本满意', 'Basically satisfied'),
  option('DISSATISFIED', '不满意', 'Dissatisfied'),
];

/** The label of the option a select field holds (empty when none). */
export const optionLabel = (options: readonly Option[], values: Values, name: string): Words | string =>
  options.find((item) => item.value === textOf(values, name))?.label ?? '';
export const str = (values: Values, name: string) => textOf(values, name) ?? '';
export const personName = (values: Values, name: string) => personOf(values, name)?.name ?? '';

/** A person's id and the seat they acted in, under the API's names. */
export function personInput(person: PersonChoice | null): { personId: string | undefined; mandateId: string | null | undefined } {
  return { personId: person?.personId, mandateId: person?.mandateId };
}
