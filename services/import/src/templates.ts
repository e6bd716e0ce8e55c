/**
 * The templates to download (下载模板): a 填写说明 sheet, one sheet per kind of row with Chinese
 * headers, and drop-down lists (levels, teams, types — and the county's own townships, terms and
 * stations) kept on a hidden 选项 sheet, so a list may be longer than Excel's 255 characters.
 */
import ExcelJS from 'exceljs';
import { HELP_SHEET, LISTS_SHEET, SHEETS, columnLetter, type Column } from './sheets.ts';

export type TemplateKind = 'roster' | 'history';

export const TEMPLATE_TITLES: Record<TemplateKind, string> = { roster: '花名册导入模板', history: '履职台账导入模板' };

export interface TemplateLists {
  townships: readonly string[];
  terms: readonly number[];
  stations: readonly string[];
}

/** Rows of each sheet that carry the drop-down lists. */
const VALIDATED_ROWS = 2000;

export async function buildTemplate(kind: TemplateKind, lists: TemplateLists): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'yingpan';
  const sheets = SHEETS.filter((sheet) => sheet.template === kind);
  const help = workbook.addWorksheet(HELP_SHEET);
  help.columns = [
    { header: '工作表', key: 'sheet', width: 14 },
    { header: '列', key: 'column', width: 16 },
    { header: '必填', key: 'required', width: 8 },
    { header: '填写说明', key: 'note', width: 80 },
  ];
  help.getRow(1).font = { bold: true };
  help.addRow({
    sheet: TEMPLATE_TITLES[kind],
    column: '',
    required: '',
    note: '在各工作表的第 2 行起填写，一行一条；不要改表头，不要合并单元格。日期写成 2024-03-15。',
  });
  help.addRow({
    sheet: '',
    column: '',
    required: '',
    note: '导入前可先“检查”：每个问题会指出工作表、行、列和原因；全部无误才会导入（也可选择只导入无误的行）。同一文件导入两次不会重复登记。',
  });
  for (const sheet of sheets) {
    help.addRow({ sheet: sheet.name, column: '', required: '', note: sheet.about }).font = { bold: true };
    for (const column of sheet.columns) help.addRow({ sheet: '', column: column.header, required: column.required ? '是' : '', note: column.note });
  }

  // The lists, one column each, on a hidden sheet.
  const listSheet = workbook.addWorksheet(LISTS_SHEET, { state: 'hidden' });
  const listColumns = new Map<string, string>();
  const addList = (name: string, values: readonly (string | number)[]) => {
    const index = listColumns.size + 1;
    listSheet.getCell(1, index).value = name;
    values.forEach((value, at) => {
      listSheet.getCell(at + 2, index).value = value;
    });
    const letter = columnLetter(index);
    listColumns.set(name, `'${LISTS_SHEET}'!$${letter}$2:$${letter}$${Math.max(2, values.length + 1)}`);
  };
  const listOf = (column: Column): string | null => {
    if (column.type !== 'list') return null;
    const name = typeof column.choices === 'string' ? column.choices : column.header;
    if (!listColumns.has(name)) {
      const values =
        column.choices === 'townships'
          ? lists.townships
          : column.choices === 'terms'
            ? lists.terms
            : column.choices === 'stations'
              ? lists.stations
              : (column.choices ?? []);
      addList(name, values);
    }
    return listColumns.get(name)!;
  };

  for (const sheet of sheets) {
    const worksheet = workbook.addWorksheet(sheet.name, { views: [{ state: 'frozen', ySplit: 1 }] });
    worksheet.columns = sheet.columns.map((column) => ({
      header: column.required ? `${column.header}` : column.header,
      key: column.key,
      width: column.width ?? 14,
    }));
    const header = worksheet.getRow(1);
    header.font = { bold: true };
    sheet.columns.forEach((column, index) => {
      const cell = header.getCell(index + 1);
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: column.required ? 'FFFCE4D6' : 'FFEDEDED' } };
      cell.note = `${column.required ? '必填。' : ''}${column.note}`;
      const letter = columnLetter(index + 1);
      const formula = listOf(column);
      // Free-typed lists (the county's townships, terms, stations) warn; fixed lists refuse other values.
      const open = typeof column.choices === 'string';
      for (let row = 2; row <= VALIDATED_ROWS; row++) {
        const address = `${letter}${row}`;
        if (formula) {
          (worksheet as unknown as { dataValidations: { add(address: string, validation: ExcelJS.DataValidation): void } }).dataValidations.add(address, {
            type: 'list',
            allowBlank: !column.required,
            formulae: [formula],
            showErrorMessage: true,
            errorStyle: open ? 'warning' : 'stop',
            errorTitle: column.header,
            error: open ? `「${column.header}」不在列表中，确认无误可继续` : `请从下拉列表中选择${column.header}`,
          });
        } else if (column.type === 'date') {
          worksheet.getCell(address).numFmt = 'yyyy-mm-dd';
        }
      }
    });
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
