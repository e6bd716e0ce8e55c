import { describe, expect, it } from 'vitest';
import {
  bandTone,
  chineseNumber,
  countyDayEnd,
  countyDayStart,
  formatDateTime,
  formatInstant,
  formatPoints,
  formatScore,
  formatShare,
  termNumber,
} from './format';
import { termSpans, yearsBetween } from './terms';

describe('numbers as Chinese ordinals', () => {
  it('writes terms as they are printed: 第十七届, 第十八届, 第二十一届', () => {
    expect(chineseNumber(7)).toBe('七');
    expect(chineseNumber(10)).toBe('十');
    expect(chineseNumber(17)).toBe('十七');
    expect(chineseNumber(18)).toBe('十八');
    expect(chineseNumber(20)).toBe('二十');
    expect(chineseNumber(21)).toBe('二十一');
    expect(chineseNumber(120)).toBe('120');
    expect(termNumber('zh-CN', 18)).toBe('十八');
    expect(termNumber('en', 18)).toBe('18');
  });
});

describe('points and scores', () => {
  it('show their sign with a true minus and no floating-point noise', () => {
    expect(formatPoints(3)).toBe('+3');
    expect(formatPoints(-0.63)).toBe('−0.63');
    expect(formatPoints(0.1 + 0.2)).toBe('+0.3');
    expect(formatPoints(0)).toBe('0');
    expect(formatScore(33.71)).toBe('33.71');
    expect(formatScore(null)).toBe('—');
    expect(formatShare(0.885)).toBe('89%');
  });
});

describe('terms', () => {
  it('spans each term from its first day to its close, else its planned end, newest first', () => {
    const terms = termSpans([
      { termId: 't17', number: 17, startsOn: '2016-11-20', plannedEndOn: '2021-11-19', closedOn: '2021-11-18' },
      { termId: 't18', number: 18, startsOn: '2021-11-20', plannedEndOn: '2026-11-19', closedOn: null },
    ]);
    expect(terms).toEqual([
      { termId: 't18', number: 18, from: '2021-11-20', to: '2026-11-19' },
      { termId: 't17', number: 17, from: '2016-11-20', to: '2021-11-18' },
    ]);
    expect(termSpans([])).toEqual([]);
  });

  it('gives the years between two days, newest first', () => {
    expect(yearsBetween('2016-11-20', '2019-01-01')).toEqual([2019, 2018, 2017, 2016]);
  });
});

describe('bands, instants and county days', () => {
  it('gives each band its tone', () => {
    expect(['优秀', '称职', '基本称职', '不称职', null].map(bandTone)).toEqual(['ok', 'info', 'warn', 'bad', '']);
  });

  it('reads instants on the county’s clock (UTC+8) and leaves non-instants as written', () => {
    expect(formatInstant('2026-10-02T02:00:00.000Z')).toBe('2026-10-02 10:00:00');
    expect(formatInstant('2026-12-31T20:30:05Z')).toBe('2027-01-01 04:30:05');
    expect(formatInstant('soon')).toBe('soon');
  });

  it('writes a date and a 24-hour time as the reader’s language does', () => {
    // Noon UTC: the same calendar day in any time zone the browser may be in.
    expect(formatDateTime('zh-CN', '2026-12-06T12:00:00Z')).toMatch(/^2026\/12\/6 \d{2}:00:00$/);
    expect(formatDateTime('en', '2026-12-06T12:00:00Z')).toMatch(/^06\/12\/2026, \d{2}:00:00$/);
  });

  it('bounds a county day by the instants it starts and the next one starts', () => {
    expect(countyDayStart('2024-03-01')).toBe('2024-03-01T00:00:00+08:00');
    expect(countyDayEnd('2024-02-28')).toBe('2024-02-29T00:00:00+08:00');
    expect(countyDayEnd('2024-12-31')).toBe('2025-01-01T00:00:00+08:00');
  });
});
