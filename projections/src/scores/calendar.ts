/**
 * Calendar arithmetic for scoring: ISO dates (YYYY-MM-DD) as strings, inclusive spans of days, and
 * the periods of a scoring year (months, quarters, the year itself) in which duties are checked.
 */
import type { DutyFrequency } from '@yingpan/domain';

/** An inclusive span of days. */
export interface Span {
  from: string;
  to: string;
}

/** One period of a scoring year in which a duty's minimum applies. */
export interface Period extends Span {
  /** Stable key: `2024-03`, `2024-Q1` or `2024`. */
  key: string;
  /** How the period reads: 2024年3月, 2024年第1季度, 2024年度. */
  label: string;
}

const DAY_MS = 86_400_000;
const toMs = (date: string) => Date.parse(`${date}T00:00:00Z`);

export const addDays = (date: string, days: number) => new Date(toMs(date) + days * DAY_MS).toISOString().slice(0, 10);

/** Days in a span, both ends included (0 for an empty span). */
export const daysIn = (span: Span) => Math.max(0, Math.round((toMs(span.to) - toMs(span.from)) / DAY_MS) + 1);

/** The part of `span` inside `within`, or null when they do not meet. */
export function overlap(span: Span, within: Span): Span | null {
  const from = span.from > within.from ? span.from : within.from;
  const to = span.to < within.to ? span.to : within.to;
  return from <= to ? { from, to } : null;
}

export const yearSpan = (year: number): Span => ({ from: `${year}-01-01`, to: `${year}-12-31` });

export const contains = (span: Span, date: string) => span.from <= date && date <= span.to;

const pad = (n: number) => String(n).padStart(2, '0');
const monthEnd = (year: number, month: number) => addDays(month === 12 ? `${year + 1}-01-01` : `${year}-${pad(month + 1)}-01`, -1);

const periodCache = new Map<string, readonly Period[]>();

/** The periods of one frequency in a calendar year, in order (computed once per year and frequency; do not change them). */
export function periodsOf(year: number, frequency: DutyFrequency): readonly Period[] {
  const key = `${year}:${frequency}`;
  let periods = periodCache.get(key);
  if (!periods) {
    periods = Object.freeze(computePeriods(year, frequency).map((period) => Object.freeze(period)));
    periodCache.set(key, periods);
  }
  return periods;
}

function computePeriods(year: number, frequency: DutyFrequency): Period[] {
  switch (frequency) {
    case 'monthly':
      return Array.from({ length: 12 }, (_, index) => ({
        key: `${year}-${pad(index + 1)}`,
        label: `${year}年${index + 1}月`,
        from: `${year}-${pad(index + 1)}-01`,
        to: monthEnd(year, index + 1),
      }));
    case 'quarterly':
      return Array.from({ length: 4 }, (_, index) => ({
        key: `${year}-Q${index + 1}`,
        label: `${year}年第${index + 1}季度`,
        from: `${year}-${pad(index * 3 + 1)}-01`,
        to: monthEnd(year, index * 3 + 3),
      }));
    case 'yearly':
      return [{ key: String(year), label: `${year}年度`, ...yearSpan(year) }];
  }
}
