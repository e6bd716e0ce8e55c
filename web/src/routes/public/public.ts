/** The public page's logic: which years a visitor can choose, and which seat a year's result belongs to. */

/** The years a visitor can choose: from `first` to this year, newest first. */
export function publicYears(first: number, today: string): number[] {
  const last = Number(today.slice(0, 4));
  const years: number[] = [];
  for (let year = last; year >= Math.min(first, last); year--) years.push(year);
  return years;
}

/** The year shown first: the last year that is over (its bands are final), unless none is offered. */
export function defaultPublicYear(years: readonly number[], today: string): number | undefined {
  const lastClosed = Number(today.slice(0, 4)) - 1;
  return years.includes(lastClosed) ? lastClosed : years[0];
}

export interface HeldSeat {
  startsOn: string;
  validTo?: string | null;
}

/** Was the seat held on some day of `year`? */
export function heldIn(seat: HeldSeat, year: number): boolean {
  return seat.startsOn <= `${year}-12-31` && (seat.validTo ?? '9999-12-31') >= `${year}-01-01`;
}
