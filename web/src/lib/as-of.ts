/**
 * The moment every history-aware page is read at ("查看时点"), chosen in the layout header:
 * now, as it happened up to a date (HAPPENED), as it was known at the end of a date (KNOWN_ON)
 * or as it was known at a log position (KNOWN). Pages turn it into the API's `AsOfInput` with
 * `toAsOfInput`. It lives in the page's URL (`?asOf=…`, as-of-url.ts): the layout keeps the
 * store below in step with the address, so a view can be reloaded, shared and bookmarked.
 */
import { writable } from 'svelte/store';
import type { AsOfInput } from './gql/graphql';

export type AsOfSetting =
  | { view: 'NOW' }
  /** 按发生时间: today's knowledge of the acts that happened up to `date` (YYYY-MM-DD). */
  | { view: 'HAPPENED'; date: string }
  /** 按某日所知: only what had been recorded by the end of `date` (YYYY-MM-DD) in China Standard Time. */
  | { view: 'KNOWN_ON'; date: string }
  /** 按日志位置所知: only what had been recorded up to log `position`. */
  | { view: 'KNOWN'; position: number };

export const NOW: AsOfSetting = Object.freeze({ view: 'NOW' });

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar day written YYYY-MM-DD (2024-02-30 is not one). */
export function isIsoDate(value: string): boolean {
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** A log position: a whole number, 0 or more. */
export function isLogPosition(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 0;
}

/** Reads a setting from untrusted input (storage, a form); anything malformed is "now". */
export function parseAsOf(raw: unknown): AsOfSetting {
  if (typeof raw !== 'object' || raw === null) return NOW;
  const value = raw as Record<string, unknown>;
  if (value.view === 'HAPPENED' && typeof value.date === 'string' && isIsoDate(value.date)) {
    return { view: 'HAPPENED', date: value.date };
  }
  if (value.view === 'KNOWN_ON' && typeof value.date === 'string' && isIsoDate(value.date)) {
    return { view: 'KNOWN_ON', date: value.date };
  }
  if (value.view === 'KNOWN') {
    const position = typeof value.position === 'string' && value.position.trim() !== '' ? Number(value.position) : value.position;
    if (typeof position === 'number' && isLogPosition(position)) return { view: 'KNOWN', position };
  }
  return NOW;
}

/**
 * The `asOf` argument for a query: undefined for the present (the argument is then left out, so
 * the API reads the newest state), else the API's input for that view.
 */
export function toAsOfInput(setting: AsOfSetting): AsOfInput | undefined {
  switch (setting.view) {
    case 'HAPPENED':
      return isIsoDate(setting.date) ? { view: 'HAPPENED', date: setting.date } : undefined;
    case 'KNOWN_ON':
      return isIsoDate(setting.date) ? { view: 'KNOWN', at: endOfCountyDay(setting.date) } : undefined;
    case 'KNOWN':
      return isLogPosition(setting.position) ? { view: 'KNOWN', position: setting.position } : undefined;
    default:
      return undefined;
  }
}

/**
 * The last instant of a county day (China Standard Time, UTC+8), as the API's `at` takes it:
 * what was recorded at any moment of that day is known then.
 */
export function endOfCountyDay(day: string): string {
  return `${day}T23:59:59.999+08:00`;
}

/** The county's date (YYYY-MM-DD) of a browser instant: China Standard Time, whatever the browser's zone. */
function countyDateOf(instant: Date): string {
  return new Date(instant.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

const dayNumber = (day: string) => Math.round(Date.parse(`${day}T00:00:00Z`) / 86_400_000);

/** How many days the server's county date is ahead of the browser's (0 until the server has said). */
let serverDayOffset = 0;

/**
 * Takes the county's today as the server gives it (with the viewer, `me.today`): from then on
 * `localToday` counts from the server's date, so forms and views agree with what the API accepts
 * even when the browser's clock is wrong or the server's clock is set to another day.
 */
export function useServerToday(day: string | undefined | null, now: Date = new Date()): void {
  if (day && isIsoDate(day)) serverDayOffset = dayNumber(day) - dayNumber(countyDateOf(now));
}

/** Today in the county (YYYY-MM-DD): the server's date once it is known, else the browser's clock read in China Standard Time. */
export function localToday(now: Date = new Date()): string {
  return new Date((dayNumber(countyDateOf(now)) + serverDayOffset) * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The day the view stands on: the chosen date for HAPPENED and KNOWN_ON (nothing after it was
 * known then), else today (a KNOWN position is a place in the log, read with today's calendar).
 */
export function viewDay(setting: AsOfSetting, today: string = localToday()): string {
  return (setting.view === 'HAPPENED' || setting.view === 'KNOWN_ON') && isIsoDate(setting.date) ? setting.date : today;
}

/** A view of what was known at a moment (a date's end or a log position): its answers are fixed, nothing live changes them. */
export const isKnownView = (setting: AsOfSetting): boolean => setting.view === 'KNOWN' || setting.view === 'KNOWN_ON';

/** The calendar year of the view's day. */
export function viewYear(setting: AsOfSetting, today: string = localToday()): number {
  return Number(viewDay(setting, today).slice(0, 4));
}

/** Same moment? (Used to skip needless updates and refetches.) */
export function sameAsOf(a: AsOfSetting, b: AsOfSetting): boolean {
  return JSON.stringify(toAsOfInput(a) ?? null) === JSON.stringify(toAsOfInput(b) ?? null);
}

function createAsOfStore() {
  const store = writable<AsOfSetting>(NOW);
  let current: AsOfSetting = NOW;
  store.subscribe((value) => {
    current = value;
  });
  return {
    subscribe: store.subscribe,
    /**
     * Changes the view (malformed settings become "now"); the same moment again is no change.
     * The layout calls it with what the URL says; the control changes the URL (`showAsOf`).
     */
    set(value: AsOfSetting) {
      const next = parseAsOf(value);
      if (!sameAsOf(next, current) || next.view !== current.view) store.set(next);
    },
    reset() {
      store.set(NOW);
    },
  };
}

/** The page's current view, as its URL says; `$asOf` in components. */
export const asOf = createAsOfStore();
