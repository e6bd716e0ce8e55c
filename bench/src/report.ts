/** The report: the machine it ran on and one Markdown table, yingpan next to its baseline. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import type { Db } from '@yingpan/db';

export type Unit = 'events/s' | 'ms' | 'MiB' | 'req/s' | 'µs' | 'bytes' | 'events' | 'pages';

export interface ResultRow {
  benchmark: string;
  unit: Unit;
  yingpan: number;
  baseline: number;
}

export async function describeMachine(db: Db): Promise<string[]> {
  const { rows } = await db.query<{ name: string; setting: string }>(
    `SELECT name, current_setting(name) AS setting FROM unnest(ARRAY['server_version', 'fsync', 'synchronous_commit', 'shared_buffers']) AS name`,
  );
  const pg = Object.fromEntries(rows.map((row) => [row.name, row.setting]));
  const cpus = os.cpus();
  return [
    `- CPU: ${cpus[0]?.model.trim() ?? 'unknown'}, ${cpus.length} cores`,
    `- memory: ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    `- Node.js: ${process.version} (${os.platform()} ${os.release()})`,
    `- PostgreSQL: ${pg.server_version} (fsync=${pg.fsync}, synchronous_commit=${pg.synchronous_commit}, shared_buffers=${pg.shared_buffers})`,
    `- yingpan: ${describeCode()}`,
    // Other work on the machine (tests, builds) shares its cores with the benchmark: say how much there was.
    `- load average when the report was written (1, 5, 15 min): ${os
      .loadavg()
      .map((load) => load.toFixed(2))
      .join(', ')}${cpuPressure()}`,
  ];
}

/** Linux pressure stall information: the share of the last 5 minutes in which some runnable task waited for a CPU. */
function cpuPressure(): string {
  try {
    const some = readFileSync('/proc/pressure/cpu', 'utf8').match(/^some .*avg300=([\d.]+)/m)?.[1];
    return some === undefined ? '' : `; CPU pressure (tasks waiting for a core, last 5 min): ${some}% of the time`;
  } catch {
    return '';
  }
}

/** The commit measured, and whether the code under test had uncommitted changes when the report was written. */
function describeCode(): string {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const commit = git('rev-parse', '--short', 'HEAD');
    const changed = git('status', '--porcelain', '--', ':/services', ':/projections').split('\n').filter(Boolean).length;
    return `commit ${commit}${changed > 0 ? ` with ${changed} uncommitted file changes in services/ and projections/ (the working tree was measured)` : ''}`;
  } catch {
    return 'commit unknown';
  }
}

const DIGITS: Record<Unit, number> = { 'events/s': 0, ms: 2, MiB: 1, 'req/s': 1, µs: 2, bytes: 0, events: 0, pages: 1 };

/** A figure with its unit; '–' for a figure that could not be measured. */
export const format = (value: number, unit: Unit) =>
  Number.isFinite(value) ? `${value.toLocaleString('en-US', { maximumFractionDigits: DIGITS[unit] })} ${unit}` : '–';

/** a / b to two places; '–' when either is missing. */
export const ratio = (a: number, b: number) => (Number.isFinite(a / b) ? (a / b).toFixed(2) : '–');

export const DEFAULT_FOOTNOTE = 'A ratio below 1 on events/s, or above 1 on ms, means yingpan is slower than the baseline.';

export function markdownTable(rows: ResultRow[]): string {
  const lines = [
    '| benchmark | yingpan | baseline | ratio (yingpan/baseline) |',
    '| --- | ---: | ---: | ---: |',
    ...rows.map((row) => `| ${row.benchmark} | ${format(row.yingpan, row.unit)} | ${format(row.baseline, row.unit)} | ${ratio(row.yingpan, row.baseline)} |`),
  ];
  return lines.join('\n');
}

export function renderReport(title: string, machine: string[], workload: string[], rows: ResultRow[], notes: string[] = [DEFAULT_FOOTNOTE]): string {
  return renderDocument(title, machine, workload, [markdownTable(rows)], notes);
}

/** A report of several tables (or other Markdown blocks), each followed by a blank line. */
export function renderDocument(title: string, machine: string[], workload: string[], blocks: string[], notes: string[] = []): string {
  return [`# ${title}`, '', ...machine, '', ...workload, '', ...blocks.flatMap((block) => [block, '']), ...notes.flatMap((note) => [note, ''])].join('\n');
}

/** One row of a table with several systems side by side: a figure per column, in the columns' order. */
export interface MultiRow {
  benchmark: string;
  unit: Unit;
  values: number[];
}

/**
 * A Markdown table with a column per system and then a column per ratio, `[i, j]` meaning
 * columns[i] / columns[j].
 */
export function comparisonTable(columns: string[], ratios: [number, number][], rows: MultiRow[]): string {
  const header = ['benchmark', ...columns, ...ratios.map(([i, j]) => `${columns[i]}/${columns[j]}`)];
  return [
    `| ${header.join(' | ')} |`,
    `| --- |${' ---: |'.repeat(header.length - 1)}`,
    ...rows.map(
      (row) =>
        `| ${[row.benchmark, ...row.values.map((value) => format(value, row.unit)), ...ratios.map(([i, j]) => ratio(row.values[i]!, row.values[j]!))].join(' | ')} |`,
    ),
  ].join('\n');
}

/** The report's title line: what ran and when (UTC, to the minute). */
export const titled = (what: string) => `${what}, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`;
