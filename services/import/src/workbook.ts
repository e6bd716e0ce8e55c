/**
 * Reading an uploaded workbook: what kind of file it is, its sheets and headers, and each cell
 * normalised the way the office writes it — full-width digits and spaces, dates as dates, as text
 * or as Excel serial numbers, merged cells refused. Every problem names its sheet, row, column and
 * value with the reason in Chinese.
 */
import { createHash } from 'node:crypto';
import ExcelJS from 'exceljs';
import { HELP_SHEET, LISTS_SHEET, SHEETS, columnLetter, sheetSpec, type Column, type SheetSpec } from './sheets.ts';

/** The largest file taken: a county's roster is about 200 KB, twenty thousand rows of history a few MB. */
export const MAX_FILE_BYTES = 20 * 1024 * 1024;

export interface Problem {
  sheet: string;
  /** The row as the spreadsheet numbers it (1 = headers); 0 for the file as a whole. */
  row: number;
  /** The column's header, empty for the file or a whole row. */
  column: string;
  /** The cell, e.g. B7 (empty for the file or a whole row). */
  cell: string;
  /** The value as read, shown back to the user. */
  value: string;
  reason: string;
}

export interface NameRef {
  name: string;
  /** What tells namesakes apart, written after the name: 张三（1975） or 张三（城关镇）. */
  qualifier: string | null;
}

export type CellValue = string | number | boolean | NameRef[] | null;

export interface Row {
  sheet: SheetSpec;
  row: number;
  values: Record<string, CellValue>;
  /** The values as read (text), for reports. */
  shown: Record<string, string>;
}

export interface ReadWorkbook {
  sha256: string;
  bytes: number;
  rows: Row[];
  problems: Problem[];
  /** The sheets found, in the file's order. */
  sheets: string[];
}

const fileProblem = (reason: string, value = ''): Problem => ({ sheet: '', row: 0, column: '', cell: '', value, reason });

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** Full-width digits, letters and spaces to their plain forms, spaces trimmed and collapsed. */
export function normaliseText(text: string): string {
  return text.normalize('NFKC').replace(/\s+/g, ' ').trim();
}

/** A cell's value as text (rich text, formulas, hyperlinks and dates included). */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((part) => part.text).join('');
    if ('result' in value) return cellText((value.result ?? null) as ExcelJS.CellValue);
    if ('text' in value) return String(value.text);
    if ('error' in value) return String(value.error);
    return '';
  }
  return String(value);
}

const pad = (n: number) => String(n).padStart(2, '0');

function validDate(year: number, month: number, day: number): string | null {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  if (year < 1949 || year > 2100) return null;
  return `${year}-${pad(month)}-${pad(day)}`;
}

/** Excel's day numbers (1900 system, with its 1900-02-29): day 1 is 1900-01-01. */
function fromSerial(serial: number): string | null {
  if (!Number.isFinite(serial) || serial < 1 || serial > 80_000) return null;
  const date = new Date(Date.UTC(1899, 11, 30) + Math.floor(serial) * 86_400_000);
  return validDate(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate());
}

/** A date as a cell holds it: a date, a serial number, or text such as 2024-03-15, 2024/3/15, 2024.3.15, 2024年3月15日, 20240315. */
export function parseDate(value: ExcelJS.CellValue): { date: string } | { reason: string } {
  const unreadable = { reason: '日期无法识别，请写成 2024-03-15 这样的日期' };
  if (value instanceof Date) {
    // exceljs reads a date cell as that day's midnight UTC.
    return validDate(value.getUTCFullYear(), value.getUTCMonth() + 1, value.getUTCDate()) ? { date: value.toISOString().slice(0, 10) } : unreadable;
  }
  if (typeof value === 'number') {
    const date = fromSerial(value);
    return date ? { date } : unreadable;
  }
  const text = normaliseText(cellText(value));
  let match = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(text) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (match) {
    const date = validDate(Number(match[1]), Number(match[2]), Number(match[3]));
    return date ? { date } : { reason: '没有这一天，请检查年月日' };
  }
  match = /^\d{5}(\.\d+)?$/.exec(text);
  if (match) {
    const date = fromSerial(Number(text));
    if (date) return { date };
  }
  return unreadable;
}

/** A list of names as a sign-in sheet is typed: separated by 、 ， , ； ; or new lines; 张三（1975） carries what tells namesakes apart. */
export function parseNames(text: string): NameRef[] | { reason: string } {
  const parts = text
    .normalize('NFKC')
    .split(/[、,;；\n\r]+/)
    .map((part) => part.replace(/\s+/g, '').trim())
    .filter(Boolean);
  const names: NameRef[] = [];
  for (const part of parts) {
    const match = /^([^()]+)(?:\(([^()]+)\))?$/.exec(part);
    if (!match || match[1]!.length > 20) return { reason: `「${part}」不是一个姓名；姓名用顿号分开，同名时写成 张三（1975）` };
    names.push({ name: match[1]!, qualifier: match[2] ?? null });
  }
  if (names.length === 0) return { reason: '没有姓名' };
  return names;
}

function parseCell(column: Column, raw: ExcelJS.CellValue): { value: CellValue } | { reason: string } {
  const text = normaliseText(cellText(raw));
  if (text === '' && column.type !== 'date') return { value: null };
  switch (column.type) {
    case 'text':
      if (text.length > 200) return { reason: '内容过长（最多 200 字）' };
      return { value: text };
    case 'date': {
      if (text === '' && !(raw instanceof Date) && typeof raw !== 'number') return { value: null };
      const parsed = parseDate(raw);
      return 'date' in parsed ? { value: parsed.date } : parsed;
    }
    case 'year': {
      const year = Number(text.replace(/年$/, ''));
      if (!Number.isInteger(year) || year < 1900 || year > 2020) return { reason: '出生年份应是四位数字，如 1975' };
      return { value: year };
    }
    case 'number': {
      const number = Number(text.replace(/^第/, '').replace(/届$/, ''));
      if (!Number.isInteger(number) || number < 1 || number > 99) return { reason: '应是数字，如 18' };
      return { value: number };
    }
    case 'yes-no':
      if (['是', 'Y', 'y', 'yes', '1', 'TRUE', 'true'].includes(text)) return { value: true };
      if (['否', 'N', 'n', 'no', '0', 'FALSE', 'false'].includes(text)) return { value: false };
      return { reason: '请填 是 或 否' };
    case 'list': {
      if (column.choices === 'terms') {
        const number = Number(text.replace(/^第/, '').replace(/届$/, ''));
        if (!Number.isInteger(number) || number < 1 || number > 99) return { reason: '届次应是数字，如 18' };
        return { value: number };
      }
      if (Array.isArray(column.choices) && !column.choices.includes(text)) return { reason: `请从下拉列表中选择：${column.choices.join('、')}` };
      return { value: text };
    }
    case 'names': {
      const names = parseNames(text);
      return Array.isArray(names) ? { value: names } : names;
    }
  }
}

/** The sheet's merged ranges, e.g. ["A2:A5"]. */
function mergesOf(worksheet: ExcelJS.Worksheet): string[] {
  const merges = (worksheet as unknown as { model: { merges?: string[] } }).model.merges;
  return merges ?? [];
}

/** Reads a workbook's bytes: the kind of file, its sheets, headers and every cell. Nothing is looked up. */
export async function readWorkbook(bytes: Uint8Array): Promise<ReadWorkbook> {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const result: ReadWorkbook = { sha256, bytes: bytes.length, rows: [], problems: [], sheets: [] };
  if (bytes.length > MAX_FILE_BYTES) {
    result.problems.push(fileProblem(`文件过大（${megabytes(bytes.length)}），上限 ${megabytes(MAX_FILE_BYTES)}：请分成几个文件导入`));
    return result;
  }
  if (bytes.length === 0) {
    result.problems.push(fileProblem('文件是空的'));
    return result;
  }
  const head = Buffer.from(bytes.subarray(0, 8));
  if (head.subarray(0, 4).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0]))) {
    result.problems.push(fileProblem('这是旧版 Excel 文件（.xls）：请在 Excel 或 WPS 中“另存为” .xlsx 后再导入'));
    return result;
  }
  if (!head.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) {
    result.problems.push(fileProblem('这不是 Excel 工作簿（.xlsx）：文件内容不是 xlsx 格式，请用导入模板填写后保存为 .xlsx'));
    return result;
  }
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes) as unknown as ExcelJS.Buffer);
  } catch {
    result.problems.push(fileProblem('文件已损坏或不是 Excel 工作簿（.xlsx）：请用 Excel 或 WPS 打开后重新保存为 .xlsx'));
    return result;
  }
  const known = SHEETS.map((sheet) => sheet.name);
  for (const worksheet of workbook.worksheets) {
    const name = normaliseText(worksheet.name);
    result.sheets.push(name);
    if (name === HELP_SHEET || name === LISTS_SHEET) continue;
    const spec = sheetSpec(name);
    if (!spec) {
      result.problems.push({
        sheet: worksheet.name,
        row: 0,
        column: '',
        cell: '',
        value: worksheet.name,
        reason: `不认识的工作表「${worksheet.name}」：导入模板中的工作表是 ${known.join('、')}；请删去它，或把数据放进对应的工作表`,
      });
      continue;
    }
    readSheet(worksheet, spec, result);
  }
  if (!result.sheets.some((sheet) => sheetSpec(sheet))) {
    result.problems.push(fileProblem(`文件中没有可导入的工作表（应为 ${known.join('、')} 之一）：请下载导入模板填写`));
  }
  return result;
}

function readSheet(worksheet: ExcelJS.Worksheet, spec: SheetSpec, result: ReadWorkbook): void {
  const problem = (row: number, column: string, cell: string, value: string, reason: string) =>
    result.problems.push({ sheet: spec.name, row, column, cell, value, reason });
  // Merged cells leave every cell but the first empty: refused, naming the range.
  for (const range of mergesOf(worksheet)) {
    problem(Number(/\d+/.exec(range)?.[0] ?? 0), '', range, '', `合并单元格 ${range}：请取消合并，每一行都把内容填完整`);
  }
  // The header row: each column found by its header (in any order); a required one missing is named.
  const headerRow = worksheet.getRow(1);
  const place = new Map<string, number>();
  headerRow.eachCell((cell, index) => {
    const header = normaliseText(cellText(cell.value)).replace(/[*＊]/g, '');
    const column = spec.columns.find((each) => each.header === header || normaliseText(each.header) === header);
    if (column) place.set(column.key, index);
  });
  const missing = spec.columns.filter((column) => column.required && !place.has(column.key));
  if (missing.length > 0) {
    problem(
      1,
      missing.map((column) => column.header).join('、'),
      '',
      '',
      `表头缺少必填列：${missing.map((column) => column.header).join('、')}；请使用导入模板`,
    );
    return;
  }
  const seen = new Map<string, number>();
  for (let index = 2; index <= worksheet.rowCount; index++) {
    const sheetRow = worksheet.getRow(index);
    if (!sheetRow.hasValues || spec.columns.every((column) => normaliseText(cellText(sheetRow.getCell(place.get(column.key) ?? 0).value ?? null)) === ''))
      continue;
    const values: Record<string, CellValue> = {};
    const shown: Record<string, string> = {};
    let ok = true;
    for (const column of spec.columns) {
      const at = place.get(column.key);
      const raw = at ? sheetRow.getCell(at).value : null;
      const cell = at ? `${columnLetter(at)}${index}` : '';
      shown[column.key] = raw instanceof Date ? raw.toISOString().slice(0, 10) : cellText(raw ?? null);
      const parsed = parseCell(column, raw ?? null);
      if ('reason' in parsed) {
        problem(index, column.header, cell, shown[column.key]!, parsed.reason);
        ok = false;
        continue;
      }
      if (parsed.value === null && column.required) {
        problem(index, column.header, cell, '', `「${column.header}」必须填写`);
        ok = false;
        continue;
      }
      values[column.key] = parsed.value;
    }
    if (!ok) continue;
    const identity = JSON.stringify(spec.identity.map((key) => values[key] ?? null));
    const first = seen.get(identity);
    if (first !== undefined) {
      problem(index, '', '', spec.identity.map((key) => shown[key]).join(' / '), `与第 ${first} 行重复：同一条记录只填一行`);
      continue;
    }
    seen.set(identity, index);
    result.rows.push({ sheet: spec, row: index, values, shown });
  }
}
