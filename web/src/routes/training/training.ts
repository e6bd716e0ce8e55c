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
