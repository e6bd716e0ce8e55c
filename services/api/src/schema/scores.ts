/**
 * Evaluation scores (量化评价): a person's scorecard per mandate, the scoring rules' versions and
 * the count of mandates per band — computed by the scores read model at query time, in any view
 * of the past, every point explained by the records (and log positions) behind it.
 */
import { DUTY_FREQUENCIES, DUTY_FREQUENCY_LABELS, type ScoringRules as ScoringRulesValue } from '@yingpan/domain';
import {
  listScoringRules,
  scorecard,
  scoresByBand,
  type AsOf,
  type BandCount,
  type BandWithheld as BandWithheldValue,
  type DutyPeriod,
  type DutyResult,
  type ExplanationLine,
  type MandateScore,
  type RulesRef,
  type RulesVersion,
  type RulesVersionKey,
  type ScorePart,
  type Scorecard,
  type SplitYear,
  type ScoresByBand,
  type TracedRecord,
  type YearScore,
} from '@yingpan/projections';
import type { Queryable } from '@yingpan/db';
import { AsOfInput } from './as-of.ts';
import { cachedWhileUnchanged } from '../read-cache.ts';
import { builder } from './builder.ts';
import { ActKind, AS_OF, invalidArgument, Level, MandateKind, readAsOf, uuidArg, vocabulary, yearArg } from './common.ts';
import { personLoader, PersonType } from './people.ts';
import { STREAM_ID, streamOfRecord } from './review.ts';

const DutyFrequency = vocabulary('DutyFrequency', 'How often a duty’s minimum applies.', DUTY_FREQUENCIES, (frequency) => DUTY_FREQUENCY_LABELS[frequency]);

const LINE_KINDS = ['base', 'points', 'deduction', 'penalty', 'pro-rata', 'unscored', 'clamp', 'part'] as const;
const LINE_KIND_LABELS: Record<(typeof LINE_KINDS)[number], string> = {
  base: '基础分 — the base score of the year',
  points: '加分 — points earned by acts of one kind',
  deduction: '扣分 — points lost by acts of one kind (e.g. absence)',
  penalty: '未完成履职清单 — a duty’s minimum missed in one period, and what would have met it',
  'pro-rata': '按全年折算 — what a year held in part (at least half of it) earned and lost, carried to a whole year',
  unscored: '不计分 — records dated outside every scoring rules version',
  clamp: '封顶/保底 — the total clamped to 0..maxScore',
  part: '换届前后各部分 — in a year split at a term change, what one part (one mandate’s days) earned and lost: its points, deductions and penalties',
};
const ExplanationLineKind = vocabulary('ExplanationLineKind', 'What a line of a score’s explanation is.', LINE_KINDS, (kind) => LINE_KIND_LABELS[kind]);

const BAND_WITHHELD = ['in-progress', 'part-year', 'term-change'] as const satisfies readonly BandWithheldValue[];
const BAND_WITHHELD_LABELS: Record<BandWithheldValue, string> = {
  'in-progress': '评价中 — the year is not over on the view’s day: the score so far, no band yet',
  'part-year': '任职不满半年，不评定等次 — the mandate was held less than half the year',
  'term-change': '换届年度按全年评定等次 — one part of a year split at a term change: the year as a whole is banded (`Scorecard.splitYears`)',
};
export const BandWithheld = vocabulary('BandWithheld', 'Why a scored year has no band (等次).', BAND_WITHHELD, (reason) => BAND_WITHHELD_LABELS[reason]);

// ---------------------------------------------------------------------------------------------
// The rules

const RulesRefType = builder.objectRef<RulesRef>('RulesRef').implement({
  description: 'Names a version of a scoring regulation and the event that enacted or amended it.',
  fields: (t) => ({
    regulationId: t.exposeID('regulationId', { description: 'The regulation (制度).' }),
    version: t.exposeInt('version', { description: 'Its version: 1 when enacted, one more at each amendment.' }),
    title: t.exposeString('title', { description: 'The regulation’s title, e.g. 《代表履职监督量化评价暂行办法》.' }),
    position: t.exposeInt('position', { description: 'The log position of the event that made this version.' }),
  }),
});

const RulesVersionKeyType = builder.objectRef<RulesVersionKey>('RulesVersionKey').implement({
  description: 'A version of a scoring regulation chosen to score under, for comparison.',
  fields: (t) => ({
    regulationId: t.exposeID('regulationId', { description: 'The regulation.' }),
    version: t.exposeInt('version', { description: 'The version.' }),
  }),
});

const RulesVersionInput = builder.inputType('RulesVersionInput', {
  description: 'Score every act and period under this version of a scoring regulation, instead of the versions in force.',
  fields: (t) => ({
    regulationId: t.id({ required: true, description: 'The regulation.' }),
    version: t.int({ required: true, description: 'Its version (1 when enacted).' }),
  }),
});

const PointsRule = builder.objectRef<ScoringRulesValue['points'][number]>('PointsRule').implement({
  description: 'Points earned per act (加分项).',
  fields: (t) => ({
    act: t.field({ type: ActKind, description: 'The kind of act that earns points.', resolve: (rule) => rule.act }),
    points: t.exposeFloat('points', { description: 'Points each counting record earns.' }),
    capPerPeriod: t.exposeFloat('capPerPeriod', {
      nullable: true,
      description: 'The most the act can earn in a year (pro rata for a partial mandate); null: no cap.',
    }),
  }),
});

const DeductionRule = builder.objectRef<ScoringRulesValue['deductions'][number]>('DeductionRule').implement({
  description: 'Points lost per act (扣分项).',
  fields: (t) => ({
    act: t.field({ type: ActKind, description: 'The kind of act that costs points.', resolve: (rule) => rule.act }),
    points: t.exposeFloat('points', { description: 'Points each counting record adds (negative).' }),
    note: t.exposeString('note', { description: 'How the deduction reads in the rules, e.g. 无故缺席会议一次扣1分.' }),
  }),
});

const CoreDutyType = builder.objectRef<ScoringRulesValue['coreDuties'][number]>('CoreDuty').implement({
  description: 'A duty every scored person must perform at a set frequency ("8+X" 履职清单).',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Stable identifier of the duty across versions, e.g. monthly-station-visit.' }),
    label: t.exposeString('label', { description: 'The duty’s name as the rules print it, e.g. 月进站.' }),
    act: t.field({ type: ActKind, description: 'The kind of act that fulfils it.', resolve: (duty) => duty.act }),
    frequency: t.field({ type: DutyFrequency, description: 'The period its minimum applies to.', resolve: (duty) => duty.frequency }),
    minimum: t.exposeInt('minimum', { description: 'Counting records needed in each period.' }),
    core: t.exposeBoolean('core', { description: 'One of the fixed core duties (the "8"), else a local extra (an "X").' }),
    penaltyPerMiss: t.exposeFloat('penaltyPerMiss', { description: 'Points subtracted for each period the minimum was missed.' }),
  }),
});

const ScoreBand = builder.objectRef<ScoringRulesValue['bands'][number]>('ScoreBand').implement({
  description: 'A rating band (等次), published instead of exact ranks.',
  fields: (t) => ({
    label: t.exposeString('label', { description: 'The band’s name, e.g. 优秀, 称职, 基本称职, 不称职.' }),
    minScore: t.exposeFloat('minScore', { description: 'The lowest score in the band.' }),
  }),
});

const ScoringRules = builder.objectRef<ScoringRulesValue>('ScoringRules').implement({
  description: 'The quantitative evaluation rules (量化评价/积分制) one regulation version carries.',
  fields: (t) => ({
    baseScore: t.exposeFloat('baseScore', { description: 'The score everyone starts each year with (基础分).' }),
    maxScore: t.exposeFloat('maxScore', { description: 'The highest score a year can reach (满分).' }),
    period: t.exposeString('period', { description: 'The scoring period: a calendar year.' }),
    points: t.field({ type: [PointsRule], description: 'Points per act (加分项).', resolve: (rules) => rules.points }),
    deductions: t.field({ type: [DeductionRule], description: 'Deductions per act (扣分项).', resolve: (rules) => rules.deductions }),
    coreDuties: t.field({ type: [CoreDutyType], description: 'The "8+X" duties with their frequencies and penalties.', resolve: (rules) => rules.coreDuties }),
    bands: t.field({ type: [ScoreBand], description: 'Rating bands from best to worst.', resolve: (rules) => rules.bands }),
    normalisation: t.exposeString('normalisation', { description: 'How partial mandates are treated: pro-rata (按任职时间折算).' }),
    appliesTo: t.field({ type: [MandateKind], description: 'The kinds of mandate these rules score.', resolve: (rules) => rules.appliesTo }),
  }),
});

const ScoringRulesVersion = builder.objectRef<RulesVersion>('ScoringRulesVersion').implement({
  description: 'One version of a scoring regulation (e.g. 《代表履职监督量化评价暂行办法》) and the rules it carries.',
  fields: (t) => ({
    regulationId: t.exposeID('regulationId', { description: 'The regulation (制度).' }),
    version: t.exposeInt('version', { description: 'Its version: 1 when enacted, one more at each amendment.' }),
    title: t.exposeString('title', { description: 'The regulation’s title.' }),
    effectiveFrom: t.expose('effectiveFrom', { type: 'Date', description: 'The first day acts are scored under it (YYYY-MM-DD).' }),
    repealedOn: t.expose('repealedOn', { type: 'Date', nullable: true, description: 'The day the regulation was repealed, if it was.' }),
    position: t.exposeInt('position', { description: 'The log position of the event that made this version.' }),
    rules: t.field({ type: ScoringRules, description: 'The rules it carries.', resolve: (version) => version.rules }),
  }),
});

// ---------------------------------------------------------------------------------------------
// A scorecard

const TracedRecordType = builder.objectRef<TracedRecord>('TracedRecord').implement({
  description: 'A record behind a line of a score’s explanation.',
  fields: (t) => ({
    recordId: t.exposeID('recordId', { description: 'The record of the act.' }),
    streamId: t.string({ nullable: true, description: STREAM_ID, resolve: (record, _, context) => streamOfRecord(context, record.recordId) }),
    date: t.expose('date', { type: 'Date', description: 'The day the act happened.' }),
    position: t.exposeInt('position', { description: 'The log position of the event behind the record’s counted version.' }),
    points: t.exposeFloat('points', { description: 'What it earned (0 when over the cap or only showing a shortfall).' }),
  }),
});

const ExplanationLineType = builder.objectRef<ExplanationLine>('ExplanationLine').implement({
  description: 'One line of a year’s score: the lines of a year add up to its total.',
  fields: (t) => ({
    kind: t.field({ type: ExplanationLineKind, description: 'What the line is.', resolve: (line) => line.kind }),
    points: t.exposeFloat('points', { description: 'Points added (positive) or taken (negative).' }),
    label: t.exposeString('label', { description: '说明: the line as a person reads it, in Chinese.' }),
    rules: t.field({
      type: RulesRefType,
      nullable: true,
      description: 'The rules version that gave the points (null for unscored records).',
      resolve: (line) => line.rules,
    }),
    act: t.field({ type: ActKind, nullable: true, description: 'Points and deductions: the kind of act.', resolve: (line) => line.act ?? null }),
    dutyId: t.string({ nullable: true, description: 'Penalties: the duty missed.', resolve: (line) => line.dutyId ?? null }),
    mandateId: t.id({
      nullable: true,
      description: 'A year split at a term change: the mandate whose part the line sums up (kind PART).',
      resolve: (line) => line.mandateId ?? null,
    }),
    period: t.string({ nullable: true, description: 'Penalties: the period, e.g. 2024-03, 2024-Q1 or 2024.', resolve: (line) => line.period ?? null }),
    records: t.field({ type: [TracedRecordType], description: 'The records behind the line, with their log positions.', resolve: (line) => line.records }),
  }),
});

const DutyPeriodType = builder.objectRef<DutyPeriod>('DutyPeriod').implement({
  description: 'One period of a duty: required, done, met, missed or still running.',
  fields: (t) => ({
    period: t.exposeString('period', { description: 'Key: 2024-03, 2024-Q1 or 2024.' }),
    label: t.exposeString('label', { description: 'How the period reads, e.g. 2024年第1季度.' }),
    from: t.expose('from', { type: 'Date', description: 'First day of the part of the period the mandate was held.' }),
    to: t.expose('to', { type: 'Date', description: 'Last day of that part.' }),
    share: t.exposeFloat('share', { description: 'Share of the period held, 0..1.' }),
    required: t.exposeInt('required', { description: 'Counting records needed.' }),
    count: t.exposeInt('count', { description: 'Counting records done.' }),
    met: t.exposeBoolean('met', { description: 'The minimum was reached.' }),
    pending: t.exposeBoolean('pending', { description: 'Not over on the view’s day (or not begun) and not met yet: neither met nor missed (进行中).' }),
    penalty: t.exposeFloat('penalty', { description: 'Points subtracted for missing it (0 when met or pending).' }),
    rules: t.field({ type: RulesRefType, description: 'The rules version that decided the period.', resolve: (period) => period.rules }),
    recordIds: t.exposeIDList('recordIds', { description: 'The records that counted.' }),
  }),
});

const DutyOutcome = builder.objectRef<DutyResult>('DutyOutcome').implement({
  description: 'A duty of the "8+X" list over a year: its periods met and missed.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The duty’s stable identifier.' }),
    label: t.exposeString('label', { description: 'The duty’s name, e.g. 月进站.' }),
    act: t.field({ type: ActKind, description: 'The kind of act that fulfils it.', resolve: (duty) => duty.act }),
    frequency: t.field({ type: DutyFrequency, description: 'How often its minimum applies.', resolve: (duty) => duty.frequency }),
    core: t.exposeBoolean('core', { description: 'A core duty (the "8"), else a local extra (an "X").' }),
    periods: t.field({ type: [DutyPeriodType], description: 'Each period held at least in part, in order.', resolve: (duty) => duty.periods }),
    met: t.exposeInt('met', { description: 'Periods met.' }),
    missed: t.exposeInt('missed', { description: 'Periods missed.' }),
    pending: t.exposeInt('pending', { description: 'Periods still running on the view’s day and not met yet.' }),
  }),
});

const HeldSpan = builder.objectRef<YearScore['held']>('HeldSpan').implement({
  description: 'The part of a year a mandate was held.',
  fields: (t) => ({
    from: t.expose('from', { type: 'Date', description: 'First day held in the year.' }),
    to: t.expose('to', { type: 'Date', description: 'Last day held in the year.' }),
    days: t.exposeInt('days', { description: 'Days held.' }),
    share: t.exposeFloat('share', {
      description:
        'Share of the year held, 0..1 (scales caps and penalties: 按比例; from half a year on, what was earned and lost is then carried to a whole year).',
    }),
  }),
});

const ScoreSubtotals = builder.objectRef<YearScore['subtotals']>('ScoreSubtotals').implement({
  description: 'A year’s total split by kind of line.',
  fields: (t) => ({
    base: t.exposeFloat('base', { description: 'Base score (基础分).' }),
    points: t.exposeFloat('points', { description: 'Points earned (加分).' }),
    deductions: t.exposeFloat('deductions', { description: 'Deductions (扣分), negative.' }),
    penalties: t.exposeFloat('penalties', { description: 'Penalties for missed duties, negative.' }),
    proRata: t.exposeFloat('proRata', {
      description: 'A year held in part (at least half of it): the points, deductions and penalties carried to a whole year, less what they were (按全年折算).',
    }),
    clamp: t.exposeFloat('clamp', { description: 'The correction clamping the total to 0..maxScore.' }),
  }),
});

const YearScoreType = builder.objectRef<YearScore>('YearScore').implement({
  description: 'A mandate’s score in one year, explained line by line.',
  fields: (t) => ({
    year: t.exposeInt('year', { description: 'The scoring year.' }),
    held: t.field({ type: HeldSpan, description: 'The part of the year the mandate was held.', resolve: (year) => year.held }),
    rules: t.field({
      type: RulesRefType,
      nullable: true,
      description: 'The version deciding base, maximum and bands (null: no rules applied, not scored).',
      resolve: (year) => year.rules,
    }),
    rulesApplied: t.field({
      type: [RulesRefType],
      description: 'Every version that scored an act or a period this year.',
      resolve: (year) => year.rulesApplied,
    }),
    total: t.exposeFloat('total', { nullable: true, description: 'The year’s score (null when not scored).' }),
    band: t.exposeString('band', { nullable: true, description: 'Its band (等次); null when not scored or withheld (`bandWithheld`).' }),
    provisional: t.exposeBoolean('provisional', {
      description: 'The year is not over on the view’s day: the score so far (评价中), counting only the periods over; no band yet.',
    }),
    bandWithheld: t.field({
      type: BandWithheld,
      nullable: true,
      description: 'Why a scored year has no band; null when it has one.',
      resolve: (year) => year.bandWithheld,
    }),
    subtotals: t.field({ type: ScoreSubtotals, description: 'The total by kind of line.', resolve: (year) => year.subtotals }),
    duties: t.field({ type: [DutyOutcome], description: 'The "8+X" duties, each with its periods.', resolve: (year) => year.duties }),
    dutiesMet: t.exposeInt('dutiesMet', { description: 'Duty periods met (core duties and extras).' }),
    dutiesMissed: t.exposeInt('dutiesMissed', { description: 'Duty periods missed.' }),
    explanation: t.field({
      type: [ExplanationLineType],
      description: 'Every line of the score; the lines add up to the total.',
      resolve: (year) => year.explanation,
    }),
  }),
});

const MandateScoreType = builder.objectRef<MandateScore>('MandateScore').implement({
  description: 'The score of one scored mandate over a year or a term.',
  fields: (t) => ({
    mandateId: t.exposeID('mandateId', { description: 'The mandate scored.' }),
    termId: t.exposeID('termId', { description: 'Its term.' }),
    termNumber: t.exposeInt('termNumber', { description: 'Its term’s ordinal (届).' }),
    kind: t.field({ type: MandateKind, description: 'The kind of mandate.', resolve: (score) => score.kind }),
    level: t.field({ type: Level, nullable: true, description: 'Deputies: the level of congress.', resolve: (score) => score.level }),
    township: t.exposeString('township', { nullable: true, description: 'The township of the seat, if any.' }),
    startsOn: t.expose('startsOn', { type: 'Date', description: 'First day held.' }),
    lastDay: t.expose('lastDay', {
      type: 'Date',
      nullable: true,
      description:
        'Last day as the view knows it: its own end or its term’s close; null while it runs (a term runs until it is closed, even past its planned end).',
    }),
    score: t.exposeFloat('score', { nullable: true, description: 'The year’s total, or for a term the years’ totals weighted by days held.' }),
    band: t.exposeString('band', {
      nullable: true,
      description:
        'The band (等次) of the score under the latest rules applied; null while a year scored is not over, for a year held less than half its days, and for a term held less than half a year.',
    }),
    provisional: t.exposeBoolean('provisional', { description: 'A year scored is not over on the view’s day: the score so far (评价中), no band yet.' }),
    dutiesMet: t.exposeInt('dutiesMet', { description: 'Duty periods met over the years scored.' }),
    dutiesMissed: t.exposeInt('dutiesMissed', { description: 'Duty periods missed over the years scored.' }),
    years: t.field({ type: [YearScoreType], description: 'One per year scored, each explained.', resolve: (score) => score.years }),
  }),
});

const SplitSubtotals = builder.objectRef<SplitYear['subtotals']>('SplitYearSubtotals').implement({
  description: 'A split year’s total by kind of line.',
  fields: (t) => ({
    base: t.exposeFloat('base', { description: 'Base score (基础分) of the rules deciding the year.' }),
    parts: t.exposeFloat('parts', { description: 'What the parts earned and lost together: their points, deductions and penalties.' }),
    proRata: t.exposeFloat('proRata', {
      description: 'Held less than the whole year (at least half of it) in all: the parts carried to a whole year (按全年折算).',
    }),
    clamp: t.exposeFloat('clamp', { description: 'The correction clamping the total to 0..maxScore.' }),
  }),
});

const ScorePartType = builder.objectRef<ScorePart>('ScorePart').implement({
  description: 'One part of a year split at a term change: the days held in one mandate, scored on their own.',
  fields: (t) => ({
    mandateId: t.exposeID('mandateId', { description: 'The mandate held in this part (also among the scorecard’s `mandates`).' }),
    termId: t.exposeID('termId', { description: 'Its term.' }),
    termNumber: t.exposeInt('termNumber', { description: 'Its term’s ordinal (届).' }),
    label: t.exposeString('label', { description: 'How the part reads, in Chinese: 第十七届部分（1月1日–11月19日）.' }),
    score: t.field({
      type: YearScoreType,
      description:
        'The part’s own score: its days held, the duties due in them (each period pro-rated to the share of it held in this part), the acts of its mandate in them, and its explanation. No band of its own (bandWithheld TERM_CHANGE).',
      resolve: (part) => part.score,
    }),
  }),
});

const SplitYearType = builder.objectRef<SplitYear>('SplitYearScore').implement({
  description:
    'A year in which a seat was held on both sides of a term change (a re-elected deputy), split at the change: each part scored on its own, and the year as a whole — the base score plus what the parts earned and lost, carried to a whole year by the share of the year held in all (the parts’ scores carried to a whole year, weighted by their days), clamped — with the year’s band (docs/scoring.md).',
  fields: (t) => ({
    year: t.exposeInt('year', { description: 'The scoring year.' }),
    kind: t.field({ type: MandateKind, description: 'The kind of seat.', resolve: (split) => split.kind }),
    level: t.field({ type: Level, nullable: true, description: 'Deputies: the level of congress.', resolve: (split) => split.level }),
    township: t.exposeString('township', { nullable: true, description: 'The township of the seat held at the year’s end, if any.' }),
    held: t.field({
      type: HeldSpan,
      description: 'From the first part’s first day to the last part’s last day; days and share count the days held in all.',
      resolve: (split) => split.held,
    }),
    rules: t.field({
      type: RulesRefType,
      nullable: true,
      description: 'The version deciding the year’s base, maximum and band (in force on the last day held).',
      resolve: (split) => split.rules,
    }),
    total: t.exposeFloat('total', { nullable: true, description: 'The year’s score as a whole (null when no rules applied).' }),
    band: t.exposeString('band', {
      nullable: true,
      description: 'The year’s band (等次), the one published; null while the year is not over, or when less than half of it was held in all.',
    }),
    provisional: t.exposeBoolean('provisional', { description: 'The year is not over on the view’s day: the score so far (评价中), no band yet.' }),
    bandWithheld: t.field({
      type: BandWithheld,
      nullable: true,
      description: 'Why the year has no band; null when it has one.',
      resolve: (split) => split.bandWithheld,
    }),
    subtotals: t.field({ type: SplitSubtotals, description: 'The total by kind of line.', resolve: (split) => split.subtotals }),
    dutiesMet: t.exposeInt('dutiesMet', { description: 'Duty periods met in the parts together.' }),
    dutiesMissed: t.exposeInt('dutiesMissed', { description: 'Duty periods missed in the parts together.' }),
    explanation: t.field({
      type: [ExplanationLineType],
      description: 'The base, one line per part (PART), the carry to a whole year and the clamp: they add up to the total.',
      resolve: (split) => split.explanation,
    }),
    parts: t.field({ type: [ScorePartType], description: 'The parts, oldest first: before the change, after it.', resolve: (split) => split.parts }),
  }),
});

const ScorecardType = builder.objectRef<Scorecard>('Scorecard').implement({
  description: 'A person’s evaluation scores (量化评价), per scored mandate, in a year or a term.',
  fields: (t) => ({
    personId: t.exposeID('personId', { description: 'The person.' }),
    person: t.field({
      type: PersonType,
      nullable: true,
      description: 'The person (null if not in the directory).',
      resolve: (card, _, context) => personLoader(context).load(card.personId),
    }),
    year: t.exposeInt('year', { nullable: true, description: 'The year asked for.' }),
    termId: t.exposeID('termId', { nullable: true, description: 'The term asked for.' }),
    rulesVersion: t.field({
      type: RulesVersionKeyType,
      nullable: true,
      description: 'The version scored under, when one was chosen for comparison.',
      resolve: (card) => card.rulesVersion,
    }),
    mandates: t.field({
      type: [MandateScoreType],
      description: 'One per scored mandate held in the year or term (none: nothing scored).',
      resolve: (card) => card.mandates,
    }),
    splitYears: t.field({
      type: [SplitYearType],
      description:
        'A year asked for: each seat held across a term change in it (a re-elected deputy), split at the change into parts — each part one of `mandates`, without a band of its own — and scored and banded as a whole. Empty for a term.',
      resolve: (card) => card.splitYears,
    }),
  }),
});

const BandCountType = builder.objectRef<BandCount>('BandCount').implement({
  description: 'How many scored seat-years fall in a band.',
  fields: (t) => ({
    label: t.exposeString('label', { description: 'The band (等次).' }),
    minScore: t.exposeFloat('minScore', {
      nullable: true,
      description: 'Its lower bound under the latest rules applied; null for a band only older rules had.',
    }),
    count: t.exposeInt('count', { description: 'Seat-years in it.' }),
  }),
});

const ScoresByBandType = builder.objectRef<ScoresByBand>('ScoresByBand').implement({
  description: 'Scored mandates per band in a year: bands, not ranks, are published.',
  fields: (t) => ({
    year: t.exposeInt('year', { description: 'The scoring year.' }),
    scored: t.exposeInt('scored', {
      description: 'Seat-years scored: a mandate’s year, or a year split at a term change once (a person holding two scored seats at once counts twice).',
    }),
    provisional: t.exposeBoolean('provisional', {
      description: 'The year is not over on the view’s day (评价中): no band is given yet, and `bands` is empty.',
    }),
    withheld: t.exposeInt('withheld', {
      description: 'Seat-years scored without a band: all of them while the year runs, else those held less than half the year.',
    }),
    bands: t.field({
      type: [BandCountType],
      description: 'Every band of the latest rules applied, best first (zero included); empty while the year is not over.',
      resolve: (result) => result.bands,
    }),
  }),
});

// ---------------------------------------------------------------------------------------------
// Queries

/** The version named for comparison, checked against the versions known in the view. */
async function rulesVersionArg(
  db: Queryable,
  input: { regulationId: string | number; version: number } | null | undefined,
  asOf: AsOf,
): Promise<RulesVersionKey | undefined> {
  if (!input) return undefined;
  const key = { regulationId: uuidArg(input.regulationId, 'rulesVersion.regulationId'), version: input.version };
  const known = await listScoringRules(db, asOf);
  if (!known.some((version) => version.regulationId === key.regulationId && version.version === key.version)) {
    throw invalidArgument('rulesVersion', 'names no scoring rules version known in this view');
  }
  return key;
}

builder.queryFields((t) => ({
  scorecard: t.field({
    type: ScorecardType,
    description: 'A person’s scores per scored mandate in a year, or in a term (years weighted by days held); give exactly one of `year` and `termId`.',
    args: {
      personId: t.arg.id({ required: true, description: 'The person.' }),
      year: t.arg.int({ description: 'A calendar year: the mandates held in it.' }),
      termId: t.arg.id({ description: 'A term: the person’s mandates of that term, year by year.' }),
      mandateId: t.arg.id({ description: 'Only this mandate of the person.' }),
      rulesVersion: t.arg({ type: RulesVersionInput, description: 'Score under this version instead of the versions in force (for comparison).' }),
      asOf: t.arg({ type: AsOfInput, description: AS_OF }),
    },
    async resolve(_, args, { db }) {
      const asOf = readAsOf(args.asOf);
      const personId = uuidArg(args.personId, 'personId');
      const mandateId = args.mandateId ? uuidArg(args.mandateId, 'mandateId') : undefined;
      if ((args.year === null || args.year === undefined) === (args.termId === null || args.termId === undefined)) {
        throw invalidArgument('year', 'give exactly one of year and termId');
      }
      const rulesVersion = await rulesVersionArg(db, args.rulesVersion, asOf);
      const query =
        args.year !== null && args.year !== undefined
          ? { personId, mandateId, rulesVersion, year: yearArg(args.year) }
          : { personId, mandateId, rulesVersion, termId: uuidArg(args.termId!, 'termId') };
      return scorecard(db, query, asOf);
    },
  }),
  scoringRules: t.field({
    type: [ScoringRulesVersion],
    description: 'Every version of every scoring regulation known in the view, oldest first (a handful).',
    args: { asOf: t.arg({ type: AsOfInput, description: AS_OF }) },
    resolve: (_, args, { db }) => listScoringRules(db, readAsOf(args.asOf)),
  }),
  scoreBands: t.field({
    type: ScoresByBandType,
    description:
      'How many scored seat-years fall in each band in a year (a year split at a term change once), optionally of one level or township — in a fixed number of SQL statements.',
    args: {
      year: t.arg.int({ required: true, description: 'The scoring year.' }),
      level: t.arg({ type: Level, description: 'Only deputies of this level.' }),
      township: t.arg.string({ description: 'Only seats of this township.' }),
      rulesVersion: t.arg({ type: RulesVersionInput, description: 'Score under this version instead of the versions in force.' }),
      asOf: t.arg({ type: AsOfInput, description: AS_OF }),
    },
    async resolve(_, args, { db }) {
      const asOf = readAsOf(args.asOf);
      const rulesVersion = await rulesVersionArg(db, args.rulesVersion, asOf);
      const query = { year: yearArg(args.year), level: args.level ?? undefined, township: args.township ?? undefined, rulesVersion };
      return cachedWhileUnchanged(db, 'scoresByBand', [query, asOf], () => scoresByBand(db, query, asOf));
    },
  }),
}));
