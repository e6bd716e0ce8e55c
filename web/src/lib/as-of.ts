/**
 * The moment every history-aware page is read at ("查看时点"), chosen in the layout header:
 * now, as it happened up to a date (HAPPENED), or as it was known at a log position (KNOWN).
 * Pages turn it into the API's `AsOfInput` with `toAsOfInput`. It lives for the browser tab
 * (sessionStorage), so a reload keeps the past view but a new tab starts at the present.
 */
import { writable } from 'svelte/store';
import type { AsOfInput } from './gql/graphql';

export type AsOfSetting =
  | { view: 'NOW' }
  /** 按发生时间: today's knowledge of the acts that happened up to `date` (YYYY-MM-DD). */
  | { view: 'HAPPENED'; date: string }
  /** 按当时所知: only what had been recorded up to log `position`. */
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
    case 'KNOWN':
      return isLogPosition(setting.position) ? { view: 'KNOWN', position: setting.position } : undefined;
    default:
      return undefined;
  }
}

/** Today as YYYY-MM-DD in the browser's time zone. */
export function localToday(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/**
 * The day the view stands on: the chosen date for HAPPENED, else today (a KNOWN position is a
 * place in the log, read with today's calendar).
 */
export function viewDay(setting: AsOfSetting, today: string = localToday()): string {
  return setting.view === 'HAPPENED' && isIsoDate(setting.date) ? setting.date : today;
}

/** The calendar year of the view's day. */
export function viewYear(setting: AsOfSetting, today: string = localToday()): number {
  return Number(viewDay(setting, today).slice(0, 4));
}

/** Same moment? (Used to skip needless updates and refetches.) */
export function sameAsOf(a: AsOfSetting, b: AsOfSetting): boolean {
  return JSON.stringify(toAsOfInput(a) ?? null) === JSON.stringify(toAsOfInput(b) ?? null);
}

const STORAGE_KEY = 'yingpan.asOf';

function initial(): AsOfSetting {
  if (typeof sessionStorage === 'undefined') return NOW;
  try {
    return parseAsOf(JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? 'null'));
  } catch {
    return NOW;
  }
}

function createAsOfStore() {
  const store = writable<AsOfSetting>(initial());
  let current: AsOfSetting = NOW;
  store.subscribe((value) => {
    current = value;
    if (typeof sessionStorage !== 'undefined') {
      if (value.view === 'NOW') sessionStorage.removeItem(STORAGE_KEY);
      else sessionStorage.setItem(STORAGE_KEY, JSON.stringify(value));
    }
  });
  return {
    subscribe: store.subscribe,
    /** Changes the view (malformed settings become "now"); the same moment again is no change. */
    set(value: AsOfSetting) {
      const next = parseAsOf(value);
      if (!sameAsOf(next, current) || next.view !== current.view) store.set(next);
    },
    reset() {
      store.set(NOW);
    },
  };
}

/** The tab's current view; `$asOf` in components. */
export const asOf = createAsOfStore();
