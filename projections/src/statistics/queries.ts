/**
 * County statistics (县级统计): person-times (人次) and distinct persons of approved act records by
 * act, team, level, township, term and month, and the headline figures the domain page quotes
 * (training, supervision, 列席, consultation recommendations, stations, regulations) — the
 * figures dashboards draw. Computed at query time over rm_facts.record_versions (and the county
 * registry), so every view of the past (AsOf) comes for free.
 *
 * The present (the 'now' view) over whole months — the dashboard's default, a year, a term — is
 * read from the figures the facts model keeps per event instead of from every record's versions:
 * the months alone from its month totals (records and distinct persons per month), the whole
 * history's groupings without a month from its totals per act and mandate, the rest from its
 * counter rows (`approved_counts`: approved records per person, act, mandate and month); any other
 * view or range reads the versions. All give the same figures (a test compares them).
 *
 * Placing a record: its own mandate gives team, level, township and term. A record without a
 * mandate (a training attendance recorded without naming one) takes the person's mandate valid on
 * the act's date (the earliest-started if several); when the person held none it counts under team
 * 'unknown', with no level or township, in the term whose span holds the date.
 */
import { createHash } from 'node:crypto';
import type { Queryable, QueryOptions } from '@yingpan/db';
import { actsCountedIn, HEADLINES, type ActKind, type Headline, type Level, type Team } from '@yingpan/domain';
import { schemaOf } from '../engine/projection.ts';
import { Params, versionsVisible, type AsOf } from '../facts/as-of.ts';
import { facts, NO_MANDATE } from '../facts/projection.ts';
import { mandates } from '../mandates/projection.ts';
import { entityHistory, entityStates, mandateSpans, termSpans } from './as-of.ts';
import { countyRegistry } from './registry.ts';

export const STATISTICS_DIMENSIONS = ['act', 'team', 'level', 'township', 'term', 'month'] as const;
export type StatisticsDimension = (typeof STATISTICS_DIMENSIONS)[number];

export interface StatisticsFilter {
  /** Only records made in a mandate of this term. */
  termId?: string;
  /** Only acts dated on or after / on or before these days. */
  from?: string;
  to?: string;
  asOf: AsOf;
}

export interface StatisticsQuery extends StatisticsFilter {
  groupBy: readonly StatisticsDimension[];
}

/** One group: the dimensions asked for, person-times and distinct persons. */
export interface StatisticsRow {
  act?: ActKind;
  team?: Team | 'unknown';
  level?: Level | null;
  township?: string | null;
  /** The term's number (e.g. 17 for 第十七届). */
  term?: number | null;
  /** YYYY-MM */
  month?: string;
  personTimes: number;
  persons: number;
}

const DIMENSION_SQL: Record<StatisticsDimension, string> = {
  act: 'p.act',
  team: "coalesce(m.team, 'unknown')",
  level: 'm.level',
  township: 'm.township',
  term: 't.number',
  month: "to_char(p.act_date, 'YYYY-MM')",
};

/**
 * The present's statements are prepared, named by their text: a dashboard asks the same few again
 * after every write, and on PostgreSQL planning one (its grouping sets over kept figures) cost
 * about as much as running it. Views of the past are planned each time: their positions and dates
 * decide which index serves them best.
 */
function preparedFor(filter: StatisticsFilter, text: string): QueryOptions | undefined {
  if (filter.asOf.view !== 'now') return undefined;
  return { prepared: `statistics:${createHash('sha256').update(text).digest('base64url').slice(0, 22)}` };
}

/** Person-times and distinct persons of approved records, grouped by the dimensions asked for (none: one total row). */
export async function countyStatistics(db: Queryable, query: StatisticsQuery): Promise<StatisticsRow[]> {
  const [rows] = await countyStatisticsSets(db, query, [query.groupBy]);
  return rows!;
}

/** The last day of a YYYY-MM-DD date's month. */
const monthEnd = (date: string) => {
  const [year, month] = date.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
};

/** A filter the counter rows answer: the present, from a month's first day to a month's last. */
export function countable(filter: StatisticsFilter): boolean {
  return filter.asOf.view === 'now' && (!filter.from || filter.from.endsWith('-01')) && (!filter.to || filter.to === monthEnd(filter.to));
}

/**
 * Where a statement's records come from: every version visible in the view (`versions`), the
 * counter rows per month (`counts`, for a `countable` filter), or the counter rows over the whole
 * history (`totals`, for a `countable` filter without dates; no act dates, so no grouping by month).
 */
type Source = 'versions' | 'counts' | 'totals';

/**
 * The approved records as (act, person_id, act_date, mandate_id, n): `n` records of a person's act
 * in a mandate, read from `source`. A record without a mandate takes the person's mandate valid on
 * its day (see the top of this file); the counters keep such records by their day, and their totals
 * leave them to the per-day rows.
 */
function placedRecords(filter: StatisticsFilter, add: (value: unknown) => string, source: Source): string {
  const spanOf = (person: string, day: string) => `(SELECT s.mandate_id FROM spans s
                                            WHERE s.person_id = ${person} AND s.starts_on <= ${day}
                                              AND (s.valid_to IS NULL OR ${day} <= s.valid_to)
                                            ORDER BY s.starts_on, s.mandate_id LIMIT 1)`;
  if (source === 'totals') {
    return `SELECT c.act, c.person_id, NULL::date AS act_date, c.n, c.mandate_id
              FROM ${schemaOf(facts)}.approved_totals c
             WHERE c.n > 0
            UNION ALL
            SELECT c.act, c.person_id, c.period AS act_date, c.n, ${spanOf('c.person_id', 'c.period')} AS mandate_id
              FROM ${schemaOf(facts)}.approved_counts c
             WHERE c.mandate_id = '${NO_MANDATE}' AND c.n > 0`;
  }
  if (source === 'counts') {
    return `SELECT c.act, c.person_id, c.period AS act_date, c.n,
                   CASE WHEN c.mandate_id = '${NO_MANDATE}' THEN ${spanOf('c.person_id', 'c.period')} ELSE c.mandate_id END AS mandate_id
              FROM ${schemaOf(facts)}.approved_counts c
             WHERE c.n > 0
               ${filter.from ? `AND c.period >= ${add(filter.from)}::date` : ''}
               ${filter.to ? `AND c.period <= ${add(filter.to)}::date` : ''}`;
  }
  return `SELECT v.act, v.person_id, v.act_date, 1 AS n, coalesce(v.mandate_id, ${spanOf('v.person_id', 'v.act_date')}) AS mandate_id
              FROM ${schemaOf(facts)}.record_versions v
             WHERE ${versionsVisible(filter.asOf, add)} AND v.status = 'approved'
               ${filter.from ? `AND v.act_date >= ${add(filter.from)}::date` : ''}
               ${filter.to ? `AND v.act_date <= ${add(filter.to)}::date` : ''}`;
}

/** Records and persons by month from the facts model's month totals (a `countable` filter without a term). */
async function monthTotals(db: Queryable, filter: StatisticsFilter): Promise<StatisticsRow[]> {
  const params = new Params();
  const { add } = params;
  const text = `SELECT n AS "personTimes", persons, to_char(period, 'YYYY-MM') AS month
       FROM ${schemaOf(facts)}.month_totals
      WHERE n > 0 ${filter.from ? `AND period >= ${add(filter.from)}::date` : ''} ${filter.to ? `AND period <= ${add(filter.to)}::date` : ''}
      ORDER BY period`;
  const { rows } = await db.query<StatisticsRow>(text, params.values, preparedFor(filter, text));
  return rows;
}

/**
 * Several groupings of the same records at once (a dashboard's): the records are read and placed
 * once and grouped by every grouping asked for (GROUPING SETS). The answer has one list per
 * grouping asked for, in that order, each as `countyStatistics` would give it.
 *
 * For the present over whole months (`countable`) the facts model's kept figures answer instead of
 * every record: the months alone from its month totals (no term: a month's persons are kept, not
 * counted); over the whole history, the groupings without a month from its totals per act and
 * mandate (a row per act a mandate's person did, not per month); the rest from its counter rows.
 */
export async function countyStatisticsSets(
  db: Queryable,
  filter: StatisticsFilter,
  groupings: readonly (readonly StatisticsDimension[])[],
  /** Read every record's versions even where the kept figures would answer (to compare the two). */
  options: { versions?: boolean } = {},
): Promise<StatisticsRow[][]> {
  // Each grouping as its dimensions in the canonical order; a grouping asked for twice is computed once.
  const sets = groupings.map((groupBy) => STATISTICS_DIMENSIONS.filter((dimension) => groupBy.includes(dimension)));
  const distinct = [...new Map(sets.map((set) => [set.join(','), set])).values()];
  const kept = !options.versions && countable(filter);
  const byMonthAlone = (set: readonly StatisticsDimension[]) => kept && !filter.termId && set.length === 1 && set[0] === 'month';
  const fromTotals = (set: readonly StatisticsDimension[]) => kept && !filter.from && !filter.to && !set.includes('month');
  const answers = new Map<string, StatisticsRow[]>();
  const months = distinct.filter(byMonthAlone);
  const totals = distinct.filter((set) => !byMonthAlone(set) && fromTotals(set));
  const rest = distinct.filter((set) => !byMonthAlone(set) && !fromTotals(set));
  await Promise.all([
    months.length > 0 ? monthTotals(db, filter).then((rows) => answers.set('month', rows)) : undefined,
    totals.length > 0 ? groupedSets(db, filter, totals, 'totals', answers) : undefined,
    rest.length > 0 ? groupedSets(db, filter, rest, kept ? 'counts' : 'versions', answers) : undefined,
  ]);
  return sets.map((set) => answers.get(set.join(','))!);
}

/** The groupings `distinct` of the records `source` gives, in one statement; each grouping's rows are set in `answers` under its dimensions joined by commas. */
async function groupedSets(
  db: Queryable,
  filter: StatisticsFilter,
  distinct: readonly (readonly StatisticsDimension[])[],
  source: Source,
  answers: Map<string, StatisticsRow[]>,
): Promise<void> {
  const params = new Params();
  const { add } = params;
  const used = STATISTICS_DIMENSIONS.filter((dimension) => distinct.some((set) => set.includes(dimension)));
  // GROUPING(used…): a bit per dimension used, 1 where the row's grouping does not group by it.
  const maskOf = (set: readonly StatisticsDimension[]) =>
    used.reduce((mask, dimension, index) => (set.includes(dimension) ? mask : mask | (1 << (used.length - 1 - index))), 0);
  const selected = used.map((dimension) => `${DIMENSION_SQL[dimension]} AS "${dimension}"`);
  const grouping = used.length > 0 ? `GROUPING(${used.map((dimension) => DIMENSION_SQL[dimension]).join(', ')})` : '0';
  const groupingSets = distinct.map((set) => `(${set.map((dimension) => DIMENSION_SQL[dimension]).join(', ')})`).join(', ');
  const text = `WITH spans AS ${mandateSpans(filter.asOf, add)},
          terms AS ${termSpans(filter.asOf, add)},
          placed AS (${placedRecords(filter, add, source)})
     SELECT ${[...selected, `${grouping} AS grouping_set`, 'sum(p.n)::int AS "personTimes"', 'count(DISTINCT p.person_id)::int AS persons'].join(', ')}
       FROM placed p
       LEFT JOIN ${schemaOf(mandates)}.mandates m ON m.mandate_id = p.mandate_id
       LEFT JOIN terms t ON t.term_id = coalesce(m.term_id, (SELECT d.term_id FROM terms d
                                                              WHERE d.starts_on <= p.act_date AND (d.closed_on IS NULL OR p.act_date <= d.closed_on)
                                                              ORDER BY d.number DESC LIMIT 1))
      ${filter.termId ? `WHERE t.term_id = ${add(filter.termId)}` : ''}
      GROUP BY GROUPING SETS (${groupingSets})
      ORDER BY ${['grouping_set', ...used.map((dimension) => `${DIMENSION_SQL[dimension]} NULLS LAST`)].join(', ')}`;
  const { rows } = await db.query<StatisticsRow & { grouping_set: number }>(text, params.values, preparedFor(filter, text));
  const bySet = new Map<number, StatisticsRow[]>(distinct.map((set) => [maskOf(set), []]));
  for (const { grouping_set: mask, ...row } of rows) {
    const set = distinct.find((candidate) => maskOf(candidate) === mask)!;
    // Only the grouping's own dimensions, as `countyStatistics` of that grouping answers.
    const own: StatisticsRow = { personTimes: row.personTimes, persons: row.persons };
    for (const dimension of set) (own as unknown as Record<string, unknown>)[dimension] = row[dimension];
    bySet.get(mask)!.push(own);
  }
  for (const set of distinct) answers.set(set.join(','), bySet.get(maskOf(set))!);
}

/** The figures the domain page quotes, for a period (a term, and/or from–to) in a view of the past. */
export interface CountyHeadlines {
  /** 培训: training person-times, every team. */
  trainingPersonTimes: number;
  /** … of which by standing-committee members (常委会组成人员培训). */
  committeeTrainingPersonTimes: number;
  /** Deputies' person-times in research, inspection and law-enforcement checks (调研、视察、执法检查). */
  supervisionPersonTimes: number;
  /** Distinct deputies who attended standing-committee meetings (列席). */
  committeeMeetingAttendees: number;
  /** Person-times recommended to county consultation meetings (推荐参加意见征求会). */
  consultationRecommendations: number;
  /** Stations open at the end of the period, and set up / closed within it. */
  stationsOpen: number;
  stationsEstablished: number;
  stationsClosed: number;
  /** Regulations in force at the end of the period; enacted, amended, repealed within it (立、改、废: changes dated by effect). */
  regulationsInForce: number;
  regulationsEnacted: number;
  regulationsAmended: number;
  regulationsRepealed: number;
  /** Distinct regulations enacted, amended or repealed within the period (制度立改废). */
  regulationsRevised: number;
}

/** Whether a row's act counts toward a headline: the domain's ACT_VOCABULARY decides it per kind. */
const HEADLINE_ACTS = new Map<Headline, ReadonlySet<ActKind | undefined>>(HEADLINES.map((headline) => [headline, new Set(actsCountedIn(headline))]));
const countsToward = (headline: Headline) => (row: StatisticsRow) => HEADLINE_ACTS.get(headline)!.has(row.act);

/** The grouping the headline figures are summed from. */
export const HEADLINE_GROUPING: readonly StatisticsDimension[] = ['act', 'team'];

/**
 * The headline figures; `statistics` gives the records grouped by HEADLINE_GROUPING when the caller
 * has them already (say, from `countyStatisticsSets` with the other groupings of a dashboard).
 */
export async function countyHeadlines(db: Queryable, filter: StatisticsFilter, statistics?: Promise<StatisticsRow[]>): Promise<CountyHeadlines> {
  const [rows, registry] = await Promise.all([statistics ?? countyStatistics(db, { ...filter, groupBy: HEADLINE_GROUPING }), registryCounts(db, filter)]);
  const sum = (where: (row: StatisticsRow) => boolean, field: 'personTimes' | 'persons' = 'personTimes') =>
    rows.filter(where).reduce((total, row) => total + row[field], 0);
  return {
    trainingPersonTimes: sum(countsToward('training')),
    committeeTrainingPersonTimes: sum((row) => countsToward('training')(row) && row.team === 'committee'),
    supervisionPersonTimes: sum((row) => countsToward('supervision')(row) && row.team === 'deputy'),
    committeeMeetingAttendees: sum((row) => countsToward('committee-meeting-attendance')(row) && row.team === 'deputy', 'persons'),
    consultationRecommendations: sum(countsToward('consultation-recommendation')),
    ...registry,
  };
}

type RegistryCounts = Pick<
  CountyHeadlines,
  | 'stationsOpen'
  | 'stationsEstablished'
  | 'stationsClosed'
  | 'regulationsInForce'
  | 'regulationsEnacted'
  | 'regulationsAmended'
  | 'regulationsRepealed'
  | 'regulationsRevised'
>;

/** Stations and regulations: states at the end of the period and changes dated within it. */
async function registryCounts(db: Queryable, filter: StatisticsFilter): Promise<RegistryCounts> {
  let { from, to } = filter;
  if (filter.termId) {
    const params = new Params();
    const { rows } = await db.query<{ starts_on: string; end_on: string | null }>(
      `SELECT to_char(starts_on, 'YYYY-MM-DD') AS starts_on, to_char(closed_on, 'YYYY-MM-DD') AS end_on
         FROM ${termSpans(filter.asOf, params.add)} t WHERE t.term_id = ${params.add(filter.termId)}`,
      params.values,
    );
    const term = rows[0];
    if (!term)
      return {
        stationsOpen: 0,
        stationsEstablished: 0,
        stationsClosed: 0,
        regulationsInForce: 0,
        regulationsEnacted: 0,
        regulationsAmended: 0,
        regulationsRepealed: 0,
        regulationsRevised: 0,
      };
    from = from && from > term.starts_on ? from : term.starts_on;
    to = to && term.end_on && to > term.end_on ? term.end_on : (to ?? term.end_on ?? undefined);
  }
  const params = new Params();
  const { add } = params;
  const table = `${schemaOf(countyRegistry)}.entity_versions`;
  const within = `${from ? `AND h.status_on >= ${add(from)}::date` : ''} ${to ? `AND h.status_on <= ${add(to)}::date` : ''}`;
  const changes = (kind: string, eventType: string) =>
    `(SELECT count(*)::int FROM ${entityHistory(table, kind, filter.asOf, add)} h WHERE h.event_type = ${add(eventType)} ${within})`;
  const text = `SELECT (SELECT count(*)::int FROM ${entityStates(table, 'station', filter.asOf, add, to)} s WHERE s.status = 'open') AS "stationsOpen",
            ${changes('station', 'StationEstablished')} AS "stationsEstablished",
            ${changes('station', 'StationClosed')} AS "stationsClosed",
            (SELECT count(*)::int FROM ${entityStates(table, 'regulation', filter.asOf, add, to)} s WHERE s.status <> 'repealed') AS "regulationsInForce",
            ${changes('regulation', 'RegulationEnacted')} AS "regulationsEnacted",
            ${changes('regulation', 'RegulationAmended')} AS "regulationsAmended",
            ${changes('regulation', 'RegulationRepealed')} AS "regulationsRepealed",
            (SELECT count(DISTINCT h.entity_id)::int FROM ${entityHistory(table, 'regulation', filter.asOf, add)} h WHERE TRUE ${within}) AS "regulationsRevised"`;
  const { rows } = await db.query<RegistryCounts>(text, params.values, preparedFor(filter, text));
  return rows[0]!;
}
