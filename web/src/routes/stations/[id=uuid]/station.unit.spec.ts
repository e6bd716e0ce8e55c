import { describe, expect, it } from 'vitest';
import { columnGroups, complianceYears, metPerColumn, opinionTone, periodKind, lastDayOf, receptionCalendar, rowCells, shiftMonth } from './station';

const periods = [
  ...Array.from({ length: 12 }, (_, index) => ({ period: `2024-${String(index + 1).padStart(2, '0')}`, dutyLabel: '月进站' })),
  ...[1, 2, 3, 4].map((quarter) => ({ period: `2024-Q${quarter}`, dutyLabel: '季回家' })),
  { period: '2024', dutyLabel: '年述职' },
];

describe('the compliance grid', () => {
  it('groups the columns by duty: 12 months, 4 quarters, the year', () => {
    expect(columnGroups(periods).map((group) => [group.dutyLabel, group.periods.length])).toEqual([
      ['月进站', 12],
      ['季回家', 4],
      ['年述职', 1],
    ]);
  });

  it('names each period by what it is', () => {
    expect(periodKind('2024-03')).toEqual({ kind: 'month', month: 3 });
    expect(periodKind('2024-Q2')).toEqual({ kind: 'quarter', quarter: 2 });
    expect(periodKind('2024')).toEqual({ kind: 'year' });
  });

  it('places a deputy’s cells under their columns, leaving gaps where they were not assigned', () => {
    const cells = [
      { period: '2024-Q1', dutyLabel: '季回家', status: 'MET' as const },
      { period: '2024-02', dutyLabel: '月进站', status: 'MISSED' as const },
    ];
    const row = rowCells(cells, periods);
    expect(row).toHaveLength(17);
    expect(row[1]?.status).toBe('MISSED');
    expect(row[12]?.status).toBe('MET');
    expect(row[0]).toBeNull();
    // A quarterly cell of another duty does not land under 季回家.
    expect(rowCells([{ period: '2024-Q1', dutyLabel: '接待选民', status: 'MET' as const }], periods)[12]).toBeNull();
  });

  it('counts the deputies who met each column', () => {
    const rows = [
      { cells: [{ period: '2024-01', dutyLabel: '月进站', status: 'MET' as const }] },
      {
        cells: [
          { period: '2024-01', dutyLabel: '月进站', status: 'MET' as const },
          { period: '2024', dutyLabel: '年述职', status: 'PENDING' as const },
        ],
      },
    ];
    const met = metPerColumn(rows, periods);
    expect(met[0]).toBe(2);
    expect(met[16]).toBe(0);
  });

  it('offers the years from the station’s opening to its closing or the view’s day', () => {
    expect(complianceYears('2016-11-20', null, '2019-06-30')).toEqual([2019, 2018, 2017, 2016]);
    expect(complianceYears('2016-11-20', '2018-03-01', '2026-11-26')).toEqual([2018, 2017, 2016]);
  });
});

describe('opinion statuses', () => {
  it('are coloured by how far the handling got', () => {
    expect(opinionTone('CLOSED')).toBe('ok');
    expect(opinionTone('ANSWERED')).toBe('info');
    expect(opinionTone('REOPENED')).toBe('bad');
    expect(opinionTone('REGISTERED')).toBe('warn');
  });
});

describe('the reception calendar', () => {
  const weekly = (day: number) => ({ day, repeat: 'WEEKLY' as const, startTime: '09:00', endTime: '11:30' });
  const monthly = (day: number) => ({ day, repeat: 'MONTHLY' as const, startTime: '14:00', endTime: '17:00' });

  it('lays a month out in weeks from Monday, completed with the neighbouring days', () => {
    // November 2026 begins on a Sunday and ends on a Monday.
    const weeks = receptionCalendar('2026-11', [], []);
    expect(weeks).toHaveLength(6);
    expect(weeks[0]![0]!.date).toBe('2026-10-26');
    expect(weeks[0]![6]).toMatchObject({ date: '2026-11-01', inMonth: true });
    expect(weeks.at(-1)![0]).toMatchObject({ date: '2026-11-30', inMonth: true });
    expect(weeks.at(-1)![6]).toMatchObject({ date: '2026-12-06', inMonth: false });
    expect(weeks.flat().filter((day) => day.inMonth)).toHaveLength(30);
  });

  it('puts each schedule’s slots on the days it was in force, and counts the receptions held', () => {
    const schedules = [
      { fromOn: '2026-01-01', toOn: '2026-11-15', slots: [weekly(3)] },
      { fromOn: '2026-11-16', toOn: null, slots: [weekly(5), monthly(20), monthly(31)] },
    ];
    const days = receptionCalendar('2026-11', schedules, ['2026-11-04', '2026-11-04', '2026-11-20', '2026-10-28']).flat();
    const on = (date: string) => days.find((day) => day.date === date)!;
    expect(on('2026-11-04')).toMatchObject({ slots: [weekly(3)], held: 2 }); // a Wednesday under the first schedule
    expect(on('2026-11-18').slots).toEqual([]); // Wednesday, but the second schedule has no Wednesday
    expect(on('2026-11-20').slots).toEqual([weekly(5), monthly(20)]); // Friday the 20th
    expect(on('2026-11-20').held).toBe(1);
    expect(on('2026-10-28')).toMatchObject({ inMonth: false, held: 1, slots: [weekly(3)] });
    // The 31st never comes in November.
    expect(days.some((day) => day.slots.some((slot) => slot.day === 31))).toBe(false);
  });

  it('steps from month to month across years', () => {
    expect(shiftMonth('2026-12', 1)).toBe('2027-01');
    expect(shiftMonth('2026-01', -1)).toBe('2025-12');
    expect(['2024-02', '2026-02', '2026-11', '2026-12'].map(lastDayOf)).toEqual(['2024-02-29', '2026-02-28', '2026-11-30', '2026-12-31']);
  });
});
