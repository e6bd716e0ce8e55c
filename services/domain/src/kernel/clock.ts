/**
 * The one clock. Whatever asks "what day is it?" for the county's business reads it here: the
 * moment a command happens when the client names none, "not in the future", the day a read
 * model's view of today stands on, the last day the demo county is built up to. The composition
 * root may move it (`YINGPAN_TODAY`), and a test sets it with `setClock`, so no behaviour depends
 * on the wall clock without saying so. (The store's `recordedAt` is the database's own clock: it
 * says when a row was written, which no setting may change.)
 */

/** The county's time zone: calendar dates in the data are local dates in China (UTC+8, no daylight saving). */
export const COUNTY_TIME_ZONE = 'Asia/Shanghai';

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

let current: Clock = systemClock;

/** Uses `clock` from now on; returns a function that puts the previous one back. */
export function setClock(clock: Clock): () => void {
  const previous = current;
  current = clock;
  return () => {
    current = previous;
  };
}

/** The current instant by the county's clock. */
export const now = (): Date => current.now();

/** One formatter for the process: `toLocaleDateString` builds one per call, a third of a millisecond each. */
const countyDateFormat = new Intl.DateTimeFormat('en-CA', { timeZone: COUNTY_TIME_ZONE });

/** The county's calendar date (YYYY-MM-DD) of an ISO instant, e.g. the command context's `occurredAt`. */
export const localDate = (instant: string | Date): string => {
  const date = typeof instant === 'string' ? new Date(instant) : instant;
  return Number.isNaN(date.getTime()) ? 'Invalid Date' : countyDateFormat.format(date);
};

/** Today in the county, by the clock. */
export const countyToday = (): string => localDate(now());

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A clock on which the county's date is `day`: it reads noon of that day (UTC+8) when it is made
 * and runs on in real time from there, so moments keep their order and the date holds for twelve
 * hours, longer than any test run.
 */
export function clockOn(day: string, real: Clock = systemClock): Clock {
  if (!ISO_DATE.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`)) || new Date(`${day}T00:00:00Z`).toISOString().slice(0, 10) !== day) {
    throw new Error(`"${day}" is not a calendar date (YYYY-MM-DD)`);
  }
  const start = Date.parse(`${day}T12:00:00+08:00`);
  const realStart = real.now().getTime();
  return { now: () => new Date(start + (real.now().getTime() - realStart)) };
}
