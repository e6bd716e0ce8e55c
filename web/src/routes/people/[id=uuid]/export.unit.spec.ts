import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { workbookBytes } from '$lib/export';
import type { PersonScorecardQuery } from '$lib/gql/graphql';
import { scorecardSheets } from './export';
import fixture from './scorecard.fixture.json';

type MandateScore = PersonScorecardQuery['scorecard']['mandates'][number];

/** A scored mandate around the fixture's real explanation (28 lines adding up to its total). */
const MANDATE = {
  mandateId: 'm18',
  kind: 'DEPUTY',
  level: 'COUNTY',
  termNumber: 18,
  township: '石桥铺镇',
  score: fixture.total,
  band: null, // the year is still running: no band yet
  provisional: true,
  years: [
    {
      year: fixture.year,
      total: fixture.total,
      band: null,
      provisional: true,
      bandWithheld: 'IN_PROGRESS',
      dutiesMet: 3,
      dutiesMissed: 2,
      held: { from: '2026-01-01', to: '2026-12-31', share: 1, days: 365 },
      rules: { regulationId: 'r', version: 2, title: '《代表履职监督量化评价暂行办法》' },
      subtotals: { base: 60, points: 12.5, deductions: -1, penalties: -37.79, proRata: 0, clamp: 0 },
      duties: [
        {
          id: 'station-visit',
          label: '月进站',
          core: true,
          frequency: 'MONTHLY',
          met: 1,
          missed: 1,
          periods: [
            { period: '2026-01', label: '1月', met: true, pending: false, count: 2, required: 1, penalty: 0 },
            { period: '2026-02', label: '2月', met: false, pending: false, count: 0, required: 1, penalty: -2 },
            { period: '2026-12', label: '12月', met: false, pending: true, count: 0, required: 1, penalty: 0 },
          ],
        },
      ],
      explanation: fixture.explanation.map((line, index) => ({
        ...line,
        act: null,
        dutyId: null,
        period: null,
        records:
          index === 1
            ? [
                { recordId: 'a', position: 101, date: '2026-03-02', points: 0.5 },
                { recordId: 'b', position: 140, date: '2026-04-02', points: 0.5 },
              ]
            : [],
      })),
    },
  ],
} as unknown as MandateScore;

describe('the scorecard export', () => {
  it('writes the score, its explanation adding up to it, and the duties period by period', async () => {
    const sheets = scorecardSheets('赵涛荣', 2026, [MANDATE], 'zh-CN');
    expect(sheets.map((sheet) => sheet.name)).toEqual(['量化评价', '得分说明', '履职清单（8+X）完成情况']);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await workbookBytes(sheets));

    const summary = workbook.getWorksheet('量化评价')!;
    expect(summary.getCell('A1').value).toBe('赵涛荣 · 2026年 · 量化评价');
    expect(summary.getCell('A2').value).toMatch(/^评价中：年度尚未结束/);
    expect(summary.getRow(5).values).toEqual([
      undefined,
      '第十八届 · 人大代表 · 县级 · 石桥铺镇',
      fixture.total,
      '评价中',
      '2026-01-01 — 2026-12-31（100%）',
      '适用《代表履职监督量化评价暂行办法》第2版',
      3,
      2,
      60,
      12.5,
      -1,
      -37.79,
      0,
      0,
    ]);

    const explanation = workbook.getWorksheet('得分说明')!;
    const header = 4;
    expect(explanation.getCell(header + 1, 3).value).toBe(fixture.explanation[0]!.label);
    expect(explanation.getCell(header + 2, 5).value).toBe(2);
    expect(explanation.getCell(header + 2, 6).value).toBe('2026-03-02 #101，2026-04-02 #140');
    const footer = explanation.getRow(header + fixture.explanation.length + 1);
    expect(footer.getCell(1).value).toBe('合计');
    // The lines add up to the score, in the file as on the page.
    expect(footer.getCell(4).value).toBe(fixture.total);

    const duties = workbook.getWorksheet('履职清单（8+X）完成情况')!;
    // A title and a blank line (no notes), the header on row 3.
    expect(duties.getRow(4).values).toEqual([undefined, '第十八届 · 人大代表 · 县级 · 石桥铺镇', '月进站（基本项）', '1月', 1, 2, '已完成']);
    expect(duties.getCell('F5').value).toBe('未完成');
    expect(duties.getCell('F6').value).toBe('进行中');
  });

  it('follows the interface language', () => {
    const [summary] = scorecardSheets('Zhao', 2026, [MANDATE], 'en');
    expect(summary!.columns.map((column) => column.header)).toContain('Seat');
    expect(summary!.rows[0]!.seat).toBe('Term 18 · Deputy · County · 石桥铺镇');
  });
});
