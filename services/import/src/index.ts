export * from './sheets.ts';
export * from './workbook.ts';
export * from './county.ts';
export * from './plan.ts';
export * from './run.ts';
export * from './templates.ts';
