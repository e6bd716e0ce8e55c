/**
 * The pure scoring function (src/scores/score.ts): given rules, a held span and records, when
 * scored, then points, caps, deductions, duty penalties, pro rata, bands, clamps and the
 * explanation come out as the rules say — and the explanation always adds up to the total.
 */
import { ACT_KINDS, SCORING_RULES_2021, SCORING_RULES_2024, type ActKind, type ScoringRules } from '@yingpan/domain';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bandOf,
  scoreYear,
  splitYear,
  weightedScore,
  type CountedRecord,
  type RulesChoice,
  type RulesVersion,
  type SplitYearScore,
  type YearScore,
} from '../src/scores/score.ts';

const REGULATION = '00000000-0000-4000-8000-000000000001';
const version = (rules: ScoringRules, n: number, effectiveFrom: string, repealedOn: string | null = null): RulesVersion => ({
  regulationId: REGULATION,
  version: n,
  title: '《代表履职监督量化评价暂行办法》',
  effectiveFrom,
  repealedOn,
  rules,
  position: n * 10,
});
const V2021 = version(SCORING_RULES_2021, 1, '2017-01-01');
const V2024 = version(SCORING_RULES_2024, 2, '2024-01-01');
const BOTH: RulesChoice = { inForce: [V2021, V2024] };
const FULL_2023 = { from: '2023-01-01', to: '2023-12-31' };

let position = 1000;
const record = (act: ActKind, date: string): CountedRecord => ({ recordId: `${act}@${date}#${position}`, act, date, position: position++ });
const many = (act: ActKind, dates: string[]) => dates.map((date) => record(act, date));
const months = (year: number, from = 1, to = 12) => Array.from({ length: to - from + 1 }, (_, index) => `${year}-${String(from + index).padStart(2, '0')}-15`);

/** Every "8" duty of the 2021 rules met once in each of its periods (practical help twice), in the months given. */
function dutiful(year: number, fromMonth = 1): CountedRecord[] {
  const quarterDates = months(year, fromMonth).filter((date, index) => index === 0 || (Number(date.slice(5, 7)) - 1) % 3 === 0);
  return [
    ...many('station-visit', months(year, fromMonth)),
    ...many('home-visit', quarterDates),
    ...many('voter-reception', quarterDates),
    ...many('duty-report', [`${year}-12-10`]),
    ...many('suggestion', [`${year}-10-01`]),
    ...many('training', [`${year}-11-01`]),
    ...many('inspection', [`${year}-11-02`]),
    ...many('policy-publicity', [`${year}-11-03`, `${year}-11-04`]),
  ];
}

const cents = (points: number) => Math.round(points * 100);
/** The explanation's points add up exactly to the total. */
const expectExplained = (score: YearScore) => {
  expect(score.explanation.reduce((sum, line) => sum + cents(line.points), 0)).toBe(cents(score.total!));
};
const line = (score: YearScore, kind: string, key: string) =>
  score.explanation.find((candidate) => candidate.kind === kind && (candidate.act === key || candidate.dutyId === key || candidate.period === key));

describe('a full year under one version', () => {
  it('given every duty met, scores the base plus each act’s points, with no penalty', () => {
    const score = scoreYear({ year: 2023, held: FULL_2023, rules: BOTH, records: dutiful(2023) });
    expect(score.total).toBe(85);
    expect(score.band).toBe('称职');
    expect(score.subtotals).toEqual({ base: 60, points: 25, deductions: 0, penalties: 0, proRata: 0, clamp: 0 });
    expect(score).toMatchObject({ provisional: false, bandWithheld: null });
    expect(score.dutiesMissed).toBe(0);
    expect(score.dutiesMet).toBe(12 + 4 + 4 + 1 + 1 + 1 + 1 + 1);
    expect(score.explanation[0]).toMatchObject({
      kind: 'base',
      points: 60,
      label: '基础分（《代表履职监督量化评价暂行办法》第1版）',
      rules: { version: 1, position: 10 },
    });
    expect(line(score, 'points', 'station-visit')).toMatchObject({ points: 6, label: '进站履职12次×0.5分，计6分' });
    expect(score.held.share).toBe(1);
    expectExplained(score);
  });

  it('given more suggestions than the cap allows, counts them up to the cap and traces the rest at 0', () => {
    const suggestions = many('suggestion', ['2023-02-01', '2023-03-01', '2023-04-01', '2023-05-01', '2023-06-01', '2023-07-01', '2023-08-01']);
    const score = scoreYear({ year: 2023, held: FULL_2023, rules: BOTH, records: [...dutiful(2023), ...suggestions] });
    const suggestionLine = line(score, 'points', 'suggestion')!;
    expect(suggestionLine.points).toBe(15);
    expect(suggestionLine.label).toBe('提出建议8次×3分，达年度上限15分，计15分');
    expect(suggestionLine.records.map((traced) => traced.points)).toEqual([3, 3, 3, 3, 3, 0, 0, 0]);
    expect(suggestionLine.records[0]).toEqual({ recordId: suggestions[0]!.recordId, date: '2023-02-01', position: suggestions[0]!.position, points: 3 });
    expect(score.total).toBe(85 - 3 + 15);
    expectExplained(score);
  });

  it('given absences, deducts per absence as the version in force says (heavier from 2024)', () => {
    const absences = (year: number) => [...many('absence-without-leave', [`${year}-03-01`, `${year}-04-01`]), record('absence-with-leave', `${year}-05-01`)];
    const in2023 = scoreYear({ year: 2023, held: FULL_2023, rules: BOTH, records: [...dutiful(2023), ...absences(2023)] });
    expect(in2023.subtotals.deductions).toBe(-2.5);
    expect(line(in2023, 'deduction', 'absence-without-leave')).toMatchObject({ points: -2, label: '无故缺席2次，计-2分（无故缺席会议或活动一次扣1分）' });
    const in2024 = scoreYear({ year: 2024, held: { from: '2024-01-01', to: '2024-12-31' }, rules: BOTH, records: [...dutiful(2024), ...absences(2024)] });
    expect(in2024.subtotals.deductions).toBe(-4.5);
    expect(line(in2024, 'deduction', 'absence-without-leave')!.records.map((traced) => traced.points)).toEqual([-2, -2]);
    expectExplained(in2023);
    expectExplained(in2024);
  });

  it('given no home visit in the third quarter, takes the quarterly penalty and names the period', () => {
    const records = dutiful(2023).filter((candidate) => !(candidate.act === 'home-visit' && candidate.date === '2023-07-15'));
    const score = scoreYear({ year: 2023, held: FULL_2023, rules: BOTH, records });
    const penalty = line(score, 'penalty', '2023-Q3')!;
    expect(penalty).toMatchObject({ dutyId: 'quarterly-home-visit', points: -2, records: [], rules: { version: 1 } });
    expect(penalty.label).toBe('未完成“季回家”：2023年第3季度应1次、实际0次，扣2分；当季度回家（回选区）履职1次即可');
    const duty = score.duties.find((candidate) => candidate.id === 'quarterly-home-visit')!;
    expect(duty).toMatchObject({ met: 3, missed: 1, core: true });
    expect(duty.periods.find((period) => !period.met)).toMatchObject({ period: '2023-Q3', count: 0, required: 1, penalty: 2 });
    expect(score.total).toBe(85 - 1 - 2);
    expectExplained(score);
  });

  it('given only one of two practical-help acts, misses the yearly duty and lists the act that fell short', () => {
    const records = dutiful(2023).filter((candidate) => candidate.date !== '2023-11-04');
    const score = scoreYear({ year: 2023, held: FULL_2023, rules: BOTH, records });
    const penalty = line(score, 'penalty', 'yearly-practical-help')!;
    expect(penalty).toMatchObject({ period: '2023', points: -1 });
    expect(penalty.records).toHaveLength(1);
    expect(penalty.label).toContain('应2次、实际1次');
    expect(penalty.label).toContain('；当年再政策宣传1次即可');
  });
});

describe('pro rata for a mandate held part of the year', () => {
  const held = { from: '2023-07-01', to: '2023-12-31' };
  const share = 184 / 365;

  it('scales caps by the share of the year held and checks only the periods held', () => {
    const suggestions = many('suggestion', ['2023-07-02', '2023-08-02', '2023-09-02', '2023-10-02']);
    const score = scoreYear({ year: 2023, held, rules: BOTH, records: [...dutiful(2023, 7), ...suggestions] });
    expect(score.held).toEqual({ ...held, days: 184, share });
    expect(line(score, 'points', 'suggestion')).toMatchObject({ points: 7.56, label: '提出建议5次×3分，达年度上限7.56分（15分×任职50.4%），计7.56分' });
    const monthly = score.duties.find((duty) => duty.id === 'monthly-station-visit')!;
    expect(monthly.periods.map((period) => period.period)).toEqual(['2023-07', '2023-08', '2023-09', '2023-10', '2023-11', '2023-12']);
    expect(score.duties.find((duty) => duty.id === 'quarterly-home-visit')!.periods.map((period) => period.period)).toEqual(['2023-Q3', '2023-Q4']);
    expect(score.dutiesMissed).toBe(0);
    expect(score.subtotals.penalties).toBe(0);
    expectExplained(score);
  });

  it('scales the penalty of a period held only in part', () => {
    const records = dutiful(2023, 8); // nothing in July; the mandate began on 16 July
    const score = scoreYear({ year: 2023, held: { from: '2023-07-16', to: '2023-12-31' }, rules: BOTH, records });
    const july = line(score, 'penalty', '2023-07')!;
    expect(july.points).toBe(-0.52); // 1 point × 16/31 of July
    expect(july.label).toBe('未完成“月进站”：2023年7月应1次、实际0次，扣0.52分（该期任职51.6%，按比例扣分）；当月进站履职1次即可');
    const q3 = score.explanation.filter((candidate) => candidate.period === '2023-Q3').map((candidate) => candidate.dutyId);
    expect(q3).toEqual([]); // the August visit and reception meet the third quarter
    expectExplained(score);
  });

  it('carries what a part year earned and lost to a whole year, in a line of its own', () => {
    // Half a year (184 days) at a full-year deputy's pace scores what the full year scores: every month
    // and quarter met, no yearly duty done (one yearly act in half a year would be twice the pace).
    const yearly = new Set<ActKind>(['duty-report', 'suggestion', 'training', 'inspection', 'policy-publicity']);
    const pace = (records: CountedRecord[]) => records.filter((candidate) => !yearly.has(candidate.act));
    const half = scoreYear({ year: 2023, held, rules: BOTH, records: pace(dutiful(2023, 7)) });
    const full = scoreYear({ year: 2023, held: FULL_2023, rules: BOTH, records: pace(dutiful(2023)) });
    const proRata = half.explanation.find((candidate) => candidate.kind === 'pro-rata')!;
    expect(half.subtotals.points).toBeLessThan(full.subtotals.points);
    expect(proRata.points).toBe(half.subtotals.proRata);
    expect(proRata.label).toMatch(/^任职184天，占全年50\.4%：加减分按全年折算，\+[\d.]+分÷50\.4%=\+[\d.]+分，折算\+[\d.]+分$/);
    expect(half.total).toBeCloseTo(full.total!, 0);
    expect(half.band).toBe(full.band);
    expectExplained(half);
  });

  it('gives no band to a year held less than half its days, and does not carry it to a whole year', () => {
    const score = scoreYear({ year: 2021, held: { from: '2021-11-20', to: '2021-12-31' }, rules: BOTH, records: [] });
    expect(score.held.days).toBe(42);
    expect(score.total).toBeGreaterThan(55); // the penalties of 42 days, not of a year
    expect(score.band).toBeNull();
    expect(score.bandWithheld).toBe('part-year');
    expect(score.explanation.some((candidate) => candidate.kind === 'pro-rata')).toBe(false);
    expectExplained(score);
  });

  it('weighs a term’s years by the days held in each', () => {
    const first = scoreYear({ year: 2023, held, rules: BOTH, records: [] });
    const second = scoreYear({ year: 2024, held: { from: '2024-01-01', to: '2024-12-31' }, rules: BOTH, records: dutiful(2024) });
    // Six months and two quarters missed in full; the yearly duties' penalties (5+3+2+2+1) scaled by 184/365; then carried to a whole year.
    const missed = -6 - 2 * 2 - 2 * 1 - (2.52 + 1.51 + 1.01 + 1.01 + 0.5);
    expect(first.subtotals.penalties).toBeCloseTo(missed, 2);
    expect(first.total).toBeCloseTo(60 + Math.round((missed * 100 * 365) / 184) / 100, 2);
    expect(weightedScore([first, second])).toBe(Math.round(((first.total! * 184 + second.total! * 366) / 550) * 100) / 100);
    expect(weightedScore([])).toBeNull();
  });
});

describe('a year in progress (provisional, 评价中)', () => {
  const OPEN_2026 = { from: '2026-01-01', to: '2026-12-31' };
  /** Every duty met in the months up to `toMonth` (quarters from their first month), nothing yearly yet. */
  const soFar = (toMonth: number) =>
    [...dutiful(2026), record('pairing-activity', '2026-01-20')].filter(
      (candidate) =>
        candidate.date <= `2026-${String(toMonth).padStart(2, '0')}-28` &&
        !['duty-report', 'suggestion', 'training', 'inspection', 'policy-publicity'].includes(candidate.act),
    );

  it('counts only the months and quarters over on the view’s day as missed, and no yearly duty before the year ends', () => {
    const score = scoreYear({ year: 2026, held: OPEN_2026, rules: BOTH, records: [], until: '2026-12-04' });
    const monthly = score.duties.find((duty) => duty.id === 'monthly-station-visit')!;
    expect(monthly).toMatchObject({ missed: 11, pending: 1, met: 0 }); // December is still running
    expect(monthly.periods.at(-1)).toMatchObject({ period: '2026-12', met: false, pending: true, penalty: 0 });
    expect(score.duties.find((duty) => duty.id === 'quarterly-home-visit')).toMatchObject({ missed: 3, pending: 1 });
    for (const id of ['yearly-duty-report', 'yearly-suggestion', 'yearly-training', 'yearly-inspection', 'yearly-practical-help']) {
      expect(
        score.duties.find((duty) => duty.id === id),
        id,
      ).toMatchObject({ missed: 0, pending: 1 });
    }
    expect(score.explanation.filter((candidate) => candidate.kind === 'penalty').map((candidate) => candidate.period)).not.toContain('2026');
    expect(score.explanation.some((candidate) => candidate.period === '2026-12' || candidate.period === '2026-Q4')).toBe(false);
    // 11 months × 1, 3 quarters × (2 home visit + 1 reception + 1 pairing): nothing else is due yet.
    expect(score.subtotals.penalties).toBe(-(11 + 3 * 4));
    expect(score).toMatchObject({ provisional: true, band: null, bandWithheld: 'in-progress' });
    expectExplained(score);
  });

  it('pro-rates the duties to the view’s day: early in the year only the months gone by are due', () => {
    const march = scoreYear({ year: 2026, held: OPEN_2026, rules: BOTH, records: soFar(2), until: '2026-03-10' });
    expect(march.dutiesMissed).toBe(0);
    expect(march.subtotals.penalties).toBe(0);
    expect(march.duties.find((duty) => duty.id === 'monthly-station-visit')).toMatchObject({ met: 2, missed: 0, pending: 10 });
    const april = scoreYear({ year: 2026, held: OPEN_2026, rules: BOTH, records: soFar(2), until: '2026-04-01' });
    // March is over without a visit; the first quarter's duties were met in January.
    expect(april.explanation.filter((candidate) => candidate.kind === 'penalty').map((candidate) => candidate.period)).toEqual(['2026-03']);
    expect(april.total).toBe(march.total! - 1);
  });

  it('counts a running period once met, and keeps the view’s day itself running', () => {
    const records = [record('station-visit', '2026-12-02')];
    const score = scoreYear({ year: 2026, held: OPEN_2026, rules: BOTH, records, until: '2026-12-04' });
    expect(score.duties.find((duty) => duty.id === 'monthly-station-visit')!.periods.at(-1)).toMatchObject({ period: '2026-12', met: true, pending: false });
    const lastDay = scoreYear({ year: 2026, held: OPEN_2026, rules: BOTH, records: [], until: '2026-11-30' });
    expect(lastDay.duties.find((duty) => duty.id === 'monthly-station-visit')).toMatchObject({ missed: 10, pending: 2 });
  });

  it('is over once the view stands after the year: every period is due and the band is given', () => {
    const records = [...dutiful(2026), ...many('pairing-activity', ['2026-01-20', '2026-04-20', '2026-07-20', '2026-10-20'])];
    const running = scoreYear({ year: 2026, held: OPEN_2026, rules: BOTH, records, until: '2026-12-31' });
    const over = scoreYear({ year: 2026, held: OPEN_2026, rules: BOTH, records, until: '2027-01-01' });
    expect(running).toMatchObject({ provisional: true, band: null });
    expect(over).toMatchObject({ provisional: false, bandWithheld: null, total: running.total });
    expect(over.band).toBe(bandOf(SCORING_RULES_2024, over.total!));
    expect(scoreYear({ year: 2026, held: OPEN_2026, rules: BOTH, records })).toEqual(over);
  });

  it('scores a mandate that ended within a running year on its periods, all over, yet gives no band before the year ends', () => {
    const score = scoreYear({ year: 2026, held: { from: '2026-01-01', to: '2026-07-31' }, rules: BOTH, records: [], until: '2026-12-04' });
    expect(score.dutiesMissed).toBeGreaterThan(0);
    expect(score.duties.every((duty) => duty.pending === 0)).toBe(true);
    expect(score).toMatchObject({ provisional: true, band: null, bandWithheld: 'in-progress' });
  });
});

describe('bands, clamping and missing rules', () => {
  it('places a score in the first band it reaches, by the rules’ thresholds', () => {
    expect([90, 89.99, 70, 69.99, 60, 59.99, 0].map((score) => bandOf(SCORING_RULES_2021, score))).toEqual([
      '优秀',
      '称职',
      '称职',
      '基本称职',
      '基本称职',
      '不称职',
      '不称职',
    ]);
    expect(bandOf(SCORING_RULES_2021, 72)).toBe('称职');
    expect(bandOf(SCORING_RULES_2024, 72)).toBe('基本称职');
  });

  it('given more points than the maximum, clamps with an explicit line', () => {
    const extra = ACT_KINDS.filter((act) => !act.startsWith('absence')).flatMap((act) => many(act, months(2023)));
    const score = scoreYear({ year: 2023, held: FULL_2023, rules: BOTH, records: [...dutiful(2023), ...extra] });
    expect(score.total).toBe(100);
    expect(score.band).toBe('优秀');
    const clamp = score.explanation.at(-1)!;
    expect(clamp.kind).toBe('clamp');
    expect(clamp.points).toBeLessThan(0);
    expect(clamp.label).toMatch(/^合计[\d.]+分，超过满分100分，按满分计$/);
    expectExplained(score);
  });

  it('given penalties and deductions below zero, clamps up to 0 with an explicit line', () => {
    const score = scoreYear({
      year: 2023,
      held: FULL_2023,
      rules: BOTH,
      records: many(
        'absence-without-leave',
        months(2023)
          .concat(months(2023).map((date) => date.replace('-15', '-16')))
          .concat(months(2023).map((date) => date.replace('-15', '-17'))),
      ),
    });
    expect(score.subtotals.penalties).toBe(-37);
    expect(score.subtotals.deductions).toBe(-36);
    expect(score.subtotals.clamp).toBe(13);
    expect(score.total).toBe(0);
    expect(score.band).toBe('不称职');
    expect(score.explanation.at(-1)).toMatchObject({ kind: 'clamp', points: 13, label: '合计-13分，低于0分，按0分计' });
    expectExplained(score);
  });

  it('does not score a year no rules applied to', () => {
    const score = scoreYear({ year: 2016, held: { from: '2016-11-20', to: '2016-12-31' }, rules: BOTH, records: many('suggestion', ['2016-12-01']) });
    expect(score.total).toBeNull();
    expect(score.band).toBeNull();
    expect(score.explanation).toEqual([expect.objectContaining({ kind: 'unscored', points: 0, records: [expect.objectContaining({ date: '2016-12-01' })] })]);
  });
});

describe('several rule versions', () => {
  const midYear = version(SCORING_RULES_2024, 2, '2023-07-01');
  const straddling: RulesChoice = { inForce: [V2021, midYear] };

  it('scores each act under the version in force on its date, with one running cap per act kind', () => {
    const suggestions = many('suggestion', ['2023-01-10', '2023-02-10', '2023-03-10', '2023-04-10', '2023-05-10', '2023-06-10', '2023-08-10', '2023-09-10']);
    const score = scoreYear({ year: 2023, held: FULL_2023, rules: straddling, records: suggestions });
    const lines = score.explanation.filter((candidate) => candidate.act === 'suggestion');
    expect(lines.map((candidate) => [candidate.rules!.version, candidate.points])).toEqual([
      [1, 15],
      [2, 5],
    ]);
    expect(lines[1]!.records.map((traced) => traced.points)).toEqual([4, 1]);
    expect(lines[1]!.label).toBe('提出建议2次×4分，达年度上限20分，计5分［《代表履职监督量化评价暂行办法》第2版］');
    expect(score.rules).toMatchObject({ version: 2 }); // base, maximum and bands: the version in force at the year's end
    expect(score.rulesApplied.map((ref) => ref.version).sort()).toEqual([1, 2]);
    expectExplained(score);
  });

  it('checks each period’s duties under the version in force at the period’s end', () => {
    const score = scoreYear({ year: 2023, held: FULL_2023, rules: straddling, records: dutiful(2023) });
    const pairing = score.duties.find((duty) => duty.id === 'quarterly-pairing')!;
    expect(pairing).toMatchObject({ core: false, met: 0, missed: 2 });
    expect(pairing.periods.map((period) => period.period)).toEqual(['2023-Q3', '2023-Q4']);
    expect(line(score, 'penalty', 'quarterly-pairing')!.label).toBe(
      '未完成“结队帮带”（X项）：2023年第3季度应1次、实际0次，扣1分；当季度结队帮带活动1次即可［《代表履职监督量化评价暂行办法》第2版］',
    );
    expectExplained(score);
  });

  it('scores every act under one chosen version for comparison', () => {
    const records = many('suggestion', ['2023-03-10']);
    const inForce = scoreYear({ year: 2023, held: FULL_2023, rules: BOTH, records });
    const compared = scoreYear({ year: 2023, held: FULL_2023, rules: { only: V2024 }, records });
    expect(line(inForce, 'points', 'suggestion')!.points).toBe(3);
    expect(line(compared, 'points', 'suggestion')!.points).toBe(4);
    expect(compared.duties.some((duty) => duty.id === 'quarterly-pairing')).toBe(true);
    expect(compared.rules).toMatchObject({ version: 2 });
  });

  it('after a repeal, lists the acts no rules applied to and scores the rest under the last version', () => {
    const repealed: RulesChoice = { inForce: [version(SCORING_RULES_2021, 1, '2017-01-01', '2023-07-01')] };
    const records = many('suggestion', ['2023-03-10', '2023-09-10']);
    const score = scoreYear({ year: 2023, held: FULL_2023, rules: repealed, records });
    expect(score.rules).toMatchObject({ version: 1 });
    expect(line(score, 'points', 'suggestion')!.records.map((traced) => traced.date)).toEqual(['2023-03-10']);
    expect(score.explanation.find((candidate) => candidate.kind === 'unscored')).toMatchObject({
      points: 0,
      records: [expect.objectContaining({ date: '2023-09-10' })],
    });
    expect(score.duties.find((duty) => duty.id === 'monthly-station-visit')!.periods.at(-1)!.period).toBe('2023-06');
    expectExplained(score);
  });
});

describe('every score', () => {
  it('is explained line by line, stays within [0, max] and sits in its band', () => {
    const day = fc.integer({ min: 0, max: 364 }).map((offset) => new Date(Date.UTC(2023, 0, 1 + offset)).toISOString().slice(0, 10));
    const records = fc.array(fc.tuple(fc.constantFrom(...ACT_KINDS), day), { maxLength: 120 });
    const heldSpan = fc.tuple(day, day).map(([a, b]) => (a <= b ? { from: a, to: b } : { from: b, to: a }));
    const choice = fc.constantFrom<RulesChoice>(BOTH, { inForce: [V2021, version(SCORING_RULES_2024, 2, '2023-05-17')] }, { only: V2024 });
    fc.assert(
      fc.property(records, heldSpan, choice, (acts, held, rules) => {
        const score = scoreYear({ year: 2023, held, rules, records: acts.map(([act, date]) => record(act, date)) });
        expectExplained(score);
        expect(score.total).toBeGreaterThanOrEqual(0);
        expect(score.total).toBeLessThanOrEqual(100);
        const deciding = score.rules!.version === 2 ? SCORING_RULES_2024 : SCORING_RULES_2021;
        expect(score.band).toBe(score.held.share < 0.5 ? null : bandOf(deciding, score.total!));
        for (const candidate of score.explanation.filter((entry) => entry.kind === 'points' || entry.kind === 'deduction')) {
          expect(candidate.records.reduce((sum, traced) => sum + cents(traced.points), 0)).toBe(cents(candidate.points));
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('a year split at a term change (a re-elected deputy)', () => {
  const CLOSE = '2023-11-19';
  const OPEN = '2023-11-20';
  /** Scores each mandate's part of 2023 on its own records, as the read model does, then the year from the parts. */
  const split = (parts: { termNumber: number; from: string; to: string }[], records: CountedRecord[], until?: string) => {
    const scored = parts.map((part, index) => ({
      mandateId: `m${index}`,
      termId: `t${part.termNumber}`,
      termNumber: part.termNumber,
      score: scoreYear({
        year: 2023,
        held: part,
        rules: BOTH,
        records: records.filter((candidate) => part.from <= candidate.date && candidate.date <= part.to),
        until,
      }),
    }));
    return { scored, year: splitYear({ year: 2023, parts: scored, rules: BOTH, until }) };
  };
  const expectYearExplained = (year: SplitYearScore) => expect(year.explanation.reduce((sum, entry) => sum + cents(entry.points), 0)).toBe(cents(year.total!));
  const earned = (score: YearScore) => cents(score.subtotals.points) + cents(score.subtotals.deductions) + cents(score.subtotals.penalties);

  it('given a deputy re-elected on 20 November, shows each part with its own days, duties, acts and score', () => {
    const records = dutiful(2023);
    const { scored, year } = split(
      [
        { termNumber: 17, from: '2023-01-01', to: CLOSE },
        { termNumber: 18, from: OPEN, to: '2023-12-31' },
      ],
      records,
    );
    const [before, after] = year.parts;
    expect(before).toMatchObject({ mandateId: 'm0', termNumber: 17, label: '第十七届部分（1月1日–11月19日）' });
    expect(after).toMatchObject({ mandateId: 'm1', termNumber: 18, label: '第十八届部分（11月20日–12月31日）' });
    expect(before!.score.held).toMatchObject({ from: '2023-01-01', to: CLOSE, days: 323 });
    expect(after!.score.held).toMatchObject({ from: OPEN, to: '2023-12-31', days: 42 });

    // Duties due in each part, pro-rated to the days of each period it held: November is shared.
    const stationVisits = (score: YearScore) => score.duties.find((duty) => duty.id === 'monthly-station-visit')!.periods;
    expect(stationVisits(before!.score).map((period) => period.period)).toEqual(months(2023, 1, 11).map((date) => date.slice(0, 7)));
    expect(stationVisits(after!.score).map((period) => [period.period, period.from, period.to])).toEqual([
      ['2023-11', OPEN, '2023-11-30'],
      ['2023-12', '2023-12-01', '2023-12-31'],
    ]);
    expect(stationVisits(before!.score).at(-1)!.share).toBeCloseTo(19 / 30, 6);
    expect(stationVisits(after!.score)[0]!.share).toBeCloseTo(11 / 30, 6);
    // The visit of 15 November met November for the old term only; the new term's days of November had none.
    expect(stationVisits(before!.score).at(-1)).toMatchObject({ met: true, count: 1 });
    expect(stationVisits(after!.score)[0]).toMatchObject({ met: false, count: 0, penalty: 0.37 });
    const yearly = (score: YearScore, id: string) => score.duties.find((duty) => duty.id === id)!.periods[0]!;
    // The annual report of 10 December counts on the new term's side; the old term's part had none.
    expect(yearly(after!.score, 'yearly-duty-report')).toMatchObject({ met: true, count: 1 });
    expect(yearly(before!.score, 'yearly-duty-report')).toMatchObject({ met: false, share: 323 / 365 });

    // Acts counted on the side of the change they were done on, each once.
    const traced = (score: YearScore) => score.explanation.filter((entry) => entry.kind === 'points').flatMap((entry) => entry.records.map((row) => row.date));
    expect(traced(before!.score).every((date) => date <= CLOSE)).toBe(true);
    expect(traced(after!.score).every((date) => date >= OPEN)).toBe(true);
    expect(traced(before!.score).length + traced(after!.score).length).toBe(records.length);

    // Each part is explained and has no band of its own; the year is banded as a whole.
    for (const part of year.parts) {
      expectExplained(part.score);
      expect(part.score).toMatchObject({ band: null, bandWithheld: 'term-change' });
    }
    expect(scored.map((part) => part.score.total)).toEqual(year.parts.map((part) => part.score.total));
    expect(year.held).toMatchObject({ from: '2023-01-01', to: '2023-12-31', days: 365, share: 1 });
    expect(cents(year.total!)).toBe(6000 + earned(scored[0]!.score) + earned(scored[1]!.score));
    expect(year.band).toBe(bandOf(SCORING_RULES_2021, year.total!));
    expect(year).toMatchObject({ provisional: false, bandWithheld: null });
    expect(year.explanation.map((entry) => [entry.kind, entry.mandateId ?? null])).toEqual([
      ['base', null],
      ['part', 'm0'],
      ['part', 'm1'],
    ]);
    expect(year.explanation[1]!.label).toMatch(/^第十七届部分（1月1日–11月19日）：任职323天，加分\+[\d.]+、扣分0、未完成履职清单-[\d.]+，计[+-][\d.]+分$/);
    expectYearExplained(year);
    expect(year.dutiesMet + year.dutiesMissed).toBe(scored.reduce((sum, part) => sum + part.score.dutiesMet + part.score.dutiesMissed, 0));
  });

  it('given a gap in the year, carries what the parts earned to a whole year: the parts’ scores weighted by their days', () => {
    const records = [...dutiful(2023), ...many('suggestion', ['2023-12-05', '2023-12-06'])];
    const { scored, year } = split(
      [
        { termNumber: 17, from: '2023-01-01', to: '2023-07-31' },
        { termNumber: 18, from: OPEN, to: '2023-12-31' },
      ],
      records,
    );
    const share = (212 + 42) / 365;
    expect(year.held).toMatchObject({ days: 254, share });
    const sum = earned(scored[0]!.score) + earned(scored[1]!.score);
    const proRata = year.explanation.find((entry) => entry.kind === 'pro-rata')!;
    expect(cents(proRata.points)).toBe(Math.round(sum / share) - sum);
    expect(proRata.label).toContain('两届合计任职254天');
    expect(cents(year.total!)).toBe(6000 + Math.round(sum / share));
    // The same figure, days-weighted: each part carried to a whole year (base + earned ÷ its share), weighted by its days.
    const weighted =
      scored.reduce((sum, part) => sum + part.score.held.days * (6000 + earned(part.score) / part.score.held.share), 0) /
      scored.reduce((sum, part) => sum + part.score.held.days, 0);
    expect(Math.abs(cents(year.total!) - weighted)).toBeLessThanOrEqual(1);
    expect(year.band).not.toBeNull();
    expectYearExplained(year);
  });

  it('given less than half the year held in all, scores it as earned with no band', () => {
    const { year } = split(
      [
        { termNumber: 17, from: '2023-01-01', to: '2023-02-28' },
        { termNumber: 18, from: OPEN, to: '2023-12-31' },
      ],
      dutiful(2023),
    );
    expect(year).toMatchObject({ band: null, bandWithheld: 'part-year' });
    expect(year.explanation.some((entry) => entry.kind === 'pro-rata')).toBe(false);
    expectYearExplained(year);
  });

  it('given the year still running on the view’s day, scores it so far with no band, nor any for its parts', () => {
    const { year } = split(
      [
        { termNumber: 17, from: '2023-01-01', to: CLOSE },
        { termNumber: 18, from: OPEN, to: '2023-12-31' },
      ],
      dutiful(2023).filter((candidate) => candidate.date < '2023-12-04'),
      '2023-12-04',
    );
    expect(year).toMatchObject({ provisional: true, band: null, bandWithheld: 'in-progress' });
    expect(year.parts.map((part) => part.score.bandWithheld)).toEqual(['in-progress', 'in-progress']);
    // The new term's December is still running: not missed.
    expect(year.parts[1]!.score.duties.find((duty) => duty.id === 'monthly-station-visit')!.periods[1]).toMatchObject({ pending: true, penalty: 0 });
    expectYearExplained(year);
  });

  it('always adds up: base, the parts and the carry, clamped to [0, max], banded from the whole when over and half held', () => {
    const day = fc.integer({ min: 0, max: 364 }).map((offset) => new Date(Date.UTC(2023, 0, 1 + offset)).toISOString().slice(0, 10));
    const records = fc.array(fc.tuple(fc.constantFrom(...ACT_KINDS), day), { maxLength: 120 });
    fc.assert(
      fc.property(
        records,
        fc.tuple(day, day, day).map((days) => days.sort()),
        (acts, [start, close, end]) => {
          fc.pre(close < end);
          const open = new Date(Date.parse(`${close}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
          const { scored, year } = split(
            [
              { termNumber: 17, from: start, to: close },
              { termNumber: 18, from: open, to: end },
            ],
            acts.map(([act, date]) => record(act, date)),
          );
          expectYearExplained(year);
          expect(year.total).toBeGreaterThanOrEqual(0);
          expect(year.total).toBeLessThanOrEqual(100);
          const share = year.held.share;
          const sum = earned(scored[0]!.score) + earned(scored[1]!.score);
          const raw = 6000 + (share >= 0.5 ? Math.round(sum / share) : sum);
          expect(cents(year.total!)).toBe(Math.min(10000, Math.max(0, raw)));
          const deciding = year.rules!.version === 2 ? SCORING_RULES_2024 : SCORING_RULES_2021;
          expect(year.band).toBe(share < 0.5 ? null : bandOf(deciding, year.total!));
        },
      ),
      { numRuns: 150 },
    );
  });
});
