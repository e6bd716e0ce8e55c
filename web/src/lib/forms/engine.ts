/**
 * The form engine: a form is described by its fields (label in both languages, kind, whether it
 * is required, and constraints mirroring the GraphQL input and the API's checks) and by the
 * commands it issues. This module is pure: it validates values as they are typed, builds the
 * commands' inputs, keeps the client-chosen ids of a submission for its retries, and maps a
 * Rejection's `field` back to the form field it concerns. `CommandForm.svelte` renders a
 * description; `run.ts` sends the commands.
 */
import { isIsoDate } from '../as-of';
import { translate, type Words } from '../i18n';
import { mutationOf, type CommandPlan } from './command';
import { randomId } from './ids';

export type { CommandPlan } from './command';

// ---------------------------------------------------------------------------------------------
// Values

/** A seat or post a person held (what the person search returns). */
export interface MandateOption {
  mandateId: string;
  termNumber: number;
  kind: string;
  level?: string | null;
  township?: string | null;
  startsOn: string;
  /** The last day held; null while it runs. */
  validTo?: string | null;
}

/** A person chosen in a form, and the mandate they act in (when the command names one). */
export interface PersonChoice {
  personId: string;
  name: string;
  /** As registered (GraphQL Gender: MALE, FEMALE), when the search gave it: it tells namesakes apart. */
  gender?: string | null;
  mandates: readonly MandateOption[];
  mandateId: string | null;
}

export type FieldValue = string | string[] | PersonChoice | PersonChoice[] | null;
export type Values = Record<string, FieldValue>;

/** What validation and planning may know besides the values. */
export interface FormContext {
  /** Today in the county (YYYY-MM-DD): acts cannot happen later. */
  today: string;
  role: string;
  /** The signed-in person (a deputy declares only their own acts). */
  self?: { personId: string; name?: string | null } | null;
}

// ---------------------------------------------------------------------------------------------
// Descriptions

export interface Option {
  value: string;
  label: Words;
}

/** Which mandates a person may act in for the command, and on which date (another field). */
export interface MandateRule {
  /** The mandate kinds the command accepts (GraphQL MandateKind values); none: any. */
  kinds?: readonly string[];
  /** The date field the mandate must cover (absent: the form's date is today). */
  dateField?: string;
}

interface BaseField {
  name: string;
  label: Words;
  hint?: Words;
  required?: boolean;
  /**
   * Input paths of the API this field fills, e.g. `title` or `voter.name` (default: its name):
   * a Rejection naming one of them, or a path under one (`deputies.0.personId`), is shown here.
   */
  api?: readonly string[];
  /** Shown (and validated) only when it answers true. */
  when?: (values: Values) => boolean;
  /** A further rule; its message is shown beside the field. */
  check?: (value: FieldValue, values: Values, context: FormContext) => Words | null;
}

export type Field =
  | (BaseField & { kind: 'text'; maxLength: number })
  | (BaseField & { kind: 'textarea'; maxLength: number })
  | (BaseField & { kind: 'date'; notFuture?: boolean; notBefore?: { field: string; label: Words }; defaultToday?: boolean })
  /** A local date and time (a `datetime-local` value, YYYY-MM-DDTHH:MM); `instantOf` makes it an ISO instant. */
  | (BaseField & { kind: 'datetime' })
  | (BaseField & { kind: 'int'; min?: number; max?: number; defaultValue?: number })
  | (BaseField & { kind: 'select'; options: readonly Option[]; defaultValue?: string })
  | (BaseField & { kind: 'checkboxes'; options: readonly Option[]; maxItems?: number })
  | (BaseField & { kind: 'checkbox' })
  | (BaseField & { kind: 'lines'; maxItems: number; maxLength: number })
  | (BaseField & { kind: 'person'; mandate?: MandateRule; selfWhenDeclaring?: boolean })
  | (BaseField & { kind: 'people'; mandate?: MandateRule; minItems: number; maxItems: number })
  | (BaseField & { kind: 'station' })
  | (BaseField & { kind: 'opinion'; stationField: string })
  /**
   * A value the form was opened with, from the record it acts on (a reception's opinion, an
   * activity's attendance, a suggestion's handling): shown in words by `display`, never typed.
   * Opened without it, `missing` says where to start instead.
   */
  | (BaseField & { kind: 'context'; display: (values: Values) => Words | null; missing: Words });

export type FieldKind = Field['kind'];

/** Fresh ids for new records: the same name gives the same id for as long as the submission lasts. */
export type IdSource = (name: string) => string;

export interface FormSpec {
  /** A stable slug, e.g. `organise-activity` (test ids and the URL use it). */
  id: string;
  title: Words;
  description: Words;
  /** Who may use it: every command it issues may be issued by these roles. */
  roles: readonly string[];
  /** It records acts: a deputy's submission is a declaration awaiting review (申报). */
  declares?: boolean;
  fields: readonly Field[];
  /** The commands to send, in order. */
  plan(values: Values, ids: IdSource, context: FormContext): CommandPlan[];
  /** What was recorded, for the confirmation. */
  confirm(values: Values, context: FormContext): Words;
}

// ---------------------------------------------------------------------------------------------
// Messages (both languages; `{label}` is the field's label in that language)

type MessageParams = Record<string, string | number | Words>;

/** A message in both languages, each filled with the parameters in its own language. */
export function message(template: Words, params: MessageParams = {}): Words {
  const side = (language: 'zh' | 'en') =>
    Object.fromEntries(Object.entries(params).map(([key, value]) => [key, typeof value === 'object' ? value[language] : value]));
  return { zh: translate('zh-CN', template, side('zh')), en: translate('en', template, side('en')) };
}

export const MESSAGES = {
  required: { zh: '请填写{label}', en: '{label} is required' },
  choose: { zh: '请选择{label}', en: '{label}: please choose' },
  tooLong: { zh: '{label}不能超过 {max} 个字符', en: '{label} must be at most {max} characters' },
  badText: { zh: '{label}含有无法保存的字符', en: '{label} contains characters that cannot be stored' },
  date: { zh: '请输入有效日期（年-月-日）', en: 'Enter a valid date (YYYY-MM-DD)' },
  datetime: { zh: '请输入有效的时间', en: 'Enter a valid time' },
  future: { zh: '日期不能晚于今天（{today}）', en: 'The date cannot be after today ({today})' },
  before: { zh: '不能早于{other}', en: 'Cannot be before {other}' },
  integer: { zh: '请输入整数', en: 'Enter a whole number' },
  min: { zh: '不能小于 {min}', en: 'Must be at least {min}' },
  max: { zh: '不能大于 {max}', en: 'Must be at most {max}' },
  tooMany: { zh: '最多 {max} 项', en: 'At most {max} items' },
  tooFew: { zh: '请至少选择 {min} 人', en: 'Choose at least {min}' },
  lineTooLong: { zh: '第 {line} 行超过 {max} 个字符', en: 'Line {line} is longer than {max} characters' },
  noMandate: { zh: '{name}在 {date} 没有可用的任职', en: '{name} held no suitable seat on {date}' },
  chooseMandate: { zh: '请为{name}选择任职', en: 'Choose the seat {name} acted in' },
} as const satisfies Record<string, Words>;

// ---------------------------------------------------------------------------------------------
// Validation

/** The API refuses text with NUL or a lone surrogate half (the log cannot store them). */
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const isBlank = (value: FieldValue) => value === null || value === '' || (Array.isArray(value) && value.length === 0);
const asText = (value: FieldValue) => (typeof value === 'string' ? value.trim() : '');

/** Is the field shown for these values? */
export const visible = (field: Field, values: Values) => !field.when || field.when(values);

/** The date a field's mandate must cover: its date field's value, else today. */
export function mandateDate(rule: MandateRule | undefined, values: Values, context: FormContext): string {
  const value = rule?.dateField ? values[rule.dateField] : null;
  return typeof value === 'string' && isIsoDate(value) ? value : context.today;
}

/** The mandates of `person` the rule accepts on `date`: of an accepted kind, held that day. */
export function mandatesFor(person: Pick<PersonChoice, 'mandates'>, rule: MandateRule | undefined, date: string): MandateOption[] {
  return person.mandates.filter(
    (mandate) => (!rule?.kinds || rule.kinds.includes(mandate.kind)) && mandate.startsOn <= date && (!mandate.validTo || date <= mandate.validTo),
  );
}

/** The mandate to preselect: the only one that fits, else none. */
export function defaultMandate(person: Pick<PersonChoice, 'mandates'>, rule: MandateRule | undefined, date: string): string | null {
  const fitting = mandatesFor(person, rule, date);
  return fitting.length === 1 ? fitting[0]!.mandateId : null;
}

function personProblem(person: PersonChoice, rule: MandateRule | undefined, values: Values, context: FormContext): Words | null {
  if (!rule) return null;
  const date = mandateDate(rule, values, context);
  const fitting = mandatesFor(person, rule, date);
  if (fitting.length === 0) return message(MESSAGES.noMandate, { name: person.name, date });
  if (!person.mandateId || !fitting.some((mandate) => mandate.mandateId === person.mandateId)) return message(MESSAGES.chooseMandate, { name: person.name });
  return null;
}

/** The first problem with one field's value, or null. */
export function validateField(field: Field, value: FieldValue, values: Values, context: FormContext): Words | null {
  const label = field.label;
  if (isBlank(value) || (typeof value === 'string' && value.trim() === '')) {
    if (!field.required) return null;
    const choosing = ['select', 'person', 'people', 'station', 'opinion', 'checkboxes'].includes(field.kind);
    if (field.kind === 'people') return message(MESSAGES.tooFew, { min: Math.max(1, field.minItems) });
    if (field.kind === 'context') return field.missing;
    return message(choosing ? MESSAGES.choose : MESSAGES.required, { label });
  }
  const problem = kindProblem(field, value, values, context);
  return problem ?? field.check?.(value, values, context) ?? null;
}

function kindProblem(field: Field, value: FieldValue, values: Values, context: FormContext): Words | null {
  switch (field.kind) {
    case 'text':
    case 'textarea': {
      const text = asText(value);
      if (UNSTORABLE.test(text)) return message(MESSAGES.badText, { label: field.label });
      if ([...text].length > field.maxLength) return message(MESSAGES.tooLong, { label: field.label, max: field.maxLength });
      return null;
    }
    case 'date': {
      const text = asText(value);
      if (!isIsoDate(text)) return message(MESSAGES.date);
      if (field.notFuture && text > context.today) return message(MESSAGES.future, { today: context.today });
      const other = field.notBefore ? values[field.notBefore.field] : null;
      if (field.notBefore && typeof other === 'string' && isIsoDate(other) && text < other) return message(MESSAGES.before, { other: field.notBefore.label });
      return null;
    }
    case 'datetime':
      return instantOf(asText(value)) ? null : message(MESSAGES.datetime);
    case 'int': {
      const text = asText(value);
      if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(Number(text))) return message(MESSAGES.integer);
      const number = Number(text);
      if (field.min !== undefined && number < field.min) return message(MESSAGES.min, { min: field.min });
      if (field.max !== undefined && number > field.max) return message(MESSAGES.max, { max: field.max });
      return null;
    }
    case 'checkboxes':
      return Array.isArray(value) && field.maxItems !== undefined && value.length > field.maxItems ? message(MESSAGES.tooMany, { max: field.maxItems }) : null;
    case 'lines': {
      const lines = linesOf(value);
      if (lines.length > field.maxItems) return message(MESSAGES.tooMany, { max: field.maxItems });
      const long = lines.findIndex((line) => [...line].length > field.maxLength);
      if (long >= 0) return message(MESSAGES.lineTooLong, { line: long + 1, max: field.maxLength });
      const bad = lines.find((line) => UNSTORABLE.test(line));
      return bad === undefined ? null : message(MESSAGES.badText, { label: field.label });
    }
    case 'person':
      return isPerson(value) ? personProblem(value, field.mandate, values, context) : message(MESSAGES.choose, { label: field.label });
    case 'people': {
      const people = Array.isArray(value) ? value.filter(isPerson) : [];
      if (people.length < field.minItems) return message(MESSAGES.tooFew, { min: field.minItems });
      if (people.length > field.maxItems) return message(MESSAGES.tooMany, { max: field.maxItems });
      for (const person of people) {
        const problem = personProblem(person, field.mandate, values, context);
        if (problem) return problem;
      }
      return null;
    }
    default:
      return null;
  }
}

/** Every visible field's problem, by field name (fields without one are left out). */
export function validateForm(spec: Pick<FormSpec, 'fields'>, values: Values, context: FormContext): Record<string, Words> {
  const problems: Record<string, Words> = {};
  for (const field of spec.fields) {
    if (!visible(field, values)) continue;
    const problem = validateField(field, values[field.name] ?? null, values, context);
    if (problem) problems[field.name] = problem;
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Values to inputs

export function isPerson(value: unknown): value is PersonChoice {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as PersonChoice).personId === 'string';
}

/** A field's starting value. A person field that must be the signed-in person starts as them. */
export function initialValues(spec: Pick<FormSpec, 'fields'>, context: FormContext, self?: PersonChoice | null): Values {
  const values: Values = {};
  for (const field of spec.fields) {
    switch (field.kind) {
      case 'date':
        values[field.name] = field.defaultToday ? context.today : '';
        break;
      case 'int':
        values[field.name] = field.defaultValue === undefined ? '' : String(field.defaultValue);
        break;
      case 'select':
        values[field.name] = field.defaultValue ?? '';
        break;
      case 'checkboxes':
      case 'people':
        values[field.name] = [];
        break;
      case 'person':
        values[field.name] = field.selfWhenDeclaring && isDeclaring(context) && self ? self : null;
        break;
      default:
        values[field.name] = '';
    }
  }
  return values;
}

/** Roles whose acts are approved on entry; anyone else (a deputy) declares their own acts. */
export const RECORDING_ROLES: readonly string[] = ['staff', 'station-manager', 'committee-member', 'admin'];
export const isDeclaring = (context: Pick<FormContext, 'role'>) => !RECORDING_ROLES.includes(context.role);

/** Trimmed text, or null when empty (the API takes null for an optional field left out). */
export function textOf(values: Values, name: string): string | null {
  const text = asText(values[name] ?? null);
  return text === '' ? null : text;
}

/** A local date and time (as a `datetime-local` input gives it) as an ISO instant; null when it is none. */
export function instantOf(local: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(:\d{2}(\.\d+)?)?$/.exec(local.trim());
  if (!match) return null;
  const time = new Date(local.trim());
  // A day the calendar lacks (02-30) rolls over in Date: refuse it rather than move it.
  const [, year, month, day, hour, minute] = match.map(Number);
  const same =
    time.getFullYear() === year && time.getMonth() + 1 === month && time.getDate() === day && time.getHours() === hour && time.getMinutes() === minute;
  return Number.isNaN(time.getTime()) || !same ? null : time.toISOString();
}

export function intOf(values: Values, name: string): number | null {
  const text = textOf(values, name);
  return text === null ? null : Number(text);
}

export function personOf(values: Values, name: string): PersonChoice | null {
  const value = values[name];
  return isPerson(value) ? value : null;
}

export function peopleOf(values: Values, name: string): PersonChoice[] {
  const value = values[name];
  return Array.isArray(value) ? value.filter(isPerson) : [];
}

export function listOf(values: Values, name: string): string[] {
  const value = values[name];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** The non-empty lines of a text. */
export function linesOf(value: FieldValue): string[] {
  return typeof value === 'string'
    ? value
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean)
    : [];
}

/** Drops `undefined` (left out) but keeps null (an optional value sent empty). */
export function compact<T extends object>(input: T): T {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined)) as T;
}

// ---------------------------------------------------------------------------------------------
// Submissions: ids kept for retries

/** A command of a submission as sent: its plan and the command id it goes with. */
export interface PlannedCommand extends CommandPlan {
  commandId: string;
  /** Already recorded in this submission (a retry does not send it again). */
  done: boolean;
}

/**
 * The client-chosen ids of the submission under way. New-record ids (`id(name)`) last until the
 * submission succeeds, so correcting one value and sending again names the same records; each
 * command's id is tied to its exact input, so a retry after a network error sends the same id (the
 * API records nothing twice) while a changed input gets a new one (never an old id for new
 * content). `settle()` after success starts the next submission afresh.
 */
export class Submission {
  #ids = new Map<string, string>();
  #commandIds = new Map<string, string>();
  #done = new Set<string>();

  constructor(private readonly newId: () => string = randomId) {}

  /** The id named `name` in this submission. */
  readonly id: IdSource = (name) => {
    let id = this.#ids.get(name);
    if (!id) this.#ids.set(name, (id = this.newId()));
    return id;
  };

  /** The plans with their command ids (the same input keeps its id). */
  prepare(plans: readonly CommandPlan[]): PlannedCommand[] {
    return plans.map((plan) => {
      const key = commandKey(plan);
      let commandId = this.#commandIds.get(key);
      if (!commandId) this.#commandIds.set(key, (commandId = this.newId()));
      return { ...plan, commandId, done: this.#done.has(key) };
    });
  }

  /** The API recorded this command (a retry skips it). */
  recorded(plan: CommandPlan): void {
    this.#done.add(commandKey(plan));
  }

  /** Everything was recorded: the next submission gets new ids. */
  settle(): void {
    this.#ids.clear();
    this.#commandIds.clear();
    this.#done.clear();
  }
}

const commandKey = (plan: CommandPlan) => JSON.stringify([mutationOf(plan.document), plan.input]);

// ---------------------------------------------------------------------------------------------
// Rejections

/**
 * The form field a Rejection's `field` concerns, or null for the form as a whole. The command's own
 * mapping wins, then the fields' API paths; a path under one (`deputies.0.personId` under
 * `deputies`) belongs to it; the longest match wins.
 */
export function fieldForRejection(
  spec: Pick<FormSpec, 'fields'>,
  plan: Pick<CommandPlan, 'fields'> | null,
  apiField: string | null | undefined,
  values?: Values,
): string | null {
  if (!apiField) return null;
  const under = (path: string) => apiField === path || apiField.startsWith(`${path}.`);
  let best: { field: string; length: number } | null = null;
  for (const [path, field] of Object.entries(plan?.fields ?? {})) {
    if (under(path) && (!best || path.length > best.length)) best = { field, length: path.length };
  }
  if (best) return best.field;
  for (const field of spec.fields) {
    if (values && !visible(field, values)) continue;
    for (const path of field.api ?? [field.name]) {
      if (under(path) && (!best || path.length > best.length)) best = { field: field.name, length: path.length };
    }
  }
  return best?.field ?? null;
}

/**
 * The values with each chosen person's mandate kept valid: when the date or the person changes, a
 * mandate that no longer fits gives way to the only one that does (or none, to choose). Null when
 * nothing changes.
 */
export function resolveMandates(spec: Pick<FormSpec, 'fields'>, values: Values, context: FormContext): Values | null {
  let changed = false;
  const next: Values = { ...values };
  const fix = (person: PersonChoice, rule: MandateRule): PersonChoice => {
    const date = mandateDate(rule, values, context);
    const fitting = mandatesFor(person, rule, date);
    if (person.mandateId && fitting.some((mandate) => mandate.mandateId === person.mandateId)) return person;
    const mandateId = fitting.length === 1 ? fitting[0]!.mandateId : null;
    if (mandateId === person.mandateId) return person;
    changed = true;
    return { ...person, mandateId };
  };
  for (const field of spec.fields) {
    if ((field.kind !== 'person' && field.kind !== 'people') || !field.mandate) continue;
    const value = values[field.name] ?? null;
    if (field.kind === 'person' && isPerson(value)) next[field.name] = fix(value, field.mandate);
    if (field.kind === 'people' && Array.isArray(value)) next[field.name] = value.filter(isPerson).map((person) => fix(person, field.mandate!));
  }
  return changed ? next : null;
}

/** What a successful submission recorded (for the confirmation and the page). */
export interface Recorded {
  message: Words;
  /** The log position of the last event written. */
  position: number;
  /** Every command had been recorded before (a repeated submit). */
  duplicate: boolean;
  events: string[];
  values: Values;
}
