/** Compliance periods as the API keys them: 2024-03 a month, 2024-Q1 a quarter, 2024 the year. */

export type PeriodKind = { kind: 'month'; month: number } | { kind: 'quarter'; quarter: number } | { kind: 'year' };

/** What a period key names: 2024-03 a month, 2024-Q1 a quarter, 2024 the year. */
export function periodKind(period: string): PeriodKind {
  const quarter = /^\d{4}-Q([1-4])$/.exec(period);
  if (quarter) return { kind: 'quarter', quarter: Number(quarter[1]) };
  const month = /^\d{4}-(\d{2})$/.exec(period);
  if (month) return { kind: 'month', month: Number(month[1]) };
  return { kind: 'year' };
}
