import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { translate, type Words } from '$lib/i18n';
import {
  bandText,
  defaultComparison,
  explainsTotal,
  explanationSum,
  monthDay,
  partMandates,
  parseRulesKey,
  periodStatus,
  pickYear,
  rulesKey,
  scoreDifference,
  scoringYears,
} from './scorecard';
import fixture from './scorecard.fixture.json';

describe('the explanation of a score', () => {
  it('adds up to the score shown, to the hundredth (a real scorecard from the demo county, with pro-rata penalties)', () => {
    expect(fixture.explanation.length).toBeGreaterThan(20);
    expect(fixture.explanation.some((line) => !Number.isInteger(line.points))).toBe(true);
    expect(explanationSum(fixture.explanation)).toBe(fixture.total);
    expect(explainsTotal(fixture.total, fixture.explanation)).toBe(true);
  });

  it('does not explain a score its lines do not add up to', () => {
    const lines = [...fixture.explanation, { points: -0.01 }];
    expect(explainsTotal(fixture.total, lines)).toBe(false);
    expect(explainsTotal(null, [])).toBe(true);
    expect(explainsTotal(null, [{ points: 60 }])).toBe(false);
  });

  it('sums lines in hundredths without floating-point drift, in any order', () => {
    const hundredths = fc.integer({ min: -10_000, max: 10_000 });
    fc.assert(
      fc.property(fc.array(hundredths, { maxLength: 40 }), (cents) => {
        const lines = cents.map((value) => ({ points: value / 100 }));
        const exact = cents.reduce((sum, value) => sum + value, 0) / 100;
        expect(explanationSum(lines)).toBeCloseTo(exact, 10);
        expect(explanationSum([...lines].reverse())).toBe(explanationSum(lines));
        expect(explainsTotal(exact, lines)).toBe(true);
      }),
    );
  });
});

describe('the years a scorecard can show', () => {
  const mandates = [
    { startsOn: '2016-11-20', plannedEndOn: '2021-11-19', validTo: '2021-11-19' },
    { startsOn: '2021-11-20', plannedEndOn: '2026-11-19', validTo: null },
  ];

  it('run from the first mandate to the last, never past the view’s day', () => {
    expect(scoringYears(mandates, '2026-11-26')).toEqual([2026, 2025, 2024, 2023, 2022, 2021, 2020, 2019, 2018, 2017, 2016]);
    expect(scoringYears(mandates, '2019-06-30')).toEqual([2019, 2018, 2017, 2016]);
    expect(scoringYears([], '2026-11-26')).toEqual([]);
  });

  it('keep the chosen year while it can be chosen, else the newest', () => {
    expect(pickYear([2019, 2018], 2018)).toBe(2018);
    expect(pickYear([2019, 2018], 2024)).toBe(2019);
    expect(pickYear([2019, 2018], null)).toBe(2019);
    expect(pickYear([], 2018)).toBeNull();
  });
});

describe('comparing with another version of the rules', () => {
  const regulation = 'fdaee366-5f84-5343-a9b8-52a1bcef00a1';
  const versions = [
    { regulationId: regulation, version: 1, title: '《代表履职监督量化评价暂行办法》', effectiveFrom: '2017-01-01' },
    { regulationId: regulation, version: 2, title: '《代表履职监督量化评价暂行办法》', effectiveFrom: '2024-01-01' },
    { regulationId: 'other', version: 1, title: '其他', effectiveFrom: '2020-01-01' },
  ];

  it('defaults to the version before the one applied, else the one after, and sends only its key', () => {
    expect(defaultComparison(versions, { regulationId: regulation, version: 2 })).toEqual({ regulationId: regulation, version: 1 });
    expect(defaultComparison(versions, { regulationId: regulation, version: 1 })).toEqual({ regulationId: regulation, version: 2 });
    expect(defaultComparison(versions, { regulationId: 'other', version: 1 })).toBeNull();
    expect(defaultComparison(versions, null)).toBeNull();
  });

  it('round-trips a version through the select’s value', () => {
    expect(parseRulesKey(rulesKey({ regulationId: regulation, version: 2 }))).toEqual({ regulationId: regulation, version: 2 });
    expect(parseRulesKey('')).toBeNull();
  });

  it('shows the difference the other version makes', () => {
    expect(scoreDifference(33.71, 37.25)).toBe(3.54);
    expect(scoreDifference(33, null)).toBeNull();
  });
});

describe('a duty period', () => {
  it('is met, missed, still running or not required', () => {
    expect(periodStatus({ met: true, required: 1 })).toBe('met');
    expect(periodStatus({ met: false, required: 1 })).toBe('missed');
    expect(periodStatus({ met: false, pending: true, required: 1 })).toBe('pending');
    expect(periodStatus({ met: true, pending: false, required: 1 })).toBe('met');
    expect(periodStatus({ met: true, required: 0 })).toBe('free');
  });
});

describe('a year’s band', () => {
  const t = (message: Words) => translate('zh-CN', message);
  it('is the band, else why there is none', () => {
    expect(bandText({ band: '称职', bandWithheld: null }, t)).toBe('称职');
    expect(bandText({ band: null, bandWithheld: 'IN_PROGRESS' }, t)).toBe('评价中');
    expect(bandText({ band: null, bandWithheld: 'PART_YEAR' }, t)).toBe('不评定等次');
    expect(bandText({ band: null, bandWithheld: null }, t)).toBe('未计分');
  });
});

describe('a year split at a term change', () => {
  it('heads each part with its days as the locale writes them', () => {
    expect([monthDay('2021-01-01', 'zh-CN'), monthDay('2021-11-19', 'zh-CN')]).toEqual(['1月1日', '11月19日']);
    expect(monthDay('2021-11-20', 'en')).toBe('20 Nov');
  });
  it('knows which mandates are parts, so they are not shown twice', () => {
    const parts = partMandates([{ parts: [{ mandateId: 'a' }, { mandateId: 'b' }] }]);
    expect([...parts]).toEqual(['a', 'b']);
    expect(partMandates([]).size).toBe(0);
  });
});
