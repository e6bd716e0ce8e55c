/**
 * Evaluation scores (量化评价) at query time: the visible approved records (rm_facts), the mandates'
 * spans (rm_mandates) and the scoring rules (rm_scoring_rules) are loaded in a few set-based
 * queries, then scored by the pure `scoreYear`. Every query takes an AsOf, so a score can be asked
 * for as it happened on a date or as it was known at a log position or instant (see as-of.ts).
 *
 * Only records approved in the view count (pending, rejected and retracted ones do not); a corrected
 * record counts with its corrected data. A record names its mandate; one naming none (a training
 * attended without a mandate) counts for the person's scored mandate held on its date. Acts done in a
 * mandate of a kind the rules do not score (`appliesTo`) do not count, nor acts dated outside the
 * mandate's span as the view knows it (its end, its term's close, else the term's planned end).
 */
import type { Queryable } from '@yingpan/db';
import type { Level, MandateKind, ScoringRules } from '@yingpan/domain';
import { schemaOf } from '../engine/projection.ts';
import { Params, versionsVisible, type AsOf } from '../facts/as-of.ts';
import { facts } from '../facts/projection.ts';
import { mandates } from '../mandates/projection.ts';
import { mandatesVisible, rulesVisible, viewDate } from './as-of.ts';
import { contains, overlap, yearSpan, type Span } from './calendar.ts';
import { scoringRules } from './projection.ts';
import {
  asPart,
  bandOf,
  decidingRules,
  scoreYear,
  splitYear,
  weightedScore,
  type CountedRecord,
  type RulesChoice,
  type RulesRef,
  type RulesVersion,
  type SplitYearScore,
  type YearScore,
} from './score.ts';

const RULES = schemaOf(scoringRules);
const FACTS = schemaOf(facts);
const MANDATES = schemaOf(mandates);

/** Names one version of a scoring regulation, e.g. to score under it for comparison. */
export interface RulesVersionKey {
  regulationId: string;
  version: number;
}

export type ScorecardQuery = {
  personId: string;
  /** Only this mandate of the person. */
  mandateId?: string;
  /** Score every act and period under this version instead of the versions in force. */
  rulesVersion?: RulesVersionKey;
} & ({ year: number; termId?: undefined } | { termId: string; year?: undefined });

export interface MandateScore {
  mandateId: string;
  personId: string;
  termId: string;
  termNumber: number;
  kind: MandateKind;
  level: Level | null;
  township: string | null;
  startsOn: string;
  /**
   * The mandate's last day as the view knows it: its own end or its term's close; null while it
   * runs (a term runs until it is closed, past its planned end if the next one has not begun).
   */
  lastDay: string | null;
  /** The year's total, or for a term the years' totals weighted by the days held in each. */
  score: number | null;
  /**
   * The band of the score; null while a year scored is still running (provisional), for a year held
   * less than half its days, and for a term held less than half a year in all.
   */
  band: string | null;
  /** True when a year scored runs on past the view's day: the score so far (评价中), no band yet. */
  provisional: boolean;
  dutiesMet: number;
  dutiesMissed: number;
  /** One per year scored, each with its explanation (whose points add up to the year's total). */
  years: YearScore[];
}

/**
 * A seat held on both sides of a term change within the year asked for (a re-elected deputy), split
 * at the change: each part is one of the scorecard's mandates (whose year is then `asPart`: no band
 * of its own), and the year as a whole is scored and banded here (score.ts, `SplitYearScore`).
 */
export interface SplitYear extends SplitYearScore {
  personId: string;
  kind: MandateKind;
  level: Level | null;
  township: string | null;
}

export interface Scorecard {
  personId: string;
  year: number | null;
  termId: string | null;
  rulesVersion: RulesVersionKey | null;
  mandates: MandateScore[];
  /** A year asked for: the seats held across a term change in it, each split at the change (none for a term). */
  splitYears: SplitYear[];
}

export interface BandCount {
  label: string;
  /** The band's lower bound under the latest rules applied; null for a band only older rules had. */
  minScore: number | null;
  count: number;
}

export interface ScoresByBand {
  year: number;
  /**
   * Seat-years scored: a mandate's year, or a year split at a term change counted once (a person
   * holding two scored seats at once counts twice).
   */
  scored: number;
  /** The year runs on past the view's day: no band is given yet, and `bands` is empty. */
  provisional: boolean;
  /** Seat-years scored without a band: all of them while the year runs, else those held less than half the year. */
  withheld: number;
  bands: BandCount[];
}

interface MandateRow {
  mandateId: string;
  personId: string;
  termId: string;
  termNumber: number;
  kind: MandateKind;
  level: Level | null;
  township: string | null;
  startsOn: string;
  lastDay: string | null;
}

/** The end of a span that has none yet (a mandate still running). */
const OPEN_END = '9999-12-31';

type RecordRow = CountedRecord & { personId: string; mandateId: string | null };

/** Every version of every scoring regulation visible in the view, oldest first. */
export async function listScoringRules(db: Queryable, asOf: AsOf): Promise<RulesVersion[]> {
  const params = new Params();
  const { rows } = await db.query<RulesVersion>(
    `SELECT regulation_id AS "regulationId", version, title, to_char(effective_from, 'YYYY-MM-DD') AS "effectiveFrom",
            to_char(repealed_on, 'YYYY-MM-DD') AS "repealedOn", rules, position
       FROM ${RULES}.rule_versions r WHERE ${rulesVisible(asOf, params.add)}
      ORDER BY effective_from, regulation_id, version`,
    params.values,
  );
  return rows;
}

/**
 * How each mandate is scored: under a version named for comparison, or under the scoring regulation
 * whose deciding version scores the mandate's kind (the newest such, should several exist).
 */
function rulesChooser(
  versions: readonly RulesVersion[],
  key: RulesVersionKey | undefined,
): { kinds: MandateKind[]; choose: (kind: MandateKind, held: Span) => RulesChoice | null } {
  if (key) {
    const only = versions.find((version) => version.regulationId === key.regulationId && version.version === key.version);
    if (!only) throw new Error(`scoring rules version ${key.version} of regulation ${key.regulationId} is not known in this view`);
    return { kinds: only.rules.appliesTo, choose: (kind) => (only.rules.appliesTo.includes(kind) ? { only } : null) };
  }
  const regulations = new Map<string, RulesVersion[]>();
  for (const version of versions) regulations.set(version.regulationId, [...(regulations.get(version.regulationId) ?? []), version]); // a handful of versions
  return {
    kinds: [...new Set(versions.flatMap((version) => version.rules.appliesTo))],
    choose(kind, held) {
      let best: { choice: RulesChoice; effectiveFrom: string } | null = null;
      for (const inForce of regulations.values()) {
        const deciding = decidingRules({ inForce }, held);
        if (deciding?.rules.appliesTo.includes(kind) && (!best || deciding.effectiveFrom > best.effectiveFrom)) {
          best = { choice: { inForce }, effectiveFrom: deciding.effectiveFrom };
        }
      }
      return best?.choice ?? null;
    },
  };
}

async function loadMandates(
  db: Queryable,
  filter: { span: Span; kinds: readonly MandateKind[]; personIds?: readonly string[]; mandateId?: string; termId?: string; level?: Level; township?: string },
  asOf: AsOf,
): Promise<MandateRow[]> {
  const params = new Params();
  const view = mandatesVisible(asOf, params.add);
  const conditions = [view.where, `m.kind = ANY(${params.add(filter.kinds)}::text[])`];
  if (filter.personIds) conditions.push(`m.person_id = ANY(${params.add(filter.personIds)})`);
  if (filter.mandateId) conditions.push(`m.mandate_id = ${params.add(filter.mandateId)}`);
  if (filter.termId) conditions.push(`m.term_id = ${params.add(filter.termId)}`);
  if (filter.level) conditions.push(`m.level = ${params.add(filter.level)}`);
  if (filter.township) conditions.push(`m.township = ${params.add(filter.township)}`);
  const { rows } = await db.query<MandateRow>(
    `SELECT * FROM (
       SELECT m.mandate_id AS "mandateId", m.person_id AS "personId", m.term_id AS "termId", t.number AS "termNumber",
              m.kind, m.level, m.township, to_char(m.starts_on, 'YYYY-MM-DD') AS "startsOn",
              to_char(least(${view.endedOn}, ${view.closedOn}), 'YYYY-MM-DD') AS "lastDay"
         FROM ${MANDATES}.mandates m JOIN ${MANDATES}.terms t USING (term_id)
        WHERE ${conditions.join(' AND ')}) s
      WHERE "startsOn" <= ${params.add(filter.span.to)} AND ("lastDay" IS NULL OR "lastDay" >= ${params.add(filter.span.from)})
      ORDER BY "startsOn", "mandateId"`,
    params.values,
  );
  return rows;
}

/** The approved records visible in the view, dated within `span`, per person. */
async function loadRecords(db: Queryable, filter: { span: Span; personIds?: readonly string[] }, asOf: AsOf): Promise<Map<string, RecordRow[]>> {
  const params = new Params();
  const conditions = [
    versionsVisible(asOf, params.add),
    `v.status = 'approved'`,
    `v.act_date BETWEEN ${params.add(filter.span.from)}::date AND ${params.add(filter.span.to)}::date`,
  ];
  if (filter.personIds) conditions.push(`v.person_id = ANY(${params.add(filter.personIds)})`);
  const { rows } = await db.query<RecordRow>(
    `SELECT v.record_id AS "recordId", v.act, v.person_id AS "personId", v.mandate_id AS "mandateId",
            to_char(v.act_date, 'YYYY-MM-DD') AS date, v.valid_from_position AS position
       FROM ${FACTS}.record_versions v WHERE ${conditions.join(' AND ')}`,
    params.values,
  );
  const byPerson = new Map<string, RecordRow[]>();
  for (const row of rows) {
    const list = byPerson.get(row.personId);
    if (list) list.push(row);
    else byPerson.set(row.personId, [row]);
  }
  return byPerson;
}

const versionOf = (versions: readonly RulesVersion[], ref: RulesRef) =>
  versions.find((version) => version.regulationId === ref.regulationId && version.version === ref.version)!;

/** Scores one mandate over the given years (those it held at least in part and rules applied to). */
function scoreMandate(
  mandate: MandateRow,
  years: readonly number[],
  personRecords: readonly RecordRow[],
  choose: (kind: MandateKind, held: Span) => RulesChoice | null,
  versions: readonly RulesVersion[],
  onDate: string,
): MandateScore | null {
  const span = { from: mandate.startsOn, to: mandate.lastDay ?? OPEN_END };
  const own = personRecords.filter((record) => record.mandateId === mandate.mandateId || (record.mandateId === null && contains(span, record.date)));
  const scored: YearScore[] = [];
  for (const year of years) {
    const held = overlap(span, yearSpan(year));
    const choice = held && choose(mandate.kind, held);
    if (!held || !choice) continue;
    scored.push(scoreYear({ year, held, rules: choice, records: own.filter((record) => contains(held, record.date)), until: onDate }));
  }
  if (scored.length === 0) return null;
  const last = scored.filter((year) => year.rules !== null).at(-1);
  const score = weightedScore(scored);
  const provisional = scored.some((year) => year.provisional);
  // One year: its own band. Several (a term): the weighted score's, once every year is over and half a year was held.
  const heldDays = scored.filter((year) => year.total !== null).reduce((sum, year) => sum + year.held.days, 0);
  const band =
    scored.length === 1
      ? scored[0]!.band
      : last && score !== null && !provisional && heldDays * 2 >= 365
        ? bandOf(versionOf(versions, last.rules!).rules, score)
        : null;
  return {
    ...mandate,
    score,
    band,
    provisional,
    dutiesMet: scored.reduce((sum, year) => sum + year.dutiesMet, 0),
    dutiesMissed: scored.reduce((sum, year) => sum + year.dutiesMissed, 0),
    years: scored,
  };
}

/**
 * The chains of a person's mandates scored in one year that hold one seat across a term change: the
 * same kind (and level) of seat, each mandate of a later term beginning after the one before ended.
 */
function termChangeChains(scores: readonly MandateScore[]): MandateScore[][] {
  const bySeat = new Map<string, MandateScore[]>();
  for (const score of scores) {
    const key = `${score.kind}|${score.level ?? ''}`;
    bySeat.set(key, [...(bySeat.get(key) ?? []), score]); // a handful per person
  }
  const chains: MandateScore[][] = [];
  for (const seat of bySeat.values()) {
    const sorted = [...seat].sort((a, b) => (a.startsOn < b.startsOn ? -1 : a.startsOn > b.startsOn ? 1 : a.termNumber - b.termNumber));
    let chain: MandateScore[] = [];
    for (const score of sorted) {
      const before = chain.at(-1);
      if (before && before.lastDay !== null && score.startsOn > before.lastDay && score.termNumber > before.termNumber) chain.push(score);
      else {
        if (chain.length > 1) chains.push(chain);
        chain = [score];
      }
    }
    if (chain.length > 1) chains.push(chain);
  }
  return chains;
}

/** One person's scored mandates in one year, with the seats held across a term change split at it. */
function scorePersonYear(
  held: readonly MandateRow[],
  year: number,
  personRecords: readonly RecordRow[],
  choose: (kind: MandateKind, held: Span) => RulesChoice | null,
  versions: readonly RulesVersion[],
  onDate: string,
): { mandates: MandateScore[]; splitYears: SplitYear[] } {
  const mandates = held.flatMap((mandate) => scoreMandate(mandate, [year], personRecords, choose, versions, onDate) ?? []);
  const splitYears: SplitYear[] = [];
  for (const chain of termChangeChains(mandates)) {
    const [first, last] = [chain[0]!, chain.at(-1)!];
    const choice = choose(first.kind, { from: first.years[0]!.held.from, to: last.years[0]!.held.to });
    if (!choice) continue;
    const split = splitYear({
      year,
      parts: chain.map((mandate) => ({ mandateId: mandate.mandateId, termId: mandate.termId, termNumber: mandate.termNumber, score: mandate.years[0]! })),
      rules: choice,
      until: onDate,
    });
    splitYears.push({ personId: first.personId, kind: first.kind, level: first.level, township: last.township, ...split });
    for (const mandate of chain) {
      mandate.years = [asPart(mandate.years[0]!)];
      mandate.band = null;
    }
  }
  return { mandates, splitYears };
}

const groupBy = <T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> => {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const list = groups.get(key(item));
    if (list) list.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
};

const yearsBetween = (from: string, to: string) => {
  const years: number[] = [];
  for (let year = Number(from.slice(0, 4)); year <= Number(to.slice(0, 4)); year++) years.push(year);
  return years;
};

/**
 * A person's scores: per mandate held in a year (or in a term, year by year and weighted by the days
 * held), each with its band, the "8+X" duties met and missed, and the explanation of every point.
 */
export async function scorecard(db: Queryable, query: ScorecardQuery, asOf: AsOf): Promise<Scorecard> {
  const { personId, ...rest } = query;
  return (await scorecards(db, { ...rest, personIds: [personId] } as ScorecardsQuery, asOf))[0]!;
}

export type ScorecardsQuery = Omit<ScorecardQuery, 'personId'> & { personIds: readonly string[] };

/**
 * The scorecards of many people at once (one per id, in the order asked), in three queries whatever
 * their number: rules, their mandates, their records. For pages that show a score per person.
 */
export async function scorecards(db: Queryable, query: ScorecardsQuery, asOf: AsOf): Promise<Scorecard[]> {
  const versions = await listScoringRules(db, asOf);
  const { kinds, choose } = rulesChooser(versions, query.rulesVersion);
  const onDate = viewDate(asOf);
  const base = { year: query.year ?? null, termId: query.termId ?? null, rulesVersion: query.rulesVersion ?? null };
  // A year: the mandates held in it. A term: the people's mandates of that term, whatever their dates.
  const span = query.year !== undefined ? yearSpan(query.year) : { from: '0001-01-01', to: '9999-12-31' };
  const held =
    query.personIds.length === 0
      ? []
      : await loadMandates(db, { span, kinds, personIds: query.personIds, mandateId: query.mandateId, termId: query.termId }, asOf);
  const recordSpan =
    query.year !== undefined || held.length === 0
      ? span
      : {
          from: held.map((mandate) => mandate.startsOn).sort()[0]!,
          to: held
            .map((mandate) => mandate.lastDay ?? OPEN_END)
            .sort()
            .at(-1)!,
        };
  const records =
    held.length === 0
      ? new Map<string, RecordRow[]>()
      : await loadRecords(db, { span: recordSpan, personIds: [...new Set(held.map((mandate) => mandate.personId))] }, asOf);
  const byPerson = groupBy(held, (mandate) => mandate.personId);
  return query.personIds.map((personId) => {
    const own = byPerson.get(personId) ?? [];
    const personRecords = records.get(personId) ?? [];
    if (query.year !== undefined) return { personId, ...base, ...scorePersonYear(own, query.year, personRecords, choose, versions, onDate) };
    const mandates = own.flatMap((mandate) => {
      const years = yearsBetween(mandate.startsOn, mandate.lastDay ?? onDate).filter((year) => year <= Number(onDate.slice(0, 4)));
      return scoreMandate(mandate, years, personRecords, choose, versions, onDate) ?? [];
    });
    return { personId, ...base, mandates, splitYears: [] };
  });
}

/**
 * How many scored mandates fall in each band in a year (for the dashboard), in three queries
 * whatever the number of deputies: rules, mandates, and the year's visible records. A year still
 * running on the view's day has no bands yet (provisional); mandate-years held less than half the
 * year are scored but counted as withheld, not in a band.
 */
export async function scoresByBand(
  db: Queryable,
  query: { year: number; level?: Level; township?: string; rulesVersion?: RulesVersionKey },
  asOf: AsOf,
): Promise<ScoresByBand> {
  const versions = await listScoringRules(db, asOf);
  const { kinds, choose } = rulesChooser(versions, query.rulesVersion);
  const span = yearSpan(query.year);
  const [held, records] = await Promise.all([
    loadMandates(db, { span, kinds, level: query.level, township: query.township }, asOf),
    loadRecords(db, { span }, asOf),
  ]);
  const onDate = viewDate(asOf);
  const provisional = span.to >= onDate;
  const counts = new Map<string, number>();
  const deciding: RulesVersion[] = [];
  let scored = 0;
  let withheld = 0;
  const count = (score: { total: number | null; band: string | null; rules: RulesRef | null }) => {
    if (score.total === null) return;
    scored += 1;
    if (!score.band) {
      withheld += 1;
      return;
    }
    counts.set(score.band, (counts.get(score.band) ?? 0) + 1);
    deciding.push(versionOf(versions, score.rules!));
  };
  for (const [personId, own] of groupBy(held, (mandate) => mandate.personId)) {
    const { mandates: scores, splitYears } = scorePersonYear(own, query.year, records.get(personId) ?? [], choose, versions, onDate);
    const parts = new Set(splitYears.flatMap((split) => split.parts.map((part) => part.mandateId)));
    for (const score of scores) if (!parts.has(score.mandateId)) count({ ...score.years[0]!, band: score.band });
    for (const split of splitYears) count(split);
  }
  if (provisional) return { year: query.year, scored, provisional, withheld, bands: [] };
  // Bands in the order of the latest rules applied; a label only older rules had comes after.
  const latest = deciding.reduce<RulesVersion | null>((best, version) => (!best || version.effectiveFrom > best.effectiveFrom ? version : best), null);
  const bands: ScoringRules['bands'] = latest?.rules.bands ?? [];
  const result: BandCount[] = bands.map((band) => ({ label: band.label, minScore: band.minScore, count: counts.get(band.label) ?? 0 }));
  for (const [label, count] of counts) if (!bands.some((band) => band.label === label)) result.push({ label, minScore: null, count });
  return { year: query.year, scored, provisional, withheld, bands: result };
}
