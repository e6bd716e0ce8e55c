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

export type PeriodKind = { kind: 'month'; month: number } | { kind: 'quarter'; quarter: number } | { kind: 'year' };

/** What a period key names: 2024-03 a month, 2024-Q1 a quarter, 2024 the year. */
export function periodKind(period: string): PeriodKind {
  const quarter = /^\d{4}-Q([1-4])$/.exec(period);
  if (quarter) return { kind: 'quarter', quarter: Number(quarter[1]) };
  const month = /^\d{4}-(\d{2})$/.exec(period);
  if (month) return { kind: 'month', month: Number(month[1]) };
  return { kind: 'year' };
}

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
