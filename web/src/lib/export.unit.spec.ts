import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { buildWorkbook, displayWidth, fileName, sheetName, workbookBytes, type SheetSpec } from './export';

/** Reads an exported file back, as Excel would. */
async function readBack(bytes: ArrayBuffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes);
  return workbook;
}

const SHEET: SheetSpec = {
  name: '接待选民簿',
  title: '周礼镇人大代表之家 · 接待选民簿',
  notes: ['簿册覆盖 2016-11-20 至 2026-11-26'],
  columns: [
    { key: 'date', header: '日期' },
    { key: 'lead', header: '主持代表' },
    { key: 'voters', header: '接待人数', kind: 'number' },
  ],
  rows: [
    { date: '2026-05-05', lead: '余祥成', voters: 12 },
    { date: '2026-06-01', lead: null, voters: 3 },
  ],
  footer: { date: '合计', voters: 15 },
};

describe('the Excel export', () => {
  it('writes a title, notes, a bold frozen header, typed rows and a footer', async () => {
    const workbook = await readBack(await workbookBytes([SHEET], { title: '测试' }));
    const sheet = workbook.getWorksheet('接待选民簿')!;
    expect(sheet.getCell('A1').value).toBe('周礼镇人大代表之家 · 接待选民簿');
    expect(sheet.getCell('A1').font?.bold).toBe(true);
    expect(sheet.getCell('A2').value).toBe('簿册覆盖 2016-11-20 至 2026-11-26');
    // A blank line, then the header.
    expect(sheet.getRow(4).values).toEqual([undefined, '日期', '主持代表', '接待人数']);
    expect(sheet.getCell('A4').font?.bold).toBe(true);
    expect(sheet.getRow(5).values).toEqual([undefined, '2026-05-05', '余祥成', 12]);
    expect(typeof sheet.getCell('C5').value).toBe('number');
    expect(sheet.getCell('B6').value).toBeNull();
    expect(sheet.getRow(7).values).toEqual([undefined, '合计', undefined, 15]);
    expect(sheet.getCell('A7').font?.bold).toBe(true);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 4 });
    expect(sheet.autoFilter).toBeTruthy();
    // Chinese text is wide: the column is wide enough for it.
    expect(sheet.getColumn(2).width).toBeGreaterThanOrEqual(displayWidth('主持代表') + 2);
  });

  it('names tabs as Excel requires, and files as file systems allow', async () => {
    const used = new Set<string>();
    expect(sheetName('a/b:c', used)).toBe('a b c');
    expect(sheetName('A/B:C', used)).toBe('A B C-2');
    expect(sheetName('x'.repeat(40), used)).toHaveLength(31);
    expect(sheetName('', used)).toBe('Sheet');
    const workbook = await buildWorkbook([SHEET, SHEET]);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['接待选民簿', '接待选民簿-2']);
    expect(fileName('周礼镇/人大代表之家', 2026, null, '一册六簿')).toBe('周礼镇-人大代表之家-2026-一册六簿.xlsx');
    expect(fileName()).toBe('export.xlsx');
    expect(displayWidth('ab中文')).toBe(6);
  });

  it('makes a valid file of an empty sheet', async () => {
    const workbook = await readBack(await workbookBytes([{ name: 'empty', columns: [], rows: [] }]));
    expect(workbook.worksheets).toHaveLength(1);
  });
});
