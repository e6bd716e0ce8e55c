import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BAND_COLOURS,
  bandBarOption,
  fillMonths,
  groupedBarOption,
  monthRange,
  monthlyLineOption,
  rankedBarOption,
  STANDING_COLOURS,
  standingBarOption,
} from './charts';

type Series = { type: string; name: string; data: unknown[] };
const series = (option: Record<string, unknown>) => (option.series as Series[])[0]!;

describe('months', () => {
  it('spans years and includes both ends', () => {
    expect(monthRange('2016-11', '2017-02')).toEqual(['2016-11', '2016-12', '2017-01', '2017-02']);
    expect(monthRange('2024-05', '2024-05')).toEqual(['2024-05']);
    expect(monthRange('2024-05', '2024-04')).toEqual([]);
  });

  it('fills months without records with zero and adds up repeated months', () => {
    const rows = [
      { month: '2024-03', value: 5 },
      { month: '2024-01', value: 2 },
      { month: '2024-03', value: 1 },
    ];
    expect(fillMonths(rows)).toEqual([
      { month: '2024-01', value: 2 },
      { month: '2024-02', value: 0 },
      { month: '2024-03', value: 6 },
    ]);
    expect(fillMonths(rows, '2024-01', '2024-12')).toHaveLength(12);
    expect(fillMonths([])).toEqual([]);
  });

  it('keeps every person-time inside the range and none outside it', () => {
    const month = fc
      .record({ year: fc.integer({ min: 2016, max: 2026 }), month: fc.integer({ min: 1, max: 12 }) })
      .map(({ year, month }) => `${year}-${String(month).padStart(2, '0')}`);
    fc.assert(
      fc.property(fc.array(fc.record({ month, value: fc.nat(500) }), { minLength: 1, maxLength: 60 }), (rows) => {
        const filled = fillMonths(rows);
        const total = (list: { value: number }[]) => list.reduce((sum, row) => sum + row.value, 0);
        expect(total(filled)).toBe(total(rows));
        expect(new Set(filled.map((row) => row.month)).size).toBe(filled.length);
        const inside = rows.filter((row) => row.month >= '2020-01' && row.month <= '2021-06');
        expect(total(fillMonths(rows, '2020-01', '2021-06'))).toBe(total(inside));
      }),
    );
  });
});

describe('the person-times-by-act chart', () => {
  const option = rankedBarOption(
    [
      { label: '培训', value: 670 },
      { label: '提出议案', value: 9 },
      { label: '矛盾调解', value: 0 },
      { label: '进站履职', value: 609 },
    ],
    { seriesName: '人次', ariaLabel: '各类履职事项人次' },
  );

  it('puts the largest act at the top (the category axis runs bottom-up) and leaves out zeros', () => {
    expect((option.yAxis as { data: string[] }).data).toEqual(['提出议案', '进站履职', '培训']);
    expect(series(option).data).toEqual([9, 609, 670]);
    expect(series(option).type).toBe('bar');
  });

  it('describes itself for screen readers', () => {
    expect(option.aria).toEqual({ enabled: true, label: { description: '各类履职事项人次' } });
  });
});

describe('the monthly chart', () => {
  it('draws one point per month of the chosen span', () => {
    const option = monthlyLineOption([{ month: '2024-02', value: 7 }], { seriesName: '人次', ariaLabel: '逐月', from: '2024-01', to: '2024-04' });
    expect((option.xAxis as { data: string[] }).data).toEqual(['2024-01', '2024-02', '2024-03', '2024-04']);
    expect(series(option).data).toEqual([0, 7, 0, 0]);
    expect(series(option).type).toBe('line');
  });
});

describe('the score-band chart', () => {
  it('keeps the bands best first, each in its colour', () => {
    const option = bandBarOption(
      [
        { label: '优秀', value: 1 },
        { label: '称职', value: 4 },
        { label: '基本称职', value: 5 },
        { label: '不称职', value: 28 },
        { label: '旧等次', value: 2 },
      ],
      { seriesName: '等次', ariaLabel: '等次分布' },
    );
    expect((option.xAxis as { data: string[] }).data).toEqual(['优秀', '称职', '基本称职', '不称职', '旧等次']);
    const data = series(option).data as { value: number; itemStyle: { color: string } }[];
    expect(data.map((item) => item.value)).toEqual([1, 4, 5, 28, 2]);
    expect(data.map((item) => item.itemStyle.color)).toEqual([...BAND_COLOURS, BAND_COLOURS[3]]);
  });
});

describe('the term comparison chart', () => {
  const option = groupedBarOption(
    ['培训', '视察', '调研'],
    [
      { name: '第十七届', values: [7, 2, 0] },
      { name: '第十八届', values: [5, 0, 0] },
    ],
    { ariaLabel: '届次对比' },
  ) as any;

  it('ranks the acts by their total over the terms, the largest at the top, and leaves out acts no term has', () => {
    expect(option.yAxis.data).toEqual(['视察', '培训']);
    expect(option.series.map((series: any) => [series.name, series.data])).toEqual([
      ['第十七届', [2, 7]],
      ['第十八届', [0, 5]],
    ]);
  });

  it('names each term in the legend in its own colour', () => {
    expect(option.legend).toBeDefined();
    expect(new Set(option.series.map((series: any) => series.itemStyle.color)).size).toBe(2);
  });
});

describe('the compliance chart', () => {
  it('stacks met, missed and still-running per period, in the periods’ order', () => {
    const option = standingBarOption(
      [
        { label: '1月', met: 3, missed: 1, pending: 0 },
        { label: '一季度', met: 2, missed: 0, pending: 2 },
      ],
      { ariaLabel: '进站履职', names: { met: '已完成', missed: '未完成', pending: '进行中' } },
    ) as any;
    expect(option.xAxis.data).toEqual(['1月', '一季度']);
    expect(option.series.map((series: any) => [series.name, series.stack, series.data])).toEqual([
      ['已完成', 'standing', [3, 2]],
      ['未完成', 'standing', [1, 0]],
      ['进行中', 'standing', [0, 2]],
    ]);
    expect(option.series.map((series: any) => series.itemStyle.color)).toEqual([STANDING_COLOURS.met, STANDING_COLOURS.missed, STANDING_COLOURS.pending]);
  });
});
