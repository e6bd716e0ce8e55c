/**
 * Chart data → Apache ECharts options. Pure functions (no DOM, no echarts runtime), so the
 * pages' charts can be tested without a browser; `Chart.svelte` renders what they return.
 */
import type { EChartsCoreOption } from 'echarts/core';

export const CHART_FONT = "system-ui, -apple-system, 'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', 'WenQuanYi Micro Hei', sans-serif";
const INK = '#1f2933';
const MUTED = '#5f6b7a';
const LINE = '#d9dee5';
export const BAR = '#c8553d';

/** Colours of the rating bands, best first; a band past the palette takes the last colour. */
export const BAND_COLOURS = ['#1b7f3b', '#2563eb', '#d97706', '#b42318'];

/** Every month YYYY-MM from `from` to `to`, inclusive (empty when `to` is before `from`). */
export function monthRange(from: string, to: string): string[] {
  const parse = (month: string) => {
    const match = /^(\d{4})-(\d{2})$/.exec(month);
    if (!match) throw new Error(`not a month: ${month}`);
    return Number(match[1]) * 12 + Number(match[2]) - 1;
  };
  const months: string[] = [];
  for (let n = parse(from); n <= parse(to); n++) {
    months.push(`${Math.floor(n / 12)}-${String((n % 12) + 1).padStart(2, '0')}`);
  }
  return months;
}

export interface MonthValue {
  month: string;
  value: number;
}

/**
 * One value per month from `from` to `to` (default: the first and last month given), months
 * without a row count zero, rows for the same month add up, rows outside the range are left out.
 */
export function fillMonths(rows: readonly MonthValue[], from?: string, to?: string): MonthValue[] {
  const sorted = rows.map((row) => row.month).sort();
  const first = from ?? sorted[0];
  const last = to ?? sorted[sorted.length - 1];
  if (!first || !last) return [];
  const totals = new Map<string, number>();
  for (const row of rows) totals.set(row.month, (totals.get(row.month) ?? 0) + row.value);
  return monthRange(first, last).map((month) => ({ month, value: totals.get(month) ?? 0 }));
}

const base = (ariaLabel: string): EChartsCoreOption => ({
  aria: { enabled: true, label: { description: ariaLabel } },
  textStyle: { fontFamily: CHART_FONT, color: INK },
  animationDuration: 300,
  tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, textStyle: { fontFamily: CHART_FONT } },
});

const valueAxis = { type: 'value', minInterval: 1, axisLabel: { color: MUTED }, splitLine: { lineStyle: { color: LINE } } };

/** A category axis of labels, without ticks. */
const categoryAxis = (labels: readonly string[]) => ({
  type: 'category',
  data: labels,
  axisTick: { show: false },
  axisLine: { lineStyle: { color: LINE } },
  axisLabel: { color: INK },
});

export interface LabelledValue {
  label: string;
  value: number;
}

/**
 * Horizontal bars, largest at the top (the category axis runs bottom-up, so the order is
 * reversed); zero rows are left out.
 */
export function rankedBarOption(rows: readonly LabelledValue[], options: { seriesName: string; ariaLabel: string }): EChartsCoreOption {
  const ranked = rows.filter((row) => row.value > 0).sort((a, b) => b.value - a.value || a.label.localeCompare(b.label, 'zh-CN'));
  const bottomUp = [...ranked].reverse();
  return {
    ...base(options.ariaLabel),
    grid: { left: 8, right: 48, top: 8, bottom: 8, outerBoundsMode: 'same', outerBoundsContain: 'axisLabel' },
    // Each bar carries its value, so the value axis needs no labels of its own.
    xAxis: { ...valueAxis, axisLabel: { show: false } },
    yAxis: categoryAxis(bottomUp.map((row) => row.label)),
    series: [
      {
        type: 'bar',
        name: options.seriesName,
        data: bottomUp.map((row) => row.value),
        itemStyle: { color: BAR, borderRadius: [0, 3, 3, 0] },
        barMaxWidth: 18,
        label: { show: true, position: 'right', color: MUTED },
      },
    ],
  };
}

/** Person-times per month as a line over every month of the range (gaps filled with zero). */
export function monthlyLineOption(
  rows: readonly MonthValue[],
  options: { seriesName: string; ariaLabel: string; from?: string; to?: string },
): EChartsCoreOption {
  const months = fillMonths(rows, options.from, options.to);
  return {
    ...base(options.ariaLabel),
    tooltip: { trigger: 'axis', textStyle: { fontFamily: CHART_FONT } },
    grid: { left: 8, right: 16, top: 16, bottom: 8, outerBoundsMode: 'same', outerBoundsContain: 'axisLabel' },
    xAxis: {
      type: 'category',
      boundaryGap: false,
      data: months.map((row) => row.month),
      axisLine: { lineStyle: { color: LINE } },
      axisLabel: { color: MUTED, hideOverlap: true },
    },
    yAxis: valueAxis,
    series: [
      {
        type: 'line',
        name: options.seriesName,
        data: months.map((row) => row.value),
        smooth: false,
        showSymbol: months.length <= 24,
        lineStyle: { color: BAR, width: 2 },
        itemStyle: { color: BAR },
        areaStyle: { color: 'rgba(200, 85, 61, 0.12)' },
      },
    ],
  };
}

/** Mandates per rating band, best band first, each in its band colour, counts on the bars. */
export function bandBarOption(bands: readonly LabelledValue[], options: { seriesName: string; ariaLabel: string }): EChartsCoreOption {
  return {
    ...base(options.ariaLabel),
    grid: { left: 8, right: 16, top: 24, bottom: 8, outerBoundsMode: 'same', outerBoundsContain: 'axisLabel' },
    xAxis: categoryAxis(bands.map((band) => band.label)),
    yAxis: valueAxis,
    series: [
      {
        type: 'bar',
        name: options.seriesName,
        barMaxWidth: 56,
        data: bands.map((band, index) => ({
          value: band.value,
          itemStyle: { color: BAND_COLOURS[Math.min(index, BAND_COLOURS.length - 1)], borderRadius: [3, 3, 0, 0] },
        })),
        label: { show: true, position: 'top', color: INK },
      },
    ],
  };
}

/** Colours of the series of a comparison, oldest first (a series past the palette takes the last colour). */
export const SERIES_COLOURS = ['#2563eb', BAR, '#1b7f3b', '#d97706', '#7c3aed'];

export interface Series {
  name: string;
  /** One value per category, in the categories' order. */
  values: readonly number[];
}

/**
 * Horizontal bars side by side, one series per group (e.g. a term), categories ranked by their
 * total over the series, the largest at the top; categories that are zero in every series are left out.
 */
export function groupedBarOption(categories: readonly string[], series: readonly Series[], options: { ariaLabel: string }): EChartsCoreOption {
  const total = (index: number) => series.reduce((sum, one) => sum + (one.values[index] ?? 0), 0);
  const ranked = categories
    .map((label, index) => ({ label, index, total: total(index) }))
    .filter((category) => category.total > 0)
    .sort((a, b) => b.total - a.total || a.label.localeCompare(b.label, 'zh-CN'));
  const bottomUp = [...ranked].reverse();
  return {
    ...base(options.ariaLabel),
    legend: { top: 0, textStyle: { fontFamily: CHART_FONT, color: INK } },
    grid: { left: 8, right: 48, top: 32, bottom: 8, outerBoundsMode: 'same', outerBoundsContain: 'axisLabel' },
    xAxis: { ...valueAxis, axisLabel: { show: false } },
    yAxis: categoryAxis(bottomUp.map((category) => category.label)),
    series: series.map((one, index) => ({
      type: 'bar',
      name: one.name,
      data: bottomUp.map((category) => one.values[category.index] ?? 0),
      itemStyle: { color: SERIES_COLOURS[Math.min(index, SERIES_COLOURS.length - 1)], borderRadius: [0, 3, 3, 0] },
      barMaxWidth: 12,
      label: { show: true, position: 'right', color: MUTED, fontSize: 10 },
    })),
  };
}

export interface PeriodStanding {
  label: string;
  met: number;
  missed: number;
  pending: number;
}

/** Colours of met, missed and still-running periods. */
export const STANDING_COLOURS = { met: '#1b7f3b', missed: '#b42318', pending: '#c4cbd4' } as const;

/**
 * Stacked columns, one per period (in the order given): how many met the duty, missed it, or are
 * still within the period. `names` labels the three stacks (in the page's language).
 */
export function standingBarOption(
  periods: readonly PeriodStanding[],
  options: { ariaLabel: string; names: { met: string; missed: string; pending: string } },
): EChartsCoreOption {
  const stack = (key: keyof typeof STANDING_COLOURS) => ({
    type: 'bar',
    name: options.names[key],
    stack: 'standing',
    data: periods.map((period) => period[key]),
    itemStyle: { color: STANDING_COLOURS[key] },
    barMaxWidth: 28,
  });
  return {
    ...base(options.ariaLabel),
    legend: { top: 0, textStyle: { fontFamily: CHART_FONT, color: INK } },
    grid: { left: 8, right: 16, top: 32, bottom: 8, outerBoundsMode: 'same', outerBoundsContain: 'axisLabel' },
    xAxis: { ...categoryAxis(periods.map((period) => period.label)), axisLabel: { color: INK, interval: 0, fontSize: 11 } },
    yAxis: valueAxis,
    series: [stack('met'), stack('missed'), stack('pending')],
  };
}
