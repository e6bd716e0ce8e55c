/**
 * Sends a workbook to the import (services/api/src/import-http.ts, through /import/api/): in parts
 * ($lib/upload-parts), then asks for the check or the import and reads its progress lines as they
 * come, working out the time still to go.
 */
import { refusal, sendParts } from '$lib/upload-parts';

/** As the API takes it (services/import: MAX_FILE_BYTES). */
export const MAX_FILE_BYTES = 20 * 1024 * 1024;

export interface ImportProblem {
  sheet: string;
  row: number;
  column: string;
  cell: string;
  value: string;
  reason: string;
}

export interface ImportReport {
  sha256: string;
  dryRun: boolean;
  rows: number;
  validRows: number;
  known: number;
  problems: ImportProblem[];
  commands: number;
  applied: number;
  duplicates: number;
  events: number;
  written: boolean;
  summary: string;
}

export interface ImportProgress {
  stage: 'upload' | 'check' | 'import';
  done: number;
  total: number;
  /** Seconds still to go at the pace so far (null until there is a pace). */
  etaSeconds: number | null;
}

/** Seconds to go when `done` of `total` took `elapsedMs`. */
export function etaSeconds(done: number, total: number, elapsedMs: number): number | null {
  if (done <= 0 || total <= done) return done >= total && total > 0 ? 0 : null;
  return Math.ceil(((total - done) * elapsedMs) / done / 1000);
}

export async function runImport(
  file: Blob,
  options: { dryRun: boolean; onlyValid: boolean },
  onProgress: (progress: ImportProgress) => void,
): Promise<ImportReport> {
  const started = Date.now();
  const id = await sendParts('/import/api', file, (done, total) =>
    onProgress({ stage: 'upload', done, total, etaSeconds: etaSeconds(done, total, Date.now() - started) }),
  );
  onProgress({ stage: 'check', done: 0, total: 1, etaSeconds: null });
  const response = await fetch(`/import/api/uploads/${id}/run?dryRun=${options.dryRun ? 1 : 0}&onlyValid=${options.onlyValid ? 1 : 0}`, { method: 'POST' });
  if (!response.ok || !response.body) throw await refusal(response);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = '';
  let importStarted = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffered += value;
    let newline = buffered.indexOf('\n');
    while (newline >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      newline = buffered.indexOf('\n');
      if (!line.trim()) continue;
      const message = JSON.parse(line) as
        | { type: 'progress'; stage: 'check' | 'import'; done: number; total: number }
        | { type: 'report'; report: ImportReport }
        | { type: 'error'; zh: string };
      if (message.type === 'report') return message.report;
      if (message.type === 'error') throw new Error(message.zh);
      if (message.stage === 'import' && importStarted === 0) importStarted = Date.now();
      onProgress({
        stage: message.stage,
        done: message.done,
        total: message.total,
        etaSeconds: message.stage === 'import' ? etaSeconds(message.done, message.total, Date.now() - importStarted) : null,
      });
    }
  }
  throw new Error('导入的答复中断了，请重试');
}
