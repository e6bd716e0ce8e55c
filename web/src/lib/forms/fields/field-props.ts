/** What every field kind's component is given by `FormField.svelte`. */
import type { Field, FieldValue, FormContext, Values } from '../engine';

export interface FieldProps<Kind extends Field['kind']> {
  field: Field & { kind: Kind };
  /** The id of the field's input (its label points at it; a failed submit focuses it). */
  id: string;
  value: FieldValue;
  /** Every value of the form (a field may depend on another, e.g. a seat on the date). */
  values: Values;
  context: FormContext;
  invalid: boolean;
  describedby: string | undefined;
  /** The user changed the value. */
  onedit: (value: FieldValue) => void;
}

/** The value as text ('' when it is none). */
export const textValue = (value: FieldValue): string => (typeof value === 'string' ? value : '');

/** The value as a list of texts. */
export const listValue = (value: FieldValue): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);

/** The ids a field's input, problem and hint take in a form (`<prefix>-<name>`, then `-error`, `-hint`). */
export function fieldIds(prefix: string, name: string): { input: string; error: string; hint: string } {
  const input = `${prefix}-${name}`;
  return { input, error: `${input}-error`, hint: `${input}-hint` };
}

/** What describes the input: its problem when shown, then its hint (none: no attribute). */
export function describedBy(ids: { error: string; hint: string }, hasError: boolean, hasHint: boolean): string | undefined {
  return [hasError ? ids.error : null, hasHint ? ids.hint : null].filter(Boolean).join(' ') || undefined;
}
