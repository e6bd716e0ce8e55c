import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TEAMS, bandsYear, monthSpan, periodLabel, pivotTeamTownship, reportYear, scopeFor, selectableYears, termComparison } from './dashboard';

const t17 = { termId: 't17', number: 17, from: '2016-11-20', to: '2021-11-19' };
const t18 = { termId: 't18', number: 18, from: '2021-11-20', to: '2026-11-19' };

describe('the dashboard’s scope', () => {
  it('asks for a term by id and a year by its first and last day', () => {
    expect(scopeFor(undefined, undefined)).toEqual({});
    expect(scopeFor(t18, undefined)).toEqual({ termId: 't18' });
    expect(scopeFor(t18, 2024)).toEqual({ termId: 't18', from: '2024-01-01', to: '2024-12-31' });
    expect(scopeFor(undefined, 2019)).toEqual({ from: '2019-01-01', to: '2019-12-31' });
  });

  it('spans the monthly chart over the year or term, never past the view’s month', () => {
    expect(monthSpan(undefined, undefined, '2026-11-26')).toEqual({});
    expect(monthSpan(undefined, 2024, '2026-11-26')).toEqual({ from: '2024-01', to: '2024-12' });
    expect(monthSpan(undefined, 2026, '2026-11-26')).toEqual({ from: '2026-01', to: '2026-11' });
    expect(monthSpan(t17, undefined, '2026-11-26')).toEqual({ from: '2016-11', to: '2021-11' });
    expect(monthSpan(t18, 2021, '2026-11-26')).toEqual({ from: '2021-11', to: '2021-12' });
    expect(monthSpan(t18, undefined, '2019-06-30')).toEqual({ from: '2021-11', to: '2021-11' });
  });

  it('offers the years of the term (or all terms) up to the view’s year', () => {
    expect(selectableYears([t18, t17], undefined, '2026-11-26')).toEqual([2026, 2025, 2024, 2023, 2022, 2021, 2020, 2019, 2018, 2017, 2016]);
    expect(selectableYears([t18, t17], t17, '2026-11-26')).toEqual([2021, 2020, 2019, 2018, 2017, 2016]);
    expect(selectableYears([t18, t17], undefined, '2019-06-30')).toEqual([2019, 2018, 2017, 2016]);
    expect(selectableYears([], undefined, '2026-11-26')).toEqual([2026]);
  });

  it('shows the stations’ compliance for the chosen year, else the term’s last year, else the view’s', () => {
    expect(reportYear(undefined, 2020, '2026-11-26')).toBe(2020);
    expect(reportYear(t17, undefined, '2026-11-26')).toBe(2021);
    expect(reportYear(t18, undefined, '2024-06-30')).toBe(2024);
    expect(reportYear(undefined, undefined, '2026-11-26')).toBe(2026);
  });

  it('shows score bands for the chosen year, else the last year that is over (in the term chosen)', () => {
    expect(bandsYear(undefined, 2026, '2026-11-26')).toBe(2026);
    expect(bandsYear(undefined, undefined, '2026-11-26')).toBe(2025);
    expect(bandsYear(t17, undefined, '2026-11-26')).toBe(2021);
    expect(bandsYear(t18, undefined, '2024-06-30')).toBe(2023);
    // A term in its first year has no year over yet: its running year, without bands.
    expect(bandsYear(t18, undefined, '2021-12-15')).toBe(2021);
  });
});

describe('the team × township table', () => {
  it('puts townships in rows (county level last) and teams in columns, with totals', () => {
    const pivot = pivotTeamTownship([
      { team: 'DEPUTY', township: '岳阳镇', personTimes: 10 },
      { team: 'TOWNSHIP_CHAIR', township: '岳阳镇', personTimes: 2 },
      { team: 'COMMITTEE', township: null, personTimes: 7 },
      { team: 'DEPUTY', township: '周礼镇', personTimes: 4 },
    ]);
    expect(pivot.teams).toEqual([...TEAMS]);
    expect(pivot.townships).toHaveLength(3);
    expect(pivot.townships.at(-1)).toBeNull();
    expect(pivot.cell('岳阳镇', 'DEPUTY')).toBe(10);
    expect(pivot.cell('岳阳镇', 'STAFF')).toBe(0);
    expect(pivot.rowTotal('岳阳镇')).toBe(12);
    expect(pivot.columnTotal('DEPUTY')).toBe(14);
    expect(pivot.total).toBe(23);
  });

  it('adds a column for records without a mandate only when there are some', () => {
    expect(pivotTeamTownship([{ team: null, township: '周礼镇', personTimes: 1 }]).teams).toEqual([...TEAMS, null]);
  });

  it('keeps every person-time: rows, columns and cells all add up to the total', () => {
    const team = fc.constantFrom(...TEAMS, null);
    const township = fc.constantFrom('周礼镇', '岳阳镇', '石桥铺镇', null);
    fc.assert(
      fc.property(fc.array(fc.record({ team, township, personTimes: fc.nat(1000) }), { maxLength: 40 }), (rows) => {
        const pivot = pivotTeamTownship(rows);
        const total = rows.reduce((sum, row) => sum + row.personTimes, 0);
        expect(pivot.total).toBe(total);
        expect(pivot.townships.reduce((sum, name) => sum + pivot.rowTotal(name), 0)).toBe(total);
        expect(pivot.teams.reduce((sum, name) => sum + pivot.columnTotal(name), 0)).toBe(total);
        let cells = 0;
        for (const name of pivot.townships) for (const column of pivot.teams) cells += pivot.cell(name, column);
        expect(cells).toBe(total);
      }),
    );
  });
});

describe('the term comparison', () => {
  it('puts each term’s person-times per act side by side, oldest term first, zero where a term has none', () => {
    const comparison = termComparison([
      { term: 18, act: 'TRAINING', personTimes: 5 },
      { term: 17, act: 'TRAINING', personTimes: 7 },
      { term: 17, act: 'INSPECTION', personTimes: 2 },
      { term: null, act: 'TRAINING', personTimes: 100 },
      { term: 18, act: null, personTimes: 100 },
    ]);
    expect(comparison).toEqual({
      acts: ['INSPECTION', 'TRAINING'],
      terms: [
        { term: 17, values: [2, 7] },
        { term: 18, values: [0, 5] },
      ],
    });
    expect(termComparison([])).toEqual({ acts: [], terms: [] });
  });

  it('keeps every person-time of a row with a term and an act', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ term: fc.constantFrom(16, 17, 18), act: fc.constantFrom('A', 'B', 'C'), personTimes: fc.nat(1000) })), (rows) => {
        const { terms } = termComparison(rows);
        const kept = terms.reduce((sum, term) => sum + term.values.reduce((a, b) => a + b, 0), 0);
        expect(kept).toBe(rows.reduce((sum, row) => sum + row.personTimes, 0));
      }),
    );
  });
});

describe('compliance periods', () => {
  it('labels months, quarters and the year in both languages', () => {
    expect(['2024-03', '2024-12', '2024-Q1', '2024-Q4', '2024'].map((period) => periodLabel(period, 'zh-CN'))).toEqual([
      '3月',
      '12月',
      '一季度',
      '四季度',
      '全年',
    ]);
    expect(['2024-03', '2024-Q2', '2024'].map((period) => periodLabel(period, 'en'))).toEqual(['Mar', 'Q2', 'Year']);
  });
});
