/**
 * Correcting a record where it is shown (更正): the fields of a record's data a clerk may change,
 * in words, with the value as it stands; the corrected data built from the edited values (ids,
 * the act's seat and how it was entered stay as they were — the domain refuses a correction that
 * changes them); and the change as a before/after list, shown before it is sent.
 */
import type { Words } from '../i18n';
import { ACT_LABELS } from '../vocabulary.generated';

export type EditKind = 'date' | 'text' | 'textarea' | 'int' | 'lines' | 'select';

export interface EditField {
  key: string;
  label: Words;
  kind: EditKind;
  /** For a select: the values allowed and their words. */
  options?: readonly { value: string; label: Words }[];
  /** At most this many characters (text), or at least `min` (int). */
  maxLength?: number;
  min?: number;
  /** May be left empty (stored as null). */
  optional?: boolean;
}

/** Act kinds as the record's data holds them (`legal-advice`), named by the generated domain vocabulary. */
const actOptions = (acts: readonly (keyof typeof ACT_LABELS)[]) =>
  acts.map((act) => ({ value: act.toLowerCase().replaceAll('_', '-'), label: { zh: ACT_LABELS[act].zh, en: ACT_LABELS[act].en } }));

const HELP_ACTS = actOptions(['POLICY_PUBLICITY', 'LEGAL_ADVICE', 'DISPUTE_MEDIATION']);

const ABSENCE_ACTS = actOptions(['ABSENCE_WITH_LEAVE', 'ABSENCE_WITHOUT_LEAVE']);

/**
 * The data keys a clerk may correct, in the order a form shows them. Keys not listed (ids, the
 * seat, `declared`, the training's kind) are kept as they are.
 */
const EDITABLE: readonly EditField[] = [
  { key: 'date', label: { zh: '日期', en: 'Date' }, kind: 'date' },
  { key: 'title', label: { zh: '名称', en: 'Title' }, kind: 'text', maxLength: 200 },
  { key: 'place', label: { zh: '地点（走访的村、社区或单位）', en: 'Place' }, kind: 'text', maxLength: 200 },
  { key: 'visited', label: { zh: '走访对象', en: 'Whom' }, kind: 'text', maxLength: 200 },
  { key: 'summary', label: { zh: '履职内容', en: 'What was done' }, kind: 'textarea', maxLength: 2000 },
  { key: 'description', label: { zh: '活动内容', en: 'What was done' }, kind: 'textarea', maxLength: 2000 },
  { key: 'beneficiaries', label: { zh: '受益群众人数', en: 'People helped' }, kind: 'int', min: 1 },
  { key: 'township', label: { zh: '乡镇（街道）', en: 'Township' }, kind: 'text', maxLength: 100, optional: true },
  { key: 'reason', label: { zh: '请假事由', en: 'Reason given' }, kind: 'textarea', maxLength: 1000, optional: true },
  { key: 'topics', label: { zh: '议题（每行一个）', en: 'Topics (one a line)' }, kind: 'lines', maxLength: 200 },
];

/** The fields of this record's data a clerk may change (those its data carries). */
export function editableFields(data: Record<string, unknown>): EditField[] {
  const fields: EditField[] = [];
  const act = typeof data.act === 'string' ? data.act : '';
  if (HELP_ACTS.some((option) => option.value === act))
    fields.push({ key: 'act', label: { zh: '办实事类别', en: 'Kind of help' }, kind: 'select', options: HELP_ACTS });
  if (ABSENCE_ACTS.some((option) => option.value === act))
    fields.push({ key: 'act', label: { zh: '缺席类别', en: 'Kind of absence' }, kind: 'select', options: ABSENCE_ACTS });
  for (const field of EDITABLE) if (field.key in data && (data[field.key] !== null || field.optional || field.key === 'date')) fields.push(field);
  return fields;
}

export type EditValues = Record<string, string>;

/** A stored value as the form shows it. */
export function shown(field: EditField, value: unknown): string {
  if (value === null || value === undefined) return '';
  if (field.kind === 'lines') return Array.isArray(value) ? value.join('\n') : String(value);
  return String(value);
}

/** The form's starting values: the record as it stands. */
export function startValues(fields: readonly EditField[], data: Record<string, unknown>): EditValues {
  return Object.fromEntries(fields.map((field) => [field.key, shown(field, data[field.key])]));
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const isDate = (text: string) => DATE.test(text) && !Number.isNaN(Date.parse(text)) && new Date(text).toISOString().slice(0, 10) === text;

/** The first problem with a value, in words, or null. */
export function problemOf(field: EditField, text: string, today: string): Words | null {
  const value = text.trim();
  if (value === '') {
    return field.optional ? null : { zh: `请填写${field.label.zh}`, en: `${field.label.en} is required` };
  }
  switch (field.kind) {
    case 'date':
      if (!isDate(value)) return { zh: '请输入有效日期（年-月-日）', en: 'Enter a valid date (YYYY-MM-DD)' };
      if (value > today) return { zh: `日期不能晚于今天（${today}）`, en: `The date cannot be after today (${today})` };
      return null;
    case 'int':
      if (!/^\d+$/.test(value)) return { zh: '请输入整数', en: 'Enter a whole number' };
      if (field.min !== undefined && Number(value) < field.min) return { zh: `不能小于 ${field.min}`, en: `Must be at least ${field.min}` };
      return null;
    case 'select':
      return field.options?.some((option) => option.value === value) ? null : { zh: `请选择${field.label.zh}`, en: `${field.label.en}: please choose` };
    default:
      if (field.maxLength !== undefined && [...value].length > field.maxLength)
        return { zh: `${field.label.zh}不能超过 ${field.maxLength} 个字符`, en: `${field.label.en} must be at most ${field.maxLength} characters` };
      return null;
  }
}

/** Every field's problem, by key (fields without one are left out). */
export function problemsOf(fields: readonly EditField[], values: EditValues, today: string): Record<string, Words> {
  const problems: Record<string, Words> = {};
  for (const field of fields) {
    const problem = problemOf(field, values[field.key] ?? '', today);
    if (problem) problems[field.key] = problem;
  }
  return problems;
}

function stored(field: EditField, text: string): unknown {
  const value = text.trim();
  if (field.kind === 'lines')
    return value
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);
  if (value === '') return null;
  if (field.kind === 'int') return Number(value);
  return value;
}

/** The record's whole data with the edited values in place (everything else as it was). */
export function correctedData(data: Record<string, unknown>, fields: readonly EditField[], values: EditValues): Record<string, unknown> {
  const corrected: Record<string, unknown> = { ...data };
  for (const field of fields) corrected[field.key] = stored(field, values[field.key] ?? '');
  return corrected;
}

export interface Change {
  key: string;
  label: Words;
  before: string;
  after: string;
}

/** What the correction changes, field by field (an unchanged field is left out). */
export function changesOf(data: Record<string, unknown>, fields: readonly EditField[], values: EditValues): Change[] {
  const corrected = correctedData(data, fields, values);
  const words = (field: EditField, value: unknown) => {
    const text = shown(field, value);
    return field.options?.find((option) => option.value === text)?.label.zh ?? text;
  };
  return fields
    .filter((field) => JSON.stringify(data[field.key] ?? null) !== JSON.stringify(corrected[field.key] ?? null))
    .map((field) => ({ key: field.key, label: field.label, before: words(field, data[field.key]), after: words(field, corrected[field.key]) }));
}
