/**
 * Export to Excel (.xlsx), in the browser, with exceljs — one helper for every page: a page turns
 * what it shows into `SheetSpec`s (a title, columns, rows), `buildWorkbook` lays them out (title
 * and notes above a bold header row that is frozen and filtered, numbers as numbers, widths from
 * the content), `downloadWorkbook` saves the file. exceljs is loaded only when a file is made.
 */
import type { Workbook } from 'exceljs';

export type Cell = string | number | null | undefined;

export interface Column {
  key: string;
  header: string;
  /** Numbers are right-aligned and stored as numbers. */
  kind?: 'text' | 'number';
  /** Characters; default from the content. */
  width?: number;
}

export interface SheetSpec {
  /** The tab's name (shortened and made unique as Excel requires). */
  name: string;
  /** A heading above the table. */
  title?: string;
  /** Lines under the heading (the view's date, the scope …). */
  notes?: readonly string[];
  columns: readonly Column[];
  rows: readonly Record<string, Cell>[];
  /** A last, bold row (e.g. totals), by column key. */
  footer?: Record<string, Cell>;
}

export interface WorkbookMeta {
  title?: string;
  creator?: string;
  /** When the file was made (default now). */
  created?: Date;
}

/** exceljs as a module: the browser bundle is CommonJS, so its exports may sit on `default`. */
async function loadExcel(): Promise<typeof import('exceljs')> {
  const module = await import('exceljs');
  return (module as unknown as { default?: typeof import('exceljs') }).default ?? module;
}

/** A name Excel accepts for a tab: no []:*?/\, at most 31 characters, unique in the workbook. */
export function sheetName(name: string, used: Set<string>): string {
  const base = (name.replace(/[[\]:*?/\\]/g, ' ').trim() || 'Sheet').slice(0, 31);
  let candidate = base;
  for (let n = 2; used.has(candidate.toLowerCase()); n++) candidate = `${base.slice(0, 31 - String(n).length - 1)}-${n}`;
  used.add(candidate.toLowerCase());
  return candidate;
}

/** A file name without characters file systems refuse, ending in .xlsx. */
export function fileName(...parts: readonly (string | number | null | undefined)[]): string {
  const stem = parts
    .filter((part) => part !== null && part !== undefined && String(part).trim() !== '')
    .map((part) =>
      String(part)
        .replace(/[\\/:*?"<>|\u0000-\u001f]/g, '-')
        .trim(),
    )
    .join('-');
  return `${stem || 'export'}.xlsx`;
}

/** How wide text looks: CJK and other wide characters take two columns. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text)
    width += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|[\u{20000}-\u{3fffd}]/u.test(char) ? 2 : 1;
  return width;
}

const asNumber = (value: Cell): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

/** The sheets in a workbook. */
export async function buildWorkbook(sheets: readonly SheetSpec[], meta: WorkbookMeta = {}): Promise<Workbook> {
  const ExcelJS = await loadExcel();
  const workbook = new ExcelJS.Workbook();
  workbook.creator = meta.creator ?? 'yingpan';
  workbook.created = meta.created ?? new Date();
  if (meta.title) workbook.title = meta.title;
  const used = new Set<string>();
  for (const spec of sheets) {
    const sheet = workbook.addWorksheet(sheetName(spec.name, used));
    const columnCount = Math.max(1, spec.columns.length);
    let row = 1;
    if (spec.title) {
      sheet.getCell(row, 1).value = spec.title;
      sheet.getCell(row, 1).font = { bold: true, size: 14 };
      if (columnCount > 1) sheet.mergeCells(row, 1, row, columnCount);
      row++;
    }
    for (const note of spec.notes ?? []) {
      sheet.getCell(row, 1).value = note;
      sheet.getCell(row, 1).font = { color: { argb: 'FF5F6B7A' } };
      if (columnCount > 1) sheet.mergeCells(row, 1, row, columnCount);
      row++;
    }
    if (spec.title || spec.notes?.length) row++;

    const headerRow = row;
    spec.columns.forEach((column, index) => {
      const cell = sheet.getCell(headerRow, index + 1);
      cell.value = column.header;
      cell.font = { bold: true };
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF4F6F8' } };
      cell.border = { bottom: { style: 'thin', color: { argb: 'FF1F2933' } } };
      cell.alignment = { vertical: 'middle', horizontal: column.kind === 'number' ? 'right' : 'left' };
    });
    const write = (values: Record<string, Cell>, bold = false) => {
      row++;
      spec.columns.forEach((column, index) => {
        const value = values[column.key];
        const cell = sheet.getCell(row, index + 1);
        const number = column.kind === 'number' ? asNumber(value) : null;
        cell.value = number ?? (value === null || value === undefined ? null : String(value));
        cell.alignment = { vertical: 'top', wrapText: true, horizontal: column.kind === 'number' ? 'right' : 'left' };
        if (bold) {
          cell.font = { bold: true };
          cell.border = { top: { style: 'thin', color: { argb: 'FF1F2933' } } };
        }
      });
    };
    for (const values of spec.rows) write(values);
    if (spec.footer) write(spec.footer, true);

    spec.columns.forEach((column, index) => {
      const longest = Math.max(
        displayWidth(column.header),
        ...spec.rows.map((values) => displayWidth(String(values[column.key] ?? ''))),
        spec.footer ? displayWidth(String(spec.footer[column.key] ?? '')) : 0,
      );
      sheet.getColumn(index + 1).width = column.width ?? Math.min(60, Math.max(8, longest + 2));
    });
    sheet.views = [{ state: 'frozen', ySplit: headerRow }];
    if (spec.columns.length > 0 && spec.rows.length > 0) {
      sheet.autoFilter = { from: { row: headerRow, column: 1 }, to: { row: headerRow + spec.rows.length, column: spec.columns.length } };
    }
    sheet.pageSetup = {
      orientation: spec.columns.length > 6 ? 'landscape' : 'portrait',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      printTitlesRow: `${headerRow}:${headerRow}`,
    };
  }
  return workbook;
}

/** The workbook's .xlsx bytes. */
export async function workbookBytes(sheets: readonly SheetSpec[], meta?: WorkbookMeta): Promise<ArrayBuffer> {
  const workbook = await buildWorkbook(sheets, meta);
  return (await workbook.xlsx.writeBuffer()) as ArrayBuffer;
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Makes the workbook and has the browser save it as `name`. */
export async function downloadWorkbook(name: string, sheets: readonly SheetSpec[], meta?: WorkbookMeta): Promise<void> {
  const bytes = await workbookBytes(sheets, meta);
  const url = URL.createObjectURL(new Blob([bytes], { type: XLSX_TYPE }));
  try {
    const link = document.createElement('a');
    link.href = url;
    link.download = name;
    link.rel = 'noopener';
    document.body.append(link);
    link.click();
    link.remove();
  } finally {
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}
