/**
 * The evaluation score (量化评价) of one mandate in one scoring year, as a pure function of the
 * scoring rules, the part of the year the mandate was held, and the approved records that count.
 * The formula is the one documented on `scoringRulesSchema` (services/domain/src/regulation):
 *
 *   base score + points per act (capped per act kind) + deductions − penalties for missed duties,
 *   clamped to [0, maxScore], placed in a band.
 *
 * Choices made here (the rules leave them open):
 *   - Each act is scored under the rules version in force on its date (`rulesInForce`); a year may
 *     straddle an amendment. An act kind's cap is one running total for the year: each act earns its
 *     own version's points, but no more than its version's cap leaves after the earlier acts.
 *   - Whatever belongs to a whole period is decided by the version in force on the last day of the
 *     part of the period the mandate was held: each duty period (month, quarter, year) by the end of
 *     that month, quarter or year, the base score, maximum and bands by the end of the held span.
 *   - Pro rata (normalisation `pro-rata`): caps are multiplied by the share of the year held; duties
 *     are checked only in periods held at least in part, and a missed period's penalty is multiplied
 *     by the share of that period held. The required periods of a duty thus add up to its number of
 *     periods times the share of the year held. The minimum count per period is not scaled.
 *     What the part-year earned and lost (points, deductions, penalties) is then carried to a whole
 *     year — divided by the share held, a line of its own — so that a deputy who held 70% of a year
 *     and acted at a full-year deputy's pace scores what that deputy scores: without it every part
 *     year would be squeezed towards the base score, out of reach of the upper bands.
 *   - A year held for less than half its days (`MIN_SHARE_FOR_BAND`, e.g. a deputy seated at a term
 *     change in November) is too short to carry to a whole year or to rate: it is scored as earned,
 *     without that line, and gets no band (任职不满半年，不评定等次).
 *   - A year still running on the view's day (`until`) is provisional (评价中): a period whose held
 *     part has not ended by then — or has not begun — is not missed yet (it counts as met once met),
 *     so the yearly duties (年述职 and the rest) are not due before the year ends; and the year gets no
 *     band: bands are given for years that are over.
 *   - Under a version chosen for comparison (`{ only }`) every act and period uses that version.
 *
 * Every figure is computed in hundredths of a point (integers), so the explanation's lines add up
 * exactly to the total; a clamp to [0, maxScore] is a line of its own.
 */
import { ACT_KIND_LABELS, DUTY_FREQUENCIES, rulesInForce, type ActKind, type CoreDuty, type DutyFrequency, type ScoringRules } from '@yingpan/domain';
import { addDays, contains, daysIn, overlap, periodsOf, yearSpan, type Span } from './calendar.ts';

/** A version of a scoring regulation, with the rules it carries. */
export interface RulesVersion {
  regulationId: string;
  version: number;
  title: string;
  effectiveFrom: string;
  repealedOn: string | null;
  rules: ScoringRules;
  /** The log position of the event that enacted or amended this version. */
  position: number;
}

/** Names a rules version and the event that made it. */
export interface RulesRef {
  regulationId: string;
  version: number;
  title: string;
  position: number;
}

/** The versions of one regulation, each deciding its own dates; or one version for every date (comparison). */
export type RulesChoice = { inForce: readonly RulesVersion[] } | { only: RulesVersion };

/** An approved record of an act by the mandate's holder (its visible version). */
export interface CountedRecord {
  recordId: string;
  act: ActKind;
  date: string;
  /** The log position of the event behind the visible version (creation, approval or correction). */
  position: number;
}

/** A record behind a line of the explanation, with what it earned (0 when over the cap or only showing a shortfall). */
export interface TracedRecord {
  recordId: string;
  date: string;
  position: number;
  points: number;
}

export type LineKind = 'base' | 'points' | 'deduction' | 'penalty' | 'pro-rata' | 'unscored' | 'clamp' | 'part';

/**
 * Why a scored year has no band: it is still running on the view's day, it was held for less than
 * half its days, or it is one part of a year split at a term change (the year as a whole is banded).
 */
export type BandWithheld = 'in-progress' | 'part-year' | 'term-change';

/** A year held for less than this share of its days gets no band and is not carried to a whole year. */
export const MIN_SHARE_FOR_BAND = 0.5;

export interface ExplanationLine {
  kind: LineKind;
  /** Points added (positive) or taken (negative); the lines of a year add up to its total. */
  points: number;
  /** The line as a person reads it, in Chinese. */
  label: string;
  /** The rules version that gave the points (null for records no rules applied to). */
  rules: RulesRef | null;
  act?: ActKind;
  dutyId?: string;
  /** A penalty's period: `2024-03`, `2024-Q1` or `2024`. */
  period?: string;
  /** A year split at a term change: the mandate whose part the line sums up. */
  mandateId?: string;
  records: TracedRecord[];
}

export interface DutyPeriod {
  period: string;
  label: string;
  /** The part of the period the mandate was held. */
  from: string;
  to: string;
  /** Share of the period held, 0..1. */
  share: number;
  required: number;
  count: number;
  met: boolean;
  /** Not over on the view's day (or not begun) and not met yet: neither met nor missed. */
  pending: boolean;
  penalty: number;
  rules: RulesRef;
  recordIds: string[];
}

export interface DutyResult {
  id: string;
  label: string;
  act: ActKind;
  frequency: DutyFrequency;
  /** One of the fixed core duties (the "8"), or a local extra (an "X"). */
  core: boolean;
  periods: DutyPeriod[];
  met: number;
  missed: number;
  /** Periods not over on the view's day and not met yet. */
  pending: number;
}

export interface YearScore {
  year: number;
  held: Span & { days: number; share: number };
  /** The version deciding the base, maximum and bands; null when no rules applied to the held span. */
  rules: RulesRef | null;
  /** Every version that scored an act or a duty period this year. */
  rulesApplied: RulesRef[];
  /** Null when no rules applied: the year is not scored. */
  total: number | null;
  /** Null when not scored, and when withheld (`bandWithheld`). */
  band: string | null;
  /** The year runs on past the view's day: its score is the score so far (评价中), without a band. */
  provisional: boolean;
  /** Why a scored year has no band; null when it has one (or is not scored). */
  bandWithheld: BandWithheld | null;
  subtotals: { base: number; points: number; deductions: number; penalties: number; proRata: number; clamp: number };
  duties: DutyResult[];
  /** Duty periods met and missed, core duties and extras together. */
  dutiesMet: number;
  dutiesMissed: number;
  explanation: ExplanationLine[];
}

export interface ScoreInput {
  year: number;
  /** The part of the year the mandate was held (clipped to the year). */
  held: Span;
  rules: RulesChoice;
  /** The mandate's approved records dated within the year. */
  records: readonly CountedRecord[];
  /**
   * The day the view stands on (default: every period is over). A period whose held part ends on or
   * after it is still running: met once met, never missed; a year ending on or after it is provisional.
   */
  until?: string;
}

const cents = (points: number) => Math.round(points * 100);
const fromCents = (value: number) => value / 100;
const percent = (share: number) => `${(share * 100).toFixed(1)}%`;
const signed = (value: number) => (value > 0 ? `+${fromCents(value)}` : String(fromCents(value)));

/** How a period of each frequency is named in "what would have met it": 当月, 当季度, 当年. */
const WITHIN: Record<CoreDuty['frequency'], string> = { monthly: '当月', quarterly: '当季度', yearly: '当年' };

/** What would have met a duty in a period: e.g. 当月进站履职1次即可, 当年再政策宣传1次即可. */
export function remedyOf(duty: Pick<CoreDuty, 'act' | 'frequency' | 'minimum'>, count: number): string {
  const short = duty.minimum - count;
  return `${WITHIN[duty.frequency]}${count > 0 ? '再' : ''}${ACT_KIND_LABELS[duty.act]}${short}次即可`;
}

export const refOf = (version: RulesVersion): RulesRef => ({
  regulationId: version.regulationId,
  version: version.version,
  title: version.title,
  position: version.position,
});

/** The rules version that decides `date`. */
export function rulesOn(choice: RulesChoice, date: string): RulesVersion | null {
  return 'only' in choice ? choice.only : rulesInForce(choice.inForce, date);
}

/**
 * The version deciding a held span as a whole: the one in force on its last day, or, when the
 * regulation was repealed within the span, the one in force the day before the repeal.
 */
export function decidingRules(choice: RulesChoice, held: Span): RulesVersion | null {
  const atEnd = rulesOn(choice, held.to);
  if (atEnd || 'only' in choice) return atEnd;
  const repeals = choice.inForce
    .map((version) => version.repealedOn)
    .filter((repealedOn): repealedOn is string => repealedOn !== null && repealedOn > held.from && repealedOn <= held.to)
    .sort();
  return repeals[0] ? rulesOn(choice, addDays(repeals[0], -1)) : null;
}

/** The first band whose minimum the score reaches (bands run from best to worst, the last from 0). */
export function bandOf(rules: ScoringRules, score: number): string {
  return (rules.bands.find((band) => cents(score) >= cents(band.minScore)) ?? rules.bands.at(-1)!).label;
}

/** A line being built, in hundredths. */
interface Draft {
  kind: LineKind;
  rules: RulesVersion | null;
  act?: ActKind;
  dutyId?: string;
  period?: string;
  records: { record: CountedRecord; cents: number }[];
  cents: number;
  label: (versionNote: string) => string;
}

const traced = (draft: Draft): TracedRecord[] =>
  draft.records.map(({ record, cents: value }) => ({ recordId: record.recordId, date: record.date, position: record.position, points: fromCents(value) }));

const byDateThenPosition = (a: CountedRecord, b: CountedRecord) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.position - b.position);

/** Scores one mandate over the part of one year it was held. */
export function scoreYear(input: ScoreInput): YearScore {
  const { year, rules: choice } = input;
  const held = overlap(input.held, yearSpan(year));
  if (!held) throw new Error(`the held span ${input.held.from}..${input.held.to} is not in ${year}`);
  const share = daysIn(held) / daysIn(yearSpan(year));
  const until = input.until ?? null;
  /** Still running on the view's day (the view's day itself not being over). */
  const running = (span: Span) => until !== null && span.to >= until;
  const records = [...input.records].sort(byDateThenPosition);
  const deciding = decidingRules(choice, held);
  const drafts: Draft[] = [];
  const applied = new Map<string, RulesVersion>();
  const use = (version: RulesVersion) => applied.set(`${version.regulationId}:${version.version}`, version);

  if (deciding) {
    use(deciding);
    drafts.push({
      kind: 'base',
      rules: deciding,
      records: [],
      cents: cents(deciding.rules.baseScore),
      label: () => `基础分（${deciding.title}第${deciding.version}版）`,
    });
  }

  // Points and deductions, act by act in date order (caps are running totals per act kind).
  const actDrafts = new Map<string, Draft>();
  const earnedSoFar = new Map<ActKind, number>();
  const unscored: Draft = {
    kind: 'unscored',
    rules: null,
    records: [],
    cents: 0,
    label: () => `${unscored.records.length}条记录的日期不在任何量化评价办法的有效期内，不计分`,
  };
  for (const record of records) {
    const version = rulesOn(choice, record.date);
    if (!version) {
      unscored.records.push({ record, cents: 0 });
      continue;
    }
    const gain = version.rules.points.find((rule) => rule.act === record.act);
    const loss = version.rules.deductions.find((rule) => rule.act === record.act);
    if (!gain && !loss) continue;
    use(version);
    const key = `${record.act}:${version.regulationId}:${version.version}`;
    let draft = actDrafts.get(key);
    if (!draft) {
      draft = gain ? pointsDraft(record.act, version, gain, share) : deductionDraft(record.act, version, loss!);
      actDrafts.set(key, draft);
      drafts.push(draft);
    }
    let value: number;
    if (gain) {
      const cap = gain.capPerPeriod === null ? Infinity : cents(gain.capPerPeriod * share);
      const before = earnedSoFar.get(record.act) ?? 0;
      value = Math.max(0, Math.min(cents(gain.points), cap - before));
      earnedSoFar.set(record.act, before + value);
    } else value = cents(loss!.points);
    draft.records.push({ record, cents: value });
    draft.cents += value;
  }

  // The "8+X" duties, period by period.
  const byAct = new Map<ActKind, CountedRecord[]>();
  for (const record of records) {
    const list = byAct.get(record.act);
    if (list) list.push(record);
    else byAct.set(record.act, [record]);
  }
  const duties = new Map<string, DutyResult>();
  for (const frequency of DUTY_FREQUENCIES) {
    for (const period of periodsOf(year, frequency)) {
      const part = overlap(period, held);
      const version = part && rulesOn(choice, part.to);
      if (!part || !version) continue;
      const periodShare = daysIn(part) / daysIn(period);
      for (const duty of version.rules.coreDuties.filter((candidate) => candidate.frequency === frequency)) {
        use(version);
        const done = (byAct.get(duty.act) ?? []).filter((record) => contains(part, record.date));
        const met = done.length >= duty.minimum;
        const pending = !met && running(part);
        const penalty = met || pending ? 0 : cents(duty.penaltyPerMiss * periodShare);
        const result = duties.get(duty.id) ?? dutyResult(duty);
        duties.set(duty.id, result);
        result.periods.push({
          period: period.key,
          label: period.label,
          ...part,
          share: periodShare,
          required: duty.minimum,
          count: done.length,
          met,
          pending,
          penalty: fromCents(penalty),
          rules: refOf(version),
          recordIds: done.map((record) => record.recordId),
        });
        result[met ? 'met' : pending ? 'pending' : 'missed'] += 1;
        if (penalty > 0) {
          drafts.push({
            kind: 'penalty',
            rules: version,
            dutyId: duty.id,
            period: period.key,
            records: done.map((record) => ({ record, cents: 0 })),
            cents: -penalty,
            label: (note) =>
              `未完成“${duty.label}”${duty.core ? '' : '（X项）'}：${period.label}应${duty.minimum}次、实际${done.length}次，扣${fromCents(penalty)}分` +
              (periodShare < 1 ? `（该期任职${percent(periodShare)}，按比例扣分）` : '') +
              `；${remedyOf(duty, done.length)}` +
              note,
          });
        }
      }
    }
  }
  if (unscored.records.length > 0) drafts.push(unscored);

  const sumOf = (...kinds: LineKind[]) => drafts.filter((draft) => kinds.includes(draft.kind)).reduce((sum, draft) => sum + draft.cents, 0);
  const partYear = share < MIN_SHARE_FOR_BAND;
  if (deciding && share < 1 && !partYear) {
    const earned = sumOf('points', 'deduction', 'penalty');
    const wholeYear = Math.round(earned / share);
    if (wholeYear !== earned) {
      drafts.push({
        kind: 'pro-rata',
        rules: deciding,
        records: [],
        cents: wholeYear - earned,
        label: () =>
          `任职${daysIn(held)}天，占全年${percent(share)}：加减分按全年折算，${signed(earned)}分÷${percent(share)}=${signed(wholeYear)}分，折算${signed(wholeYear - earned)}分`,
      });
    }
  }
  let clamp = 0;
  if (deciding) {
    const raw = sumOf('base', 'points', 'deduction', 'penalty', 'pro-rata');
    const max = cents(deciding.rules.maxScore);
    clamp = raw > max ? max - raw : raw < 0 ? -raw : 0;
    if (clamp !== 0) {
      drafts.push({
        kind: 'clamp',
        rules: deciding,
        records: [],
        cents: clamp,
        label: () => (clamp < 0 ? `合计${fromCents(raw)}分，超过满分${fromCents(max)}分，按满分计` : `合计${fromCents(raw)}分，低于0分，按0分计`),
      });
    }
  }

  const several = applied.size > 1;
  const explanation = drafts.map(
    (draft): ExplanationLine => ({
      kind: draft.kind,
      points: fromCents(draft.cents),
      label: draft.label(several && draft.rules && draft.kind !== 'base' ? `［${draft.rules.title}第${draft.rules.version}版］` : ''),
      rules: draft.rules && refOf(draft.rules),
      ...(draft.act && { act: draft.act }),
      ...(draft.dutyId && { dutyId: draft.dutyId }),
      ...(draft.period && { period: draft.period }),
      records: traced(draft),
    }),
  );
  const total = deciding ? drafts.reduce((sum, draft) => sum + draft.cents, 0) : null;
  const dutyList = [...duties.values()];
  const provisional = running(yearSpan(year));
  const bandWithheld: BandWithheld | null = total === null ? null : provisional ? 'in-progress' : partYear ? 'part-year' : null;
  return {
    year,
    held: { ...held, days: daysIn(held), share },
    rules: deciding && refOf(deciding),
    rulesApplied: [...applied.values()].map(refOf),
    total: total === null ? null : fromCents(total),
    band: deciding && total !== null && !bandWithheld ? bandOf(deciding.rules, fromCents(total)) : null,
    provisional,
    bandWithheld,
    subtotals: {
      base: fromCents(sumOf('base')),
      points: fromCents(sumOf('points')),
      deductions: fromCents(sumOf('deduction')),
      penalties: fromCents(sumOf('penalty')),
      proRata: fromCents(sumOf('pro-rata')),
      clamp: fromCents(clamp),
    },
    duties: dutyList,
    dutiesMet: dutyList.reduce((sum, duty) => sum + duty.met, 0),
    dutiesMissed: dutyList.reduce((sum, duty) => sum + duty.missed, 0),
    explanation,
  };
}

function pointsDraft(act: ActKind, version: RulesVersion, rule: ScoringRules['points'][number], share: number): Draft {
  const draft: Draft = {
    kind: 'points',
    rules: version,
    act,
    records: [],
    cents: 0,
    label: (note) => {
      const full = draft.records.length * cents(rule.points);
      const capNote =
        draft.cents < full && rule.capPerPeriod !== null
          ? `，达年度上限${fromCents(cents(rule.capPerPeriod * share))}分` + (share < 1 ? `（${rule.capPerPeriod}分×任职${percent(share)}）` : '')
          : '';
      return `${ACT_KIND_LABELS[act]}${draft.records.length}次×${rule.points}分${capNote}，计${fromCents(draft.cents)}分${note}`;
    },
  };
  return draft;
}

function deductionDraft(act: ActKind, version: RulesVersion, rule: ScoringRules['deductions'][number]): Draft {
  const draft: Draft = {
    kind: 'deduction',
    rules: version,
    act,
    records: [],
    cents: 0,
    label: (note) => `${ACT_KIND_LABELS[act]}${draft.records.length}次，计${fromCents(draft.cents)}分（${rule.note}）${note}`,
  };
  return draft;
}

const dutyResult = (duty: CoreDuty): DutyResult => ({
  id: duty.id,
  label: duty.label,
  act: duty.act,
  frequency: duty.frequency,
  core: duty.core,
  periods: [],
  met: 0,
  missed: 0,
  pending: 0,
});

/**
 * A score over several years (a term): the years' totals weighted by the days held in each, so a
 * mandate held for part of a term is compared on what it had the chance to do. Null when no year
 * was scored.
 */
export function weightedScore(years: readonly YearScore[]): number | null {
  const scored = years.filter((year) => year.total !== null);
  const days = scored.reduce((sum, year) => sum + year.held.days, 0);
  if (days === 0) return null;
  return fromCents(Math.round(scored.reduce((sum, year) => sum + cents(year.total!) * year.held.days, 0) / days));
}

// ---------------------------------------------------------------------------------------------
// A year split at a term change

/** One part of a year split at a term change: the days held in one mandate, scored on their own. */
export interface ScorePart {
  mandateId: string;
  termId: string;
  termNumber: number;
  /** How the part reads: 第十七届部分（1月1日–11月19日）. */
  label: string;
  /**
   * The part's own score (`scoreYear` over its days): duties due in the periods it held, pro-rated
   * to the share of each held; the acts of its mandate in its days; its own explanation. It has no
   * band of its own (`bandWithheld: term-change`): the year as a whole is banded.
   */
  score: YearScore;
}

/**
 * A year in which a seat was held on both sides of a term change (a re-elected deputy: one mandate
 * until the old term's close, the next from the new term's opening), scored part by part and as a
 * whole. The whole year's score is the base score of the rules deciding the year, plus what each
 * part earned and lost (its points, deductions and penalties, each already pro-rated to its days),
 * carried to a whole year by the share of the year held in all when that is less than the whole —
 * which is the parts' scores, each carried to a whole year, weighted by the days held in each — and
 * clamped to [0, maxScore]. Its band is the year's (the parts have none); a year held less than
 * half its days in all, or still running, has none.
 */
export interface SplitYearScore {
  year: number;
  /** From the first part's first day to the last part's last day; `days` and `share` count only the days held. */
  held: Span & { days: number; share: number };
  rules: RulesRef | null;
  total: number | null;
  band: string | null;
  provisional: boolean;
  bandWithheld: BandWithheld | null;
  subtotals: { base: number; parts: number; proRata: number; clamp: number };
  dutiesMet: number;
  dutiesMissed: number;
  /** The base, one line per part (what it earned and lost), the carry to a whole year and the clamp; they add up to the total. */
  explanation: ExplanationLine[];
  /** The parts, oldest first. */
  parts: ScorePart[];
}

export interface SplitInput {
  year: number;
  parts: readonly { mandateId: string; termId: string; termNumber: number; score: YearScore }[];
  rules: RulesChoice;
  /** The day the view stands on (as for `scoreYear`). */
  until?: string;
}

const CHINESE_DIGITS = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
/** A term's ordinal as written in 第十八届: 十八. */
export function chineseOrdinal(n: number): string {
  if (n < 10) return CHINESE_DIGITS[n]!;
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens === 1 ? '' : CHINESE_DIGITS[tens]}十${ones === 0 ? '' : CHINESE_DIGITS[ones]}`;
}
const monthDay = (date: string) => `${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日`;

/** 第十七届部分（1月1日–11月19日）. */
export const partLabel = (termNumber: number, held: Span) => `第${chineseOrdinal(termNumber)}届部分（${monthDay(held.from)}–${monthDay(held.to)}）`;

/** A mandate-year scored as a part of a year split at a term change: no band of its own. */
export function asPart(score: YearScore): YearScore {
  if (score.total === null || score.bandWithheld === 'in-progress') return score;
  return { ...score, band: null, bandWithheld: 'term-change' };
}

/** Scores a year split at a term change from its parts' scores (see `SplitYearScore`). */
export function splitYear(input: SplitInput): SplitYearScore {
  const { year } = input;
  const parts = [...input.parts].sort((a, b) => (a.score.held.from < b.score.held.from ? -1 : 1));
  if (parts.length === 0) throw new Error('a split year has parts');
  const span = { from: parts[0]!.score.held.from, to: parts.at(-1)!.score.held.to };
  const days = parts.reduce((sum, part) => sum + part.score.held.days, 0);
  const share = days / daysIn(yearSpan(year));
  const deciding = decidingRules(input.rules, span);
  const until = input.until ?? null;
  const provisional = until !== null && yearSpan(year).to >= until;
  const partYear = share < MIN_SHARE_FOR_BAND;
  const several = new Set(parts.map((part) => (part.score.rules ? `${part.score.rules.regulationId}:${part.score.rules.version}` : ''))).size > 1;
  const lines: ExplanationLine[] = [];
  const subtotals = { base: 0, parts: 0, proRata: 0, clamp: 0 };
  let total: number | null = null;
  if (deciding) {
    subtotals.base = cents(deciding.rules.baseScore);
    lines.push({
      kind: 'base',
      points: fromCents(subtotals.base),
      label: `基础分（${deciding.title}第${deciding.version}版）`,
      rules: refOf(deciding),
      records: [],
    });
    for (const part of parts) {
      const { subtotals: own, held } = part.score;
      const earned = part.score.total === null ? 0 : cents(own.points) + cents(own.deductions) + cents(own.penalties);
      subtotals.parts += earned;
      const label = partLabel(part.termNumber, held);
      lines.push({
        kind: 'part',
        points: fromCents(earned),
        label:
          part.score.total === null
            ? `${label}：任职${held.days}天，无量化评价办法适用，不计分`
            : `${label}：任职${held.days}天，加分${signed(cents(own.points))}、扣分${signed(cents(own.deductions))}、未完成履职清单${signed(cents(own.penalties))}，计${signed(earned)}分` +
              (several && part.score.rules ? `［${part.score.rules.title}第${part.score.rules.version}版］` : ''),
        rules: part.score.rules,
        mandateId: part.mandateId,
        records: [],
      });
    }
    if (share < 1 && !partYear) {
      const wholeYear = Math.round(subtotals.parts / share);
      if (wholeYear !== subtotals.parts) {
        subtotals.proRata = wholeYear - subtotals.parts;
        lines.push({
          kind: 'pro-rata',
          points: fromCents(subtotals.proRata),
          label: `两届合计任职${days}天，占全年${percent(share)}：加减分按全年折算，${signed(subtotals.parts)}分÷${percent(share)}=${signed(wholeYear)}分，折算${signed(subtotals.proRata)}分`,
          rules: refOf(deciding),
          records: [],
        });
      }
    }
    const raw = subtotals.base + subtotals.parts + subtotals.proRata;
    const max = cents(deciding.rules.maxScore);
    subtotals.clamp = raw > max ? max - raw : raw < 0 ? -raw : 0;
    if (subtotals.clamp !== 0) {
      lines.push({
        kind: 'clamp',
        points: fromCents(subtotals.clamp),
        label: subtotals.clamp < 0 ? `合计${fromCents(raw)}分，超过满分${fromCents(max)}分，按满分计` : `合计${fromCents(raw)}分，低于0分，按0分计`,
        rules: refOf(deciding),
        records: [],
      });
    }
    total = raw + subtotals.clamp;
  }
  const bandWithheld: BandWithheld | null = total === null ? null : provisional ? 'in-progress' : partYear ? 'part-year' : null;
  return {
    year,
    held: { ...span, days, share },
    rules: deciding && refOf(deciding),
    total: total === null ? null : fromCents(total),
    band: deciding && total !== null && !bandWithheld ? bandOf(deciding.rules, fromCents(total)) : null,
    provisional,
    bandWithheld,
    subtotals: { base: fromCents(subtotals.base), parts: fromCents(subtotals.parts), proRata: fromCents(subtotals.proRata), clamp: fromCents(subtotals.clamp) },
    dutiesMet: parts.reduce((sum, part) => sum + part.score.dutiesMet, 0),
    dutiesMissed: parts.reduce((sum, part) => sum + part.score.dutiesMissed, 0),
    explanation: lines,
    parts: parts.map((part) => ({
      mandateId: part.mandateId,
      termId: part.termId,
      termNumber: part.termNumber,
      label: partLabel(part.termNumber, part.score.held),
      score: asPart(part.score),
    })),
  };
}
