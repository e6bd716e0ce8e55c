/** The /training page's logic, kept out of the components so it can be tested on its own. */

export interface PersonTimesRow {
  personTimes: number;
}

/** Person-times over all kinds of training. */
export function totalPersonTimes(rows: readonly PersonTimesRow[]): number {
  return rows.reduce((sum, row) => sum + row.personTimes, 0);
}

/** A bar's length in percent of the largest value (0 when there is nothing to compare). */
export function barPercent(value: number, max: number): number {
  if (!(max > 0) || !(value > 0)) return 0;
  return Math.min(100, (value / max) * 100);
}

/** The inputs of the 登记参训 form. */
export type FormField = 'training' | 'person' | 'occurredAt';

/**
 * Which form input a rejection's `field` concerns. The API names command fields (`activityId`
 * for the training), the form names its inputs; null means "the form as a whole".
 */
export function formFieldForRejection(field: string | null | undefined): FormField | null {
  switch (field) {
    case 'personId':
      return 'person';
    case 'activityId':
    case 'trainingId':
      return 'training';
    case 'occurredAt':
      return 'occurredAt';
    default:
      return null;
  }
}

/**
 * A `datetime-local` value as an ISO instant: undefined when left empty (the API then uses
 * "now"), null when it is not a time at all.
 */
export function occurredAtFromLocalInput(value: string): string | undefined | null {
  if (value.trim() === '') return undefined;
  const time = new Date(value);
  return Number.isNaN(time.getTime()) ? null : time.toISOString();
}

/**
 * Command ids for the form. The same id is handed out while the same values are submitted
 * again without a definitive answer (a double submit or a retry after a network failure), so
 * the API records the attendance at most once. Once the API has answered (recorded or
 * rejected), `settle()` makes the next submit a new command.
 */
export class CommandIds {
  #key: string | null = null;
  #id: string | null = null;

  constructor(private readonly newId: () => string = () => crypto.randomUUID()) {}

  idFor(values: readonly unknown[]): string {
    const key = JSON.stringify(values);
    if (this.#id === null || this.#key !== key) {
      this.#key = key;
      this.#id = this.newId();
    }
    return this.#id;
  }

  settle(): void {
    this.#key = null;
    this.#id = null;
  }
}
