/** A station page's logic: the compliance grid's columns and rows, the compliance years. */

export interface CompliancePeriod {
  period: string;
  dutyLabel: string;
}

export interface ColumnGroup {
  dutyLabel: string;
  periods: string[];
}

/** The report's periods grouped by duty (月进站 × 12, 季回家 × 4, 年述职 × 1), in the report's order. */
export function columnGroups(periods: readonly CompliancePeriod[]): ColumnGroup[] {
  const groups: ColumnGroup[] = [];
  for (const { period, dutyLabel } of periods) {
    const last = groups[groups.length - 1];
    if (last && last.dutyLabel === dutyLabel) last.periods.push(period);
    else groups.push({ dutyLabel, periods: [period] });
  }
  return groups;
}

export { periodKind, type PeriodKind } from '$lib/periods';

export interface ComplianceCell {
  period: string;
  dutyLabel: string;
  status: 'MET' | 'MISSED' | 'PENDING' | 'NOT_REQUIRED';
}

/**
 * A deputy's cells in column order; a key is `${dutyLabel}|${period}` because two duties can
 * share a period key (a quarter for 季回家 and another quarterly duty). Missing cells are null.
 */
export function rowCells<C extends ComplianceCell>(cells: readonly C[], periods: readonly CompliancePeriod[]): (C | null)[] {
  const byKey = new Map(cells.map((cell) => [`${cell.dutyLabel}|${cell.period}`, cell]));
  return periods.map((period) => byKey.get(`${period.dutyLabel}|${period.period}`) ?? null);
}

/** How many deputies met each column. */
export function metPerColumn<C extends ComplianceCell>(rows: readonly { cells: readonly C[] }[], periods: readonly CompliancePeriod[]): number[] {
  const counts = periods.map(() => 0);
  for (const row of rows) {
    rowCells(row.cells, periods).forEach((cell, index) => {
      if (cell?.status === 'MET') counts[index]! += 1;
    });
  }
  return counts;
}

/** Years a station's compliance can be read for: from its opening to its closing or the view's day, newest first. */
export function complianceYears(establishedOn: string, closedOn: string | null | undefined, viewDay: string): number[] {
  const first = Number(establishedOn.slice(0, 4));
  const end = closedOn && closedOn < viewDay ? closedOn : viewDay;
  const years: number[] = [];
  for (let year = Number(end.slice(0, 4)); year >= first; year--) years.push(year);
  return years;
}

/** The pill colour of an opinion's status: closed is done, answered nearly, the rest still open. */
export function opinionTone(status: string): 'ok' | 'info' | 'warn' | 'bad' {
  switch (status) {
    case 'CLOSED':
      return 'ok';
    case 'ANSWERED':
      return 'info';
    case 'REOPENED':
      return 'bad';
    default:
      return 'warn';
  }
}

export interface CalendarSlot {
  /** Weekly: 1 = Monday … 7 = Sunday; monthly: the day of the month. */
  day: number;
  repeat: 'WEEKLY' | 'MONTHLY';
  startTime: string;
  endTime: string;
}

export interface CalendarSchedule {
  fromOn: string;
  /** Its last day (null: still in force). */
  toOn?: string | null;
  slots: readonly CalendarSlot[];
}

export interface CalendarDay {
  /** YYYY-MM-DD. */
  date: string;
  /** In the month shown (the first and last weeks are completed with the neighbouring months' days). */
  inMonth: boolean;
  /** The reception times the schedule in force that day sets on it. */
  slots: CalendarSlot[];
  /** Receptions held that day (from the reception book). */
  held: number;
}

const isoDay = (date: Date) => date.toISOString().slice(0, 10);

/** The month after (or, with -1, before) YYYY-MM. */
export function shiftMonth(month: string, by: number): string {
  const [year, number] = month.split('-').map(Number) as [number, number];
  return isoDay(new Date(Date.UTC(year, number - 1 + by, 1))).slice(0, 7);
}

/** The last day of a month YYYY-MM, as YYYY-MM-DD. */
export function lastDayOf(month: string): string {
  const [year, number] = month.split('-').map(Number) as [number, number];
  return isoDay(new Date(Date.UTC(year, number, 0)));
}

/**
 * The reception calendar of a month (YYYY-MM): its weeks, Monday first, each day with the
 * reception times scheduled on it (by the schedule in force that day: weekly slots on their
 * weekday, monthly ones on their day of the month) and the receptions held on it.
 */
export function receptionCalendar(month: string, schedules: readonly CalendarSchedule[], heldOn: readonly string[]): CalendarDay[][] {
  const [year, number] = month.split('-').map(Number) as [number, number];
  const first = new Date(Date.UTC(year, number - 1, 1));
  const start = new Date(first);
  start.setUTCDate(1 - ((first.getUTCDay() + 6) % 7));
  const held = new Map<string, number>();
  for (const day of heldOn) held.set(day, (held.get(day) ?? 0) + 1);
  const weeks: CalendarDay[][] = [];
  for (const cursor = new Date(start); ; ) {
    const week: CalendarDay[] = [];
    for (let index = 0; index < 7; index++) {
      const date = isoDay(cursor);
      const weekday = index + 1;
      const schedule = schedules.find((candidate) => candidate.fromOn <= date && (!candidate.toOn || date <= candidate.toOn));
      const slots = (schedule?.slots ?? []).filter((slot) => (slot.repeat === 'WEEKLY' ? slot.day === weekday : slot.day === cursor.getUTCDate()));
      week.push({ date, inMonth: date.slice(0, 7) === month, slots, held: held.get(date) ?? 0 });
      cursor.setUTCDate(cursor.getUTCDate() + 1);
    }
    weeks.push(week);
    if (isoDay(cursor).slice(0, 7) !== month) return weeks;
  }
}
