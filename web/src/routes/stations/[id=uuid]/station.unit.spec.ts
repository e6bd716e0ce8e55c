import { describe, expect, it } from 'vitest';
import { columnGroups, complianceYears, metPerColumn, opinionTone, periodKind, rowCells } from './station';

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
      { cells: [{ period: '2024-01', dutyLabel: '月进站', status: 'MET' as const }, { period: '2024', dutyLabel: '年述职', status: 'PENDING' as const }] },
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
