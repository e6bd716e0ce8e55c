/** The dashboard's logic: the period a choice of term and year means, and the team × township table. */
// Relative, not $lib: the benchmarks load this module outside SvelteKit for DASHBOARD_MODELS.
import { periodKind } from '../lib/periods';
import type { TermSpan } from '$lib/terms';

/**
 * The read models the dashboard's figures come from (the API's projection names): statistics and
 * headlines read the facts, the mandates and the county registry; score bands the scoring rules;
 * station compliance the stations; the terms the mandates. The page refreshes when one of them moves.
 */
export const DASHBOARD_MODELS: readonly string[] = ['facts', 'mandates', 'county_registry', 'scoring_rules', 'stations'];

export interface Scope {
  termId?: string;
  /** First day, YYYY-MM-DD. */
  from?: string;
  /** Last day, YYYY-MM-DD. */
  to?: string;
}

/** The query arguments for a term (its records) and/or a calendar year (its days). */
export function scopeFor(term: TermSpan | undefined, year: number | undefined): Scope {
  const scope: Scope = {};
  if (term) scope.termId = term.termId;
  if (year !== undefined) {
    scope.from = `${year}-01-01`;
    scope.to = `${year}-12-31`;
  }
  return scope;
}

/**
 * The months the monthly chart spans (YYYY-MM): the chosen year, else the chosen term, and never
 * past the view's day; both undefined when nothing is chosen (the data's own months then).
 */
export function monthSpan(term: TermSpan | undefined, year: number | undefined, viewDay: string): { from?: string; to?: string } {
  const viewMonth = viewDay.slice(0, 7);
  let from: string | undefined;
  let to: string | undefined;
  if (term) {
    from = term.from.slice(0, 7);
    to = term.to.slice(0, 7);
  }
  if (year !== undefined) {
    const first = `${year}-01`;
    const last = `${year}-12`;
    from = from && from > first ? from : first;
    to = to && to < last ? to : last;
  }
  if (to && to > viewMonth) to = viewMonth;
  if (from && to && from > to) return { from, to: from };
  return from || to ? { from: from ?? to, to: to ?? from } : {};
}

/** Years a dashboard can be filtered to: those of the term (or of every term), up to the view's year. */
export function selectableYears(terms: readonly TermSpan[], term: TermSpan | undefined, viewDay: string): number[] {
  const spans = term ? [term] : terms;
  if (spans.length === 0) return [Number(viewDay.slice(0, 4))];
  const first = Math.min(...spans.map((span) => Number(span.from.slice(0, 4))));
  const last = Math.min(Number(viewDay.slice(0, 4)), Math.max(...spans.map((span) => Number(span.to.slice(0, 4)))));
  const years: number[] = [];
  for (let year = last; year >= first; year--) years.push(year);
  return years;
}

/** The year a yearly report (the stations' compliance) is shown for: the chosen year, else the term's last year, never past the view's. */
export function reportYear(term: TermSpan | undefined, year: number | undefined, viewDay: string): number {
  const viewYear = Number(viewDay.slice(0, 4));
  if (year !== undefined) return year;
  if (term) return Math.min(viewYear, Number(term.to.slice(0, 4)));
  return viewYear;
}

/**
 * The year the score bands are shown for: the chosen year, else the last year that is over on the
 * view's day (a year still running has no bands yet), within the term when one is chosen.
 */
export function bandsYear(term: TermSpan | undefined, year: number | undefined, viewDay: string): number {
  if (year !== undefined) return year;
  const over = Math.min(reportYear(term, undefined, viewDay), Number(viewDay.slice(0, 4)) - 1);
  return term ? Math.max(Number(term.from.slice(0, 4)), over) : over;
}

export const TEAMS = ['COMMITTEE', 'STAFF', 'TOWNSHIP_CHAIR', 'DEPUTY'] as const;
export type TeamKey = (typeof TEAMS)[number];

export interface TeamTownshipRow {
  team?: TeamKey | null;
  township?: string | null;
  personTimes: number;
}

export interface Pivot {
  /** Columns: the four teams in a fixed order, then `null` (no mandate: unknown) if any row has it. */
  teams: (TeamKey | null)[];
  /** Rows: townships by name, then `null` (a seat with no township: county level) if any. */
  townships: (string | null)[];
  cell(township: string | null, team: TeamKey | null): number;
  rowTotal(township: string | null): number;
  columnTotal(team: TeamKey | null): number;
  total: number;
}

const key = (township: string | null, team: TeamKey | null) => `${township ?? '\u0000'}|${team ?? '\u0000'}`;

/** Rows grouped by team and township → a table with row, column and grand totals. */
export function pivotTeamTownship(rows: readonly TeamTownshipRow[]): Pivot {
  const cells = new Map<string, number>();
  const rowTotals = new Map<string | null, number>();
  const columnTotals = new Map<TeamKey | null, number>();
  let total = 0;
  for (const row of rows) {
    const township = row.township ?? null;
    const team = row.team ?? null;
    cells.set(key(township, team), (cells.get(key(township, team)) ?? 0) + row.personTimes);
    rowTotals.set(township, (rowTotals.get(township) ?? 0) + row.personTimes);
    columnTotals.set(team, (columnTotals.get(team) ?? 0) + row.personTimes);
    total += row.personTimes;
  }
  const named = [...rowTotals.keys()].filter((township): township is string => township !== null).sort((a, b) => a.localeCompare(b, 'zh-CN'));
  return {
    teams: columnTotals.has(null) ? [...TEAMS, null] : [...TEAMS],
    townships: rowTotals.has(null) ? [...named, null] : named,
    cell: (township, team) => cells.get(key(township, team)) ?? 0,
    rowTotal: (township) => rowTotals.get(township) ?? 0,
    columnTotal: (team) => columnTotals.get(team) ?? 0,
    total,
  };
}

export interface TermActRow {
  term?: number | null;
  act?: string | null;
  personTimes: number;
}

/**
 * The term comparison: person-times of each act kind, one series per term (oldest first), the
 * categories in a stable order (by act). Rows without a term or act are left out.
 */
export function termComparison(rows: readonly TermActRow[]): { acts: string[]; terms: { term: number; values: number[] }[] } {
  const acts = [...new Set(rows.flatMap((row) => (row.act && row.term ? [row.act] : [])))].sort();
  const terms = [...new Set(rows.flatMap((row) => (row.act && row.term ? [row.term] : [])))].sort((a, b) => a - b);
  const cell = new Map<string, number>();
  for (const row of rows) if (row.act && row.term) cell.set(`${row.term}:${row.act}`, (cell.get(`${row.term}:${row.act}`) ?? 0) + row.personTimes);
  return { acts, terms: terms.map((term) => ({ term, values: acts.map((act) => cell.get(`${term}:${act}`) ?? 0) })) };
}

/** A compliance period as the chart labels it: 2022-03 → March, 2022-Q1 → the first quarter, 2022 → the year. */
export function periodLabel(period: string, language: 'zh-CN' | 'en'): string {
  const kind = periodKind(period);
  if (kind.kind === 'month')
    return language === 'en' ? new Date(Date.UTC(2000, kind.month - 1, 1)).toLocaleString('en', { month: 'short', timeZone: 'UTC' }) : `${kind.month}月`;
  if (kind.kind === 'quarter') return language === 'en' ? `Q${kind.quarter}` : `${'一二三四'[kind.quarter - 1]}季度`;
  return language === 'en' ? 'Year' : '全年';
}
